"""Forms of the calendar pages. They only shape the input; the services validate it."""

from __future__ import annotations

from django import forms

from .models import DayKind, TimeUnit
from .notice import MAX_NAME_LENGTH


class YearNoticeForm(forms.Form):
    notice = forms.CharField(
        label="通知文号",
        required=False,
        max_length=100,
        help_text="例如：国办发明电〔2026〕1号。",
    )
    holidays = forms.CharField(
        label="放假安排",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="每行一个节日：“2027-01-01 元旦”，或一段假期："
        "“2027-10-01至2027-10-07 国庆节”（含假期中的周末）。",
    )
    makeup_days = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="每行一个调休上班的周六或周日，可在日期后注明所属节日：“2027-02-20 春节”。",
    )


class DayForm(forms.Form):
    kind = forms.ChoiceField(label="日期类型", choices=DayKind.choices)
    name = forms.CharField(
        label="名称",
        required=False,
        max_length=MAX_NAME_LENGTH,
        help_text="法定节假日填写节日名称；调休上班日可注明所属节日。",
    )


class ParameterForm(forms.Form):
    amount = forms.IntegerField(label="期限", min_value=0, max_value=365)
    unit = forms.ChoiceField(label="计算单位", choices=TimeUnit.choices)
    # Basis and reason are checked by the service, so their messages join the others at once.
    basis = forms.CharField(
        label="依据", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label="修改理由", required=False, max_length=200)
