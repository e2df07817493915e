"""Forms of the supervision act and flag pages. They parse what was typed; the services decide
(第二条, 第十三条（十）) and the views put their Chinese refusals back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from xianjie.accounts.models import Org, OrgKind

from ..models import ActKind, DecisionType, FlagStatus, SupervisionAct
from ..services.supervision import supervised_orgs
from ..transitions import ActStatus

ALL = ("", "全部")
TEXTAREA = forms.Textarea(attrs={"rows": 5})


class ActFilterForm(forms.Form):
    kind = forms.ChoiceField(label="文书类别", required=False, choices=[ALL, *ActKind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *ActStatus.choices])
    target = forms.TypedChoiceField(
        label="被监督单位", required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(
        label="文号",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "如 文司监通〔2026〕1号"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Org.objects.filter(kind=OrgKind.ENFORCEMENT)
        if user.org_id is not None:
            orgs = orgs.filter(region_id=user.org.region_id)
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((str(org.pk), org.name) for org in orgs.order_by("sort_order", "id")),
        ]

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class FlagFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *FlagStatus.choices])

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class ActForm(forms.Form):
    """The content of a notice or a decision; `kind` is fixed by the page (a query parameter when
    drafting, the draft's own kind when editing)."""

    target_org = forms.ChoiceField(label="被监督单位（主送）")
    decision_type = forms.ChoiceField(
        label="决定类型", required=False, choices=[("", "请选择"), *DecisionType.choices]
    )
    notice = forms.ChoiceField(
        label="未履行的监督通知书",
        required=False,
        help_text="监督决定书一般针对未按期执行或报告的监督通知书制发；可不选。",
    )
    problem = forms.CharField(label="存在的问题", widget=TEXTAREA)
    basis = forms.CharField(
        label="依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="法律、法规、规章名称及条款。",
    )
    requirement = forms.CharField(
        label="监督意见和要求",
        widget=TEXTAREA,
        help_text="签发后整改任务的要求为本项内容加“并于期限内书面报告整改（履行）情况”。",
    )
    period_days = forms.IntegerField(
        label="整改（履行）期限（日）",
        required=False,
        min_value=1,
        max_value=365,
        help_text="不填按30日；自签发次日起算，期满日为休息日的顺延至下一工作日。",
    )

    def __init__(self, *args: Any, user: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["target_org"].choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *((str(org.pk), org.name) for org in supervised_orgs(user.org)),
        ]
        if kind == ActKind.DECISION:
            self.fields["decision_type"].required = True
            notices = SupervisionAct.objects.filter(
                issuer_org_id=user.org_id, kind=ActKind.NOTICE, status=ActStatus.ISSUED
            ).select_related("target_org")
            self.fields["notice"].choices = [  # type: ignore[attr-defined]
                ("", "不依据通知书"),
                *((str(n.pk), f"{n.number}（{n.target_org.name}）") for n in notices),
            ]
        else:
            del self.fields["decision_type"]
            del self.fields["notice"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("decision_type", "")
        data.setdefault("notice", None)
        return {key: (None if value == "" else value) for key, value in data.items()}


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="撤销理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：逾期有正当理由并已补报。",
    )
