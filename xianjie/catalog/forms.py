from django import forms

from .models import ViolationCategory


class ViolationCodeForm(forms.Form):
    """A local code added by the system administrator (第十三、十四、六条 stay as seeded)."""

    category = forms.ChoiceField(label="类别", choices=ViolationCategory.choices)
    code = forms.CharField(
        label="代码", max_length=8, help_text="类别字母加两到三位数字，例如 A12、P11、E04。"
    )
    text = forms.CharField(
        label="行为描述", max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


class CatalogFilterForm(forms.Form):
    """The list's filters, read from the query string so that a filtered view can be linked."""

    category = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部"), *ViolationCategory.choices]
    )
    q = forms.CharField(label="代码或描述", required=False, max_length=50)
