"""The filters of the audit log and the login log; they travel in the URL (GET)."""

from __future__ import annotations

from typing import Any

from django import forms

from xianjie.access.tiers import Tier

from .labels import object_type_choices


class _DateInput(forms.DateInput):
    input_type = "date"


class DayRangeForm(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=_DateInput)
    date_to = forms.DateField(label="截止日期", required=False, widget=_DateInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; call after `is_valid()`."""
        return {name: self.cleaned_data.get(name) for name in self.fields}


class AuditEntryFilterForm(DayRangeForm):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.CharField(
        label="操作",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
        help_text="操作代码或其开头部分，例如 audit 可查出全部审计操作。",
    )
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    tier = forms.TypedChoiceField(
        label="密级层次",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *Tier.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "全部"), *object_type_choices()]  # type: ignore[attr-defined]


class LoginEventFilterForm(DayRangeForm):
    username = forms.CharField(label="用户名", required=False, max_length=150)
    outcome = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[("", "全部"), ("success", "成功"), ("failure", "失败")],
    )
    address = forms.CharField(
        label="地址", required=False, max_length=45, help_text="可只填开头部分，例如 10.1."
    )
