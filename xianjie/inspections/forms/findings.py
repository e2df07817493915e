"""Forms of the finding pages. They parse what was typed; the services decide (第九条), and
their Chinese refusals are put back on these fields by the views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from xianjie.accounts.models import Officer, Org
from xianjie.catalog.models import CATEGORY_ARTICLE, ViolationCode, article_label
from xianjie.catalog.selectors import CATEGORY_ORDER

from ..models import Inspection, InspectionUnit, Severity

ALL = ("", "全部")
TIERS = [("2", "重要信息"), ("3", "涉案保密")]
HAS_TASK = [("yes", "已下达整改任务"), ("no", "未下达整改任务")]


class OfferedChoiceField(forms.ChoiceField):
    """A select whose value the service checks (with its own Chinese message), so that a bad
    choice is reported together with every other problem of the form."""

    def valid_value(self, value: Any) -> bool:
        return True


class OfferedMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


class CheckedByService:
    """A field marked required on the page (*) whose emptiness, like any other problem, the
    service reports — so that every problem of the form is listed at once."""

    def validate(self, value: Any) -> None:
        return None


class NeededChoiceField(CheckedByService, forms.ChoiceField):
    pass


class NeededCharField(CheckedByService, forms.CharField):
    pass


class FindingFilterForm(forms.Form):
    """The list's filters, kept in the URL; the choices are what the user may see."""

    inspection = forms.TypedChoiceField(label="督查", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="被检查单位", required=False, coerce=int, empty_value=None)
    severity = forms.ChoiceField(label="严重程度", required=False, choices=[ALL, *Severity.choices])
    tier = forms.TypedChoiceField(
        label="密级层级", required=False, choices=[ALL, *TIERS], coerce=int, empty_value=None
    )
    has_task = forms.ChoiceField(label="整改任务", required=False, choices=[ALL, *HAS_TASK])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inspections = Inspection.objects.restrict(user, "view").order_by("-year", "-id")
        self.fields["inspection"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((str(i.pk), f"{i.year}年 {i.title}") for i in inspections),
        ]
        units = (
            Org.objects.filter(
                pk__in=InspectionUnit.objects.restrict(user, "view").values("org_id")
            )
            .distinct()
            .order_by("sort_order", "id")
        )
        self.fields["unit"].choices = [ALL, *((str(o.pk), o.name) for o in units)]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        if "has_task" in data:
            data["has_task"] = data["has_task"] == "yes"
        return data


def code_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The active catalogue codes, grouped by article (第十三条, 第十四条, 第六条)."""
    groups: dict[str, list[tuple[str, str]]] = {c: [] for c in CATEGORY_ORDER}
    for vc in ViolationCode.objects.filter(is_active=True).order_by("sort_order", "code"):
        groups[vc.category].append((vc.code, f"{vc.code} {vc.text}"))
    return [
        (f"{article_label(CATEGORY_ARTICLE[c])} {c.label}", groups[c])
        for c in CATEGORY_ORDER
        if groups[c]
    ]


class FindingForm(forms.Form):
    unit = NeededChoiceField(label="被检查单位")
    severity = NeededChoiceField(
        label="严重程度",
        choices=[("", "请选择"), *Severity.choices],
        help_text="严重违法违纪的问题可移送线索（第九条）。",
    )
    title = NeededCharField(label="问题概述")
    description = NeededCharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 6}))
    basis = forms.CharField(
        label="依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="法规名称及条款，如《中华人民共和国行政处罚法》第三十九条；多条以分号分隔。",
    )
    violation_codes = OfferedMultipleChoiceField(
        label="问题类型", required=False, widget=forms.CheckboxSelectMultiple
    )
    officer = OfferedChoiceField(label="涉及执法人员", required=False)
    officer_name = forms.CharField(
        label="涉及人员姓名",
        required=False,
        help_text="未在执法人员库中的，填写姓名。涉及具体人员的问题为涉案保密信息，仅组织单位可见。",
    )

    def __init__(self, *args: Any, user: Any, units: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *((str(o.pk), o.name) for o in units)]  # type: ignore[attr-defined]
        if len(units) == 1 and not self.is_bound:
            self.initial.setdefault("unit", str(units[0].pk))
        self.fields["violation_codes"].choices = code_choices()  # type: ignore[attr-defined]
        unit_ids = [o.pk for o in units]
        officers = Officer.objects.restrict(user, "view").filter(
            Q(org_id__in=unit_ids) | Q(org__parent_id__in=unit_ids)
        )
        self.fields["officer"].choices = [  # type: ignore[attr-defined]
            ("", "不涉及具体人员"),
            *((str(o.pk), f"{o.name}（{o.cert_no}）") for o in officers.order_by("name")),
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "unit": data["unit"] or None,
            "severity": data["severity"],
            "title": data["title"],
            "description": data["description"],
            "basis": data["basis"],
            "violation_codes": data["violation_codes"],
            "officer": data["officer"] or None,
            "officer_name": data["officer_name"],
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(label="文件", required=False)
    description = forms.CharField(
        label="说明", required=False, widget=forms.TextInput(attrs={"placeholder": "可不填"})
    )


class RectificationForm(forms.Form):
    """下达整改任务: the requirement, and optionally a title and a period other than the
    default (the "rectification" time limit)."""

    title = forms.CharField(label="任务名称", required=False, help_text="不填则使用问题概述。")
    requirement = NeededCharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 4}))
    period_days = forms.CharField(
        label="整改期限（日）",
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 365}),
    )

    def __init__(self, *args: Any, default_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_days"].help_text = f"不填则为{default_days}日。"

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "requirement": data["requirement"],
            "period_days": data["period_days"] or None,
        }
