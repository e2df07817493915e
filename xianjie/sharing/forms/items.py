"""Forms of the library pages (第十一条). They parse what was typed; the services decide, and
their Chinese refusals are put back on these fields by the views."""

from __future__ import annotations

from typing import Any

from django import forms

from xianjie.accounts.models import Org
from xianjie.inspections.forms.findings import (
    NeededCharField,
    NeededChoiceField,
    OfferedMultipleChoiceField,
)
from xianjie.inspections.forms.rectifications import FilesField

from ..models import Category, ItemStatus
from ..selectors.items import publisher_choices

ALL = ("", "全部")
TIERS = [("1", "一般基础性信息（全面共享）"), ("2", "重要信息（指定范围共享）")]
TIER_FILTERS = [ALL, ("1", "一般"), ("2", "重要")]


class LibraryFilterForm(forms.Form):
    """The library's search and filters, kept in the URL; the publishers offered are those
    whose items the user may open."""

    q = forms.CharField(
        label="检索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "标题、正文中的词语"}),
    )
    tier = forms.TypedChoiceField(
        label="层级", required=False, choices=TIER_FILTERS, coerce=int, empty_value=None
    )
    category = forms.ChoiceField(label="类别", required=False, choices=[ALL, *Category.choices])
    publisher = forms.TypedChoiceField(
        label="发布单位", required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *ItemStatus.choices])
    date_from = forms.DateField(
        label="发布日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unread = forms.BooleanField(label="只看未读", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((str(org.pk), org.name) for org in publisher_choices(user)),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("date_from"), data.get("date_to")
        if since and until and since > until:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None, False)}


def scope_choices(user: Any) -> list[tuple[str, str]]:
    """The orgs a tier 2 item may be shared with: the active orgs of the user's region but
    their own, in the org tree's order (a legal unit follows its department)."""
    if user.org is None:
        return []
    orgs = Org.objects.filter(region_id=user.org.region_id, is_active=True).exclude(pk=user.org_id)
    return [(str(org.pk), org.name) for org in orgs.order_by("sort_order", "id")]


class ItemForm(forms.Form):
    tier = NeededChoiceField(
        label="共享层级",
        choices=TIERS,
        widget=forms.RadioSelect,
        help_text="一般基础性信息（政策法规、经验做法、工作要求）全区域共享；重要信息（监督检查"
        "结果、问责处理情况）仅共享给指定单位（第十一条）。",
    )
    category = NeededChoiceField(label="类别", choices=[("", "请选择"), *Category.choices])
    title = NeededCharField(label="标题", widget=forms.TextInput(attrs={"maxlength": 200}))
    body = NeededCharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}))
    scope_orgs = OfferedMultipleChoiceField(
        label="共享范围",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="仅重要信息需要指定，可多选。",
    )
    leaders_only = forms.BooleanField(
        label="仅限领导阅",
        required=False,
        help_text="勾选后，共享范围内单位只有审批领导可以阅读。",
    )
    attachments = FilesField(label="附件", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope_orgs"].choices = scope_choices(user)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        """The service's arguments. The scope fields are hidden for tier 1, so what they still
        hold is not the user's choice and is not passed on."""
        data = self.cleaned_data
        tier_two = data.get("tier") == "2"
        return {
            "tier": data.get("tier") or None,
            "category": data.get("category") or "",
            "title": data.get("title") or "",
            "body": data.get("body") or "",
            "scope_orgs": (data.get("scope_orgs") or []) if tier_two else [],
            "leaders_only": bool(data.get("leaders_only")) and tier_two,
            "files": data.get("attachments") or [],
        }


class WithdrawForm(forms.Form):
    reason = NeededCharField(
        label="撤回理由", widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )
