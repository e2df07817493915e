"""Forms of the rectification pages (第九条). They only parse what was typed; the services decide,
and their Chinese refusals are put back on these fields by the views."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import RectificationKind
from ..selectors.rectifications import unit_choices
from ..services.attachments import MAX_FILES
from ..services.rectification_actors import FIELDS
from ..transitions import RectificationStatus, RectificationTransition

ALL = ("", "全部")
T = RectificationTransition


class RectificationFilterForm(forms.Form):
    """The list's filters, kept in the URL."""

    q = forms.CharField(
        label="关键字",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "任务名称或编号"}),
    )
    unit = forms.ChoiceField(label="整改单位", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[ALL, *RectificationStatus.choices]
    )
    kind = forms.ChoiceField(
        label="来源", required=False, choices=[ALL, *RectificationKind.choices]
    )
    overdue = forms.ChoiceField(label="已逾期", required=False, choices=[ALL, ("1", "仅看已逾期")])
    escalated = forms.ChoiceField(label="督办", required=False, choices=[ALL, ("1", "仅看督办件")])

    def __init__(self, *args: Any, user: Any, units: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units:
            self.fields["unit"].choices = [ALL, *unit_choices(user)]  # type: ignore[attr-defined]
        else:
            del self.fields["unit"]

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.Field):
    """Any number of files, passed on as they came: the service checks count, type and size."""

    widget = MultipleFileInput

    def clean(self, value: Any) -> list[Any]:
        return [file for file in (value or []) if file]


def _text(label: str, required: bool, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"请填写{label}。"},
    )


TEXT_LABELS: dict[str, str] = {T.REPORT: "整改进展情况", T.SUBMIT: "整改报告"}
REASON_LABELS: dict[str, str] = {T.REOPEN: "退回理由", T.CANCEL: "撤销理由"}


class MoveForm(forms.Form):
    """The fields one move takes (services.rectifications.FIELDS), prefixed by its name so that
    several of them live on one page."""

    def __init__(self, *args: Any, name: str, period_days: int, **kwargs: Any) -> None:
        kwargs["prefix"] = name
        super().__init__(*args, **kwargs)
        self.name = name
        for key in FIELDS[name]:
            if key == "text":
                self.fields["text"] = _text(TEXT_LABELS[name], True, rows=5)
            elif key == "files":
                self.fields["files"] = FilesField(
                    label="附件", required=False, help_text=f"可选，最多{MAX_FILES}个文件。"
                )
            elif key == "comment":
                self.fields["comment"] = _text("跟踪检查意见", False)
            elif key == "reason":
                self.fields["reason"] = _text(REASON_LABELS[name], True)
            elif key == "period_days":
                self.fields["period_days"] = forms.IntegerField(
                    label="重新整改期限（日）",
                    required=False,
                    min_value=1,
                    max_value=365,
                    help_text=f"不填则为原定期限 {period_days} 日。",
                    error_messages={
                        "invalid": "期限应为1至365之间的整数（日）。",
                        "min_value": "期限应为1至365之间的整数（日）。",
                        "max_value": "期限应为1至365之间的整数（日）。",
                    },
                )
