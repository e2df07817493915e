"""Forms of the access-request pages (第十一条 严格审批共享). They only parse what was typed, with
the services' own Chinese messages; the services decide, and their refusals are put back on
these fields by the views."""

from __future__ import annotations

from typing import Any

from django import forms

from .grantables import grantable_kinds
from .selectors import Scope, reader_choices
from .services.actors import FIELDS
from .services.requests import (
    DEFAULT_PERIOD_DAYS,
    MAX_PERIOD_DAYS,
    MAX_PURPOSE,
    MAX_REASON,
    MAX_REFERENCE,
    MIN_PURPOSE,
)
from .transitions import RequestStatus, RequestTransition

ALL = ("", "全部")
T = RequestTransition
PERIOD_ERROR = f"调阅期限应为1至{MAX_PERIOD_DAYS}之间的整数（日）。"


class RequestFilterForm(forms.Form):
    """The list's filters, kept in the URL (the tab is `scope`)."""

    scope = forms.ChoiceField(required=False, choices=Scope.CHOICES, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *RequestStatus.choices])
    kind = forms.ChoiceField(label="调阅对象类别", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [ALL, *grantable_kinds()]  # type: ignore[attr-defined]

    def tab(self) -> str:
        value = self.data.get("scope") or Scope.MINE
        return value if value in Scope.VALUES else Scope.MINE

    def filters(self) -> dict[str, Any]:
        """The selector's filters; only the tab when the form has errors (they are shown)."""
        chosen = {"scope": self.tab()}
        if self.is_valid():
            chosen.update({k: v for k, v in self.cleaned_data.items() if k != "scope" and v})
        return chosen


class RequestForm(forms.Form):
    """提出调阅申请: what (kind and number), why, for how long."""

    kind = forms.ChoiceField(
        label="调阅对象类别", error_messages={"required": "请选择调阅对象类别。"}
    )
    reference = forms.CharField(
        label="调阅对象编号",
        max_length=MAX_REFERENCE,
        help_text="如移送文号，按文书上的写法填写。",
        error_messages={"required": "请填写调阅对象编号。"},
    )
    purpose = forms.CharField(
        label="调阅事由",
        min_length=MIN_PURPOSE,
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"说明调阅的目的和用途（不少于{MIN_PURPOSE}个字），供两级领导审批。",
        error_messages={
            "required": "请填写调阅事由。",
            "min_length": f"请说明调阅的目的和用途，调阅事由不少于{MIN_PURPOSE}个字。",
            "max_length": f"调阅事由不应超过{MAX_PURPOSE}个字。",
        },
    )
    period_days = forms.IntegerField(
        label="调阅期限（日）",
        required=False,
        initial=DEFAULT_PERIOD_DAYS,
        min_value=1,
        max_value=MAX_PERIOD_DAYS,
        help_text=f"自领导批准之时起算的自然日，默认{DEFAULT_PERIOD_DAYS}日，最长{MAX_PERIOD_DAYS}日。",
        error_messages={
            "invalid": PERIOD_ERROR,
            "min_value": PERIOD_ERROR,
            "max_value": PERIOD_ERROR,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        kind.choices = [("", "请选择"), *grantable_kinds()]  # type: ignore[attr-defined]
        kind.error_messages["invalid_choice"] = "请选择调阅对象类别。"


def _text(label: str, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不应超过{MAX_REASON}个字。",
        },
    )


REASON_LABELS: dict[str, str] = {T.REJECT: "不予批准的理由", T.REVOKE: "收回授权的理由"}


class MoveForm(forms.Form):
    """The fields one move takes (services.actors.FIELDS), prefixed by its name so that several
    of them live on one page."""

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        kwargs["prefix"] = name
        super().__init__(*args, **kwargs)
        self.name = name
        for key in FIELDS[name]:
            if key == "comment":
                self.fields["comment"] = _text("审批意见", False)
            else:
                self.fields["reason"] = _text(REASON_LABELS[name], True)


class ReaderLogFilterForm(forms.Form):
    """The reader log's filters, kept in the URL."""

    date_from = forms.DateField(
        label="起始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期，如 2026-11-27。"},
    )
    date_to = forms.DateField(
        label="截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期，如 2026-11-27。"},
    )
    reader = forms.ChoiceField(label="查阅人", required=False)
    kind = forms.ChoiceField(label="调阅对象类别", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reader"].choices = [ALL, *reader_choices(user)]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [ALL, *grantable_kinds()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不应早于起始日期。")
        return data

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
