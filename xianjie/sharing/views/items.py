"""The library of shared items (共享信息, 第十一条): the list with search and filters, drafting
and editing, the item's page with its files and — for the publishing org — its read receipts
and the acts of publishing and withdrawing.

An item the user may not open is 404, never 403, so its existence is not revealed; an act that
is not theirs is 403. A reader's first opening of a published item is their read receipt.
Refusals of the services come back on the same page, with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from xianjie.accounts.models import Role
from xianjie.core.errors import FileTooLarge, InvalidInput, NotFound, ServiceError
from xianjie.core.pages import service_page
from xianjie.referrals.evidence import ACCEPTED_LABELS, EvidenceCorrupted, download_response

from ..forms.items import ItemForm, LibraryFilterForm, WithdrawForm
from ..models import ItemStatus, SharedItem
from ..selectors.items import (
    TIER_BADGES,
    get_shared_item_for_user,
    item_actions,
    shared_item_category_counts,
    shared_item_list,
    shared_item_receipts,
)
from ..services.files import (
    MAX_FILES,
    refuse_oversized_upload,
    shared_file_delete,
    shared_file_items,
    shared_file_open,
    shared_files_of,
)
from ..services.items import (
    shared_item_create,
    shared_item_delete,
    shared_item_read,
    shared_item_transition,
    shared_item_update,
)

PAGE_SIZE = 20
PUBLISH_CONFIRM = {
    1: "确认发布？发布后本区域全部单位的登记员和审批领导即可阅读并收到通知，内容不能再修改，"
    "只能撤回。",
    2: "确认发布？发布后共享范围内的单位即可阅读并收到通知，内容不能再修改，只能撤回。",
}
WITHDRAW_CONFIRM = "确认撤回？撤回后所有阅读单位立即无法再查看该信息，撤回不能恢复。"
DELETE_CONFIRM = "确认删除该草稿及其附件？删除后不能恢复。"


def _put_back(form: Any, refusal: ServiceError) -> None:
    for key, texts in refusal.errors.items():
        # A file's refusal (400, 413, 415) names `file` or `files`; one field holds them all.
        field = "attachments" if key in ("file", "files") else key
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _may_draft(user: Any) -> bool:
    return user.org_id is not None and user.has_role(Role.CLERK, Role.LEADER)


@service_page("GET")
def library(request: HttpRequest) -> HttpResponse:
    """共享信息库: every item the user may open, searched and filtered (三员: none)."""
    user: Any = request.user
    form = LibraryFilterForm(request.GET, user=user)
    filters = form.filters()
    page = Paginator(shared_item_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "item": item,
            "badge": TIER_BADGES[item.tier],
            "unread": item.unread,  # type: ignore[attr-defined]
        }
        for item in page
    ]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "categories": shared_item_category_counts(user, filters),
        "category": filters.get("category", ""),
        "may_draft": _may_draft(user),
    }
    return render(request, "sharing/library.html", context)


def _form_page(
    request: HttpRequest, form: ItemForm, *, item: SharedItem | None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "item": item,
        "files": shared_file_items(shared_files_of(item, request.user)) if item else [],
        "accepted_types": ACCEPTED_LABELS,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "max_files": MAX_FILES,
    }
    return render(request, "sharing/item_form.html", context, status=status)


def _refused(request: HttpRequest, form: ItemForm, refusal: ServiceError) -> int:
    """Put a service's refusal on the form; the status to answer with."""
    if refusal.status in (403, 404):
        raise refusal
    if refusal.errors:
        _put_back(form, refusal)
    else:
        form.add_error(None, refusal.detail)
    return refusal.status


@service_page("GET", "POST")
def item_new(request: HttpRequest) -> HttpResponse:
    """起草共享信息, for the user's own org."""
    user: Any = request.user
    if not _may_draft(user):
        raise PermissionDenied("只有各单位的登记员和审批领导可以起草共享信息。")
    if request.method == "GET":
        return _form_page(request, ItemForm(user=user, initial={"tier": "1"}), item=None)
    try:
        # Before the body is read: a declared size beyond the limit is 413 at once.
        refuse_oversized_upload(request)
    except FileTooLarge as refusal:
        form = ItemForm(user=user, initial={"tier": "1"})
        form.add_error(None, refusal.detail)
        return _form_page(request, form, item=None, status=refusal.status)
    form = ItemForm(request.POST, request.FILES, user=user)
    form.is_valid()
    try:
        item = shared_item_create(actor=user, **form.service_fields())
    except ServiceError as refusal:
        return _form_page(request, form, item=None, status=_refused(request, form, refusal))
    messages.success(request, "草稿已保存。请核对后由本单位审批领导发布。")
    return redirect("sharing:item_detail", pk=item.pk)


@service_page("GET", "POST")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改草稿 (the publishing org's clerks and leaders)."""
    user: Any = request.user
    item = get_shared_item_for_user(user, pk)
    if "edit" not in item_actions(user, item):
        if item.publisher_org_id == user.org_id and item.status != ItemStatus.DRAFT:
            messages.error(request, "该信息已发布或已撤回，不能再修改。")
            return redirect("sharing:item_detail", pk=pk)
        raise PermissionDenied("只有发布单位的登记员和审批领导可以修改草稿。")
    if request.method == "GET":
        initial = {
            "tier": str(item.tier),
            "category": item.category,
            "title": item.title,
            "body": item.body,
            "scope_orgs": [str(org) for org in item.scope_orgs.values_list("pk", flat=True)],
            "leaders_only": item.leaders_only,
        }
        return _form_page(request, ItemForm(user=user, initial=initial), item=item)
    try:
        # Before the body is read: a declared size beyond the limit is 413 at once.
        refuse_oversized_upload(request)
    except FileTooLarge as refusal:
        form = ItemForm(user=user, initial={"tier": str(item.tier)})
        form.add_error(None, refusal.detail)
        return _form_page(request, form, item=item, status=refusal.status)
    form = ItemForm(request.POST, request.FILES, user=user)
    form.is_valid()
    try:
        shared_item_update(item_id=pk, actor=user, **form.service_fields())
    except ServiceError as refusal:
        return _form_page(request, form, item=item, status=_refused(request, form, refusal))
    messages.success(request, "草稿已保存。")
    return redirect("sharing:item_detail", pk=pk)


def render_detail(
    request: HttpRequest,
    pk: Any,
    *,
    status: int = 200,
    error: str = "",
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    item = get_shared_item_for_user(user, pk)
    if status == 200:
        shared_item_read(item=item, actor=user)
    actions = item_actions(user, item)
    receipts = shared_item_receipts(user, item)
    context = {
        "item": item,
        "badge": TIER_BADGES[item.tier],
        "scope": list(item.scope_orgs.order_by("sort_order", "id")) if item.tier == 2 else [],
        "files": shared_file_items(shared_files_of(item, user)),
        "actions": actions,
        "receipts": receipts,
        "read_orgs": sum(1 for row in receipts if row.has_read) if receipts else 0,
        "withdraw_form": (withdraw_form or WithdrawForm()) if "withdraw" in actions else None,
        "publish_confirm": PUBLISH_CONFIRM[item.tier],
        "withdraw_confirm": WITHDRAW_CONFIRM,
        "delete_confirm": DELETE_CONFIRM,
        "error": error,
    }
    return render(request, "sharing/item_detail.html", context, status=status)


@service_page("GET")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@service_page("POST")
def item_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """发布 or 撤回 (a leader of the publishing org), after the page's confirmation."""
    user: Any = request.user
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        item = shared_item_transition(
            item_id=pk, name=name, actor=user, reason=request.POST.get("reason", "")
        )
    except InvalidInput as refusal:
        _put_back(form, refusal)
        return render_detail(request, pk, status=400, withdraw_form=form)
    except ServiceError as refusal:
        if refusal.status in (403, 404):
            raise
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    if item.status == ItemStatus.PUBLISHED:
        messages.success(request, "已发布，阅读范围内的人员已收到通知。")
    else:
        messages.success(request, "已撤回，阅读单位已无法查看该信息。")
    return redirect("sharing:item_detail", pk=pk)


@service_page("POST")
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """删除草稿."""
    try:
        shared_item_delete(item_id=pk, actor=request.user)
    except ServiceError as refusal:
        if refusal.status in (403, 404):
            raise
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    messages.success(request, "草稿已删除。")
    return redirect("sharing:library")


@service_page("POST")
def item_file_delete(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """Remove an attachment of a draft."""
    user: Any = request.user
    item = get_shared_item_for_user(user, pk)
    if not shared_files_of(item, user).filter(pk=file_id).exists():
        raise NotFound()
    try:
        shared_file_delete(file_id=file_id, actor=user)
    except ServiceError as refusal:
        if refusal.status in (403, 404):
            raise
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    messages.success(request, "附件已删除。")
    return redirect("sharing:item_edit", pk=pk)


@login_required
@require_GET
def item_file_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """GET an attachment: 404 when not the user's to open, a Chinese 409 when it fails its
    integrity check, else the file (every download audited)."""
    try:
        opened = shared_file_open(file_id=file_id, item_id=pk, actor=request.user)
    except NotFound:
        raise Http404 from None
    except EvidenceCorrupted as refusal:
        return HttpResponse(
            refusal.detail, status=refusal.status, content_type="text/plain; charset=utf-8"
        )
    return download_response(opened)


urlpatterns = [
    path("", library, name="library"),
    path("new/", item_new, name="item_new"),
    path("<int:pk>/", item_detail, name="item_detail"),
    path("<int:pk>/edit/", item_edit, name="item_edit"),
    path("<int:pk>/delete/", item_delete, name="item_delete"),
    path("<int:pk>/transitions/<str:name>/", item_transition, name="item_transition"),
    path("<int:pk>/files/<int:file_id>/", item_file_download, name="item_file_download"),
    path("<int:pk>/files/<int:file_id>/delete/", item_file_delete, name="item_file_delete"),
]
