"""Forms of the referral pages. They only parse what was typed; the services decide (第四条 and
the rest), and their Chinese refusals are put back on these fields by the views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory

from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind
from xianjie.catalog.models import CATEGORY_ARTICLE, ViolationCode, article_label

from .models import (
    SOURCES_BY_DIRECTION,
    DisposalMethod,
    EvidenceRole,
    Referral,
    Source,
    SubjectKind,
)
from .services.drafting import CODE_CATEGORIES, MAX_ITEMS
from .services.moves import FIELDS
from .transitions import Direction, Status, Transition

ALL = ("", "全部")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def receiver_kinds(direction: str) -> frozenset[str]:
    """第四条: leads go to the commission; 第六条: faults go to a supervision body."""
    if direction == Direction.TO_DISCIPLINE:
        return frozenset({OrgKind.DISCIPLINE})
    return SUPERVISION_KINDS


def org_choices(user: Any, kinds: frozenset[str], exclude: tuple[int, ...] = ()) -> list:
    orgs = (
        Org.objects.restrict(user, "view")
        .filter(kind__in=kinds, is_active=True)
        .exclude(pk__in=exclude)
        .order_by("sort_order", "id")
    )
    return [(str(org.pk), org.name) for org in orgs]


# --- The list pages' filters (kept in the URL) ------------------------------------------------


class FilterForm(forms.Form):
    direction = forms.ChoiceField(label="方向", required=False, choices=[ALL, *Direction.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *Status.choices])
    overdue = forms.ChoiceField(label="已逾期", required=False, choices=[ALL, ("1", "仅看已逾期")])
    date_from = forms.DateField(label="登记日期起", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="登记日期止", required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class ReferralFilterForm(FilterForm):
    source = forms.ChoiceField(label="来源", required=False, choices=[ALL, *Source.choices])
    code = forms.CharField(
        label="违法违纪行为代码",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"list": "violation-codes", "placeholder": "如 P08"}),
    )
    q = forms.CharField(
        label="关键字",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "文号或完整执法证号"}),
    )
    field_order = ["q", "direction", "status", "overdue", "source", "code", "date_from", "date_to"]


class OversightFilterForm(FilterForm):
    """The 司法局's status-only view: no filter may look into content (codes, certificates)."""

    q = forms.CharField(
        label="文号",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "文号的一部分"}),
    )
    field_order = ["q", "direction", "status", "overdue", "date_from", "date_to"]


# --- Drafting ----------------------------------------------------------------------------------


def code_choices(direction: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The active catalogue codes a referral of `direction` may carry, grouped by article."""
    categories = CODE_CATEGORIES[Direction(direction)]
    codes = ViolationCode.objects.filter(category__in=categories, is_active=True)
    groups: dict[str, list[tuple[str, str]]] = {c: [] for c in categories}
    for vc in codes.order_by("sort_order", "code"):
        groups[vc.category].append((vc.code, f"{vc.code} {vc.text}"))
    return [
        (f"{article_label(CATEGORY_ARTICLE[category])} {category.label}", groups[category])
        for category in categories
    ]


class OfferedChoiceField(forms.ChoiceField):
    """A select whose value the service checks (with its own Chinese message), so that a bad
    choice is reported together with every other problem of the form."""

    def valid_value(self, value: Any) -> bool:
        return True


class OfferedMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


class ReferralForm(forms.Form):
    """The referral's own fields; subjects and norms are the two formsets beside it."""

    receiver_org = OfferedChoiceField(label="接收单位", required=False)
    source = OfferedChoiceField(label="线索来源", required=False)
    facts = forms.CharField(
        label="违法事实", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    violation_codes = OfferedMultipleChoiceField(
        label="违法违纪行为", required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label="摘要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="一两句话概括，不超过500字。",
    )

    def __init__(self, *args: Any, user: Any, direction: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        receivers = org_choices(user, receiver_kinds(direction))
        self.fields["receiver_org"].choices = [("", "请选择"), *receivers]  # type: ignore[attr-defined]
        if len(receivers) == 1 and not self.is_bound:
            self.initial.setdefault("receiver_org", receivers[0][0])
        sources = [(s.value, s.label) for s in SOURCES_BY_DIRECTION[Direction(direction)]]
        self.fields["source"].choices = [("", "请选择"), *sources]  # type: ignore[attr-defined]
        self.fields["violation_codes"].choices = code_choices(direction)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "receiver_org": data["receiver_org"] or None,
            "source": data["source"],
            "facts": data["facts"],
            "violation_codes": data["violation_codes"],
            "summary": data["summary"],
        }


class SubjectForm(forms.Form):
    """涉案人员或单位 (第四条: 姓名、职务、执法证编号); picked from the registry or typed."""

    kind = OfferedChoiceField(
        label="类别", choices=SubjectKind.choices, required=False, initial=SubjectKind.PERSON
    )
    officer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="姓名或名称", required=False)
    post = forms.CharField(label="职务", required=False)
    org = forms.CharField(label="所在单位", required=False)
    cert_no = forms.CharField(label="执法证编号", required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(k) for k in ("officer", "name", "post", "org", "cert_no"))

    def service_item(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"] or SubjectKind.PERSON,
            "officer": data["officer"],
            "name": data["name"],
            "post": data["post"],
            "org": data["org"],
            "cert_no": data["cert_no"],
        }


class NormForm(forms.Form):
    """违反的执法规范 (第四条): the law or rule and its clause."""

    name = forms.CharField(
        label="法规名称",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如《中华人民共和国行政处罚法》"}),
    )
    clause = forms.CharField(
        label="条款", required=False, widget=forms.TextInput(attrs={"placeholder": "如 第四十七条"})
    )

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or self.cleaned_data.get("clause"))

    def service_item(self) -> dict[str, str]:
        return {"name": self.cleaned_data["name"], "clause": self.cleaned_data["clause"]}


SubjectFormSet = formset_factory(SubjectForm, extra=0, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)
NormFormSet = formset_factory(NormForm, extra=0, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)


# --- Transitions and files on the detail page ---------------------------------------------------

T = Transition

#: What the comment of each move is called, and whether the move requires it (services agree).
COMMENT_LABELS: dict[str, tuple[str, bool]] = {
    T.SUBMIT: ("说明", False),
    T.APPROVE: ("审批意见", False),
    T.REJECT: ("退回修改的意见", True),
    T.WITHDRAW: ("撤回理由", True),
    T.RECEIVE: ("签收说明", False),
    T.DISPOSE: ("处置意见", False),
    T.SUPPLEMENT: ("补充说明", False),
    T.REVISE: ("说明", False),
    T.CLOSE: ("说明", False),
}
REASON_LABELS: dict[str, str] = {T.RETURN: "退回理由", T.FORWARD: "转办理由"}


def _text(label: str, required: bool, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"请填写{label}。"},
    )


class TransitionForm(forms.Form):
    """The fields one transition takes (services.moves.FIELDS), prefixed by its name so that
    several of them live on one page."""

    def __init__(
        self,
        *args: Any,
        name: str,
        referral: Referral,
        user: Any,
        letters: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs["prefix"] = name
        super().__init__(*args, **kwargs)
        self.name = name
        for field in FIELDS[name]:
            if field == "comment":
                label, required = COMMENT_LABELS[name]
                self.fields["comment"] = _text(label, required)
            elif field == "reason":
                self.fields["reason"] = _text(REASON_LABELS[name], True)
            elif field == "what":
                self.fields["what"] = _text("需补充的材料", True)
            elif field == "result":
                self.fields["result"] = _text("核查及处理结果", True, rows=4)
            elif field == "method":
                self.fields["method"] = forms.ChoiceField(
                    label="处置方式",
                    choices=[("", "请选择"), *DisposalMethod.choices],
                    error_messages={"required": "请选择处置方式。"},
                )
            elif field == "target_org":
                exclude = (referral.sender_org_id, referral.receiver_org_id)
                targets = org_choices(user, receiver_kinds(referral.direction), exclude)
                self.fields["target_org"] = forms.ChoiceField(
                    label="转办至",
                    choices=[("", "请选择有管辖权的单位"), *targets],
                    error_messages={"required": "请选择有管辖权的接收单位。"},
                    help_text=""
                    if targets
                    else "本行政区划内没有其他可转办的同类机关，请联系系统管理员。",
                )
            elif field == "document":
                self.fields["document"] = forms.ChoiceField(
                    label="书面反馈函",
                    choices=[("", "请选择已上传的反馈文书"), *letters],
                    error_messages={"required": "请上传并选择书面反馈函。"},
                    help_text="先在下方“证据材料”中以“反馈文书”上传签章扫描件，再在此选择。",
                )


class EvidenceUploadForm(forms.Form):
    role = OfferedChoiceField(label="材料用途")
    file = forms.FileField(label="文件", required=False)
    description = forms.CharField(
        label="说明", required=False, widget=forms.TextInput(attrs={"placeholder": "可不填"})
    )

    def __init__(self, *args: Any, roles: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (role.value, role.label) for role in EvidenceRole if role in roles
        ]
