"""Forms of the typical-case pages (第十二条). They parse what was typed; the services decide, and
the views put their Chinese refusals back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xianjie.accounts.models import Org

from ..models import Lesson, LessonStatus, StudyForm
from ..selectors.lessons import code_choices

ALL = ("", "全部")
TIERS = [("1", "一般基础性信息（全区共享）"), ("2", "重要信息（仅发布单位可见）")]


class LessonFilterForm(forms.Form):
    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如 全过程记录", "type": "search"}),
    )
    code = forms.ChoiceField(label="违规类型", required=False)
    tier = forms.TypedChoiceField(
        label="共享层级",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[ALL, ("1", "一般基础性信息"), ("2", "重要信息")],
    )
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *LessonStatus.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [ALL, *code_choices()]  # type: ignore[attr-defined]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((str(y), f"{y}年") for y in range(this_year, this_year - 10, -1)),
        ]

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class LessonForm(forms.Form):
    title = forms.CharField(label="案例标题", max_length=200)
    text = forms.CharField(
        label="案例正文（已脱敏）",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="姓名以“某”代替，执法证号、身份证号码、电话号码以“*”代替；修改后请重新审核。",
    )
    lessons_learned = forms.CharField(
        label="警示意义",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="本案暴露的问题和应吸取的教训。",
    )
    violation_codes = forms.MultipleChoiceField(
        label="违规类型", required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violation_codes"].choices = code_choices()  # type: ignore[attr-defined]

    @classmethod
    def for_lesson(cls, lesson: Lesson) -> LessonForm:
        return cls(
            initial={
                "title": lesson.title,
                "text": lesson.text,
                "lessons_learned": lesson.lessons_learned,
                "violation_codes": list(lesson.violation_codes.values_list("code", flat=True)),
            }
        )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="审核意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(forms.Form):
    tier = forms.ChoiceField(label="共享层级", choices=TIERS, widget=forms.RadioSelect)
    target_orgs = forms.MultipleChoiceField(
        label="发布单位（须组织学习）",
        widget=forms.CheckboxSelectMultiple,
        help_text="一般基础性信息全区可阅；重要信息仅所选单位可阅。所选单位均须登记学习记录。",
    )

    def __init__(self, *args: Any, lesson: Lesson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Org.objects.filter(region_id=lesson.org.region_id, is_active=True)
        self.fields["target_orgs"].choices = [  # type: ignore[attr-defined]
            (str(org.pk), org.name) for org in orgs.order_by("sort_order", "id")
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class StudyRecordForm(forms.Form):
    studied_on = forms.DateField(
        label="学习日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    form = forms.ChoiceField(label="学习形式", choices=[("", "请选择"), *StudyForm.choices])
    attendees = forms.IntegerField(label="参加人数", min_value=1, max_value=100000)
    notes = forms.CharField(
        label="学习情况",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如学习会议名称、主持人、讨论和整改打算。",
    )


class ReformForm(forms.Form):
    unit = forms.ChoiceField(label="案发单位（整改单位）")
    requirement = forms.CharField(
        label="以案促改要求",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="如：召开专题警示教育会，对照案例查摆执法全过程记录等制度执行问题并限期整改。",
    )
    period_days = forms.IntegerField(
        label="整改期限（日）",
        required=False,
        min_value=1,
        max_value=365,
        help_text="不填按30日；自下达次日起算。",
    )

    def __init__(self, *args: Any, units: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *((str(org.pk), org.name) for org in units),
        ]
