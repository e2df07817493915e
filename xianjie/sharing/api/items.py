"""/shared-items (CONTRACT.md "Other resources"): the library of shared information
(第十一条) — list and search, drafting, publishing, withdrawing, read receipts and files.

Whatever the caller may not open answers 404, never 403, and is never counted: readers see
published tier 1 items of their region and published tier 2 items whose scope names their org
(leaders only, when the publisher said so); the publishing org sees its own in every status. An
act on a visible item that is not the caller's is 403; in the wrong status 409.
"""

from dataclasses import asdict
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja import Query, Router, Schema, Status

from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.core.errors import Conflict, NotPermitted
from xianjie.referrals.evidence import download_response

from ..models import Category, ItemStatus, SharedFile, SharedItem
from ..selectors.items import (
    get_shared_item_for_user,
    is_publisher,
    item_actions,
    shared_item_list,
    shared_item_receipts,
)
from ..services.files import (
    refuse_oversized_upload,
    shared_file_delete,
    shared_file_items,
    shared_file_open,
    shared_file_upload,
    shared_files_of,
)
from ..services.items import (
    shared_item_create,
    shared_item_delete,
    shared_item_read,
    shared_item_transition,
    shared_item_update,
)
from .schemas_items import (
    FILE_BODY,
    FILE_RESPONSE,
    ReceiptsOut,
    SharedFileOut,
    SharedItemIn,
    SharedItemListOut,
    SharedItemOut,
    SharedItemPatch,
    TransitionIn,
)

router = Router(tags=["信息共享与警示教育"])

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}


def _file_url(item_id: int, file_id: int) -> str:
    return reverse("api:shared_item_file", kwargs={"item_id": item_id, "file_id": file_id})


def _files(item: SharedItem, rows: Any) -> list[dict[str, Any]]:
    return [
        {**asdict(entry), "url": _file_url(item.pk, entry.id)} for entry in shared_file_items(rows)
    ]


def _detail(item: SharedItem, user: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "tier": item.tier,
        "tier_label": item.get_tier_display(),
        "category": item.category,
        "category_label": item.get_category_display(),
        "title": item.title,
        "body": item.body,
        "publisher_org": item.publisher_org,
        "scope_orgs": list(item.scope_orgs.order_by("sort_order", "id")),
        "leaders_only": item.leaders_only,
        "status": item.status,
        "status_label": item.get_status_display(),
        "files": _files(item, shared_files_of(item, user)),
        "created_by": item.created_by.display_name,
        "created_at": item.created_at,
        "published_by": item.published_by.display_name if item.published_by else None,
        "published_at": item.published_at,
        "withdrawn_at": item.withdrawn_at,
        "withdraw_reason": item.withdraw_reason,
        "actions": sorted(item_actions(user, item)),
    }


def _fresh(item_id: int, user: Any) -> dict[str, Any]:
    return _detail(get_shared_item_for_user(user, item_id), user)


Q_PARAM = Query(None, max_length=100, description="检索词（中文按词切分，须包含每个词）")
TIER_PARAM = Query(None, ge=1, le=2, description="层级：1 一般；2 重要")
CATEGORY_PARAM = Query(None, description="类别")
STATUS_PARAM = Query(None, description="状态（草稿和已撤回的仅发布单位可见）")
PUBLISHER_PARAM = Query(None, description="发布单位（机构编号）")
DATE_FROM_PARAM = Query(None, description="发布日期自")
DATE_TO_PARAM = Query(None, description="发布日期至")
UNREAD_PARAM = Query(None, description="true：只看未读")


@router.get(
    "/shared-items",
    response={200: list[SharedItemListOut], **READ_ERRORS},
    summary="共享信息列表与检索",
    description="只列出当前用户可以阅读的共享信息（第十一条），计数与列表一致。q 为中文全文检索"
    "（按词切分，须包含每个词）；unread=true 只列出已发布、非本单位发布且本人尚未阅读的信息。",
)
@paginate(PagePagination)
def item_index(
    request: HttpRequest,
    q: str | None = Q_PARAM,
    tier: int | None = TIER_PARAM,
    category: Category | None = CATEGORY_PARAM,
    status: ItemStatus | None = STATUS_PARAM,
    publisher: int | None = PUBLISHER_PARAM,
    date_from: date | None = DATE_FROM_PARAM,
    date_to: date | None = DATE_TO_PARAM,
    unread: bool | None = UNREAD_PARAM,
) -> QuerySet[SharedItem]:
    filters = {
        "q": q,
        "tier": tier,
        "category": category,
        "status": status,
        "publisher": publisher,
        "date_from": date_from,
        "date_to": date_to,
        "unread": unread,
    }
    return shared_item_list(api_user(request), filters)


@router.post(
    "/shared-items",
    response={201: SharedItemOut, **WRITE_ERRORS},
    summary="起草共享信息",
    description="各单位的登记员或审批领导为本单位起草；发布前仅本单位可见。重要信息须指定本区域内的"
    "共享范围，一般信息不能指定范围；监督检查结果、问责处理情况属重要信息。",
)
def item_add(request: HttpRequest, payload: SharedItemIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    item = shared_item_create(actor=user, **payload.model_dump())
    return Status(201, _fresh(item.pk, user))


@router.get(
    "/shared-items/{item_id}",
    response={200: SharedItemOut, **DETAIL_ERRORS},
    summary="共享信息详情",
    description="读者首次打开已发布的信息即留下阅读回执。",
)
def item_show(request: HttpRequest, item_id: int) -> dict[str, Any]:
    user = api_user(request)
    item = get_shared_item_for_user(user, item_id)
    shared_item_read(item=item, actor=user)
    return _detail(item, user)


@router.patch(
    "/shared-items/{item_id}",
    response={200: SharedItemOut, **WRITE_ERRORS},
    summary="修改共享信息草稿",
    description="发布单位的登记员或审批领导修改草稿；未提供的字段保持不变。已发布或已撤回 409。",
)
def item_change(request: HttpRequest, item_id: int, payload: SharedItemPatch) -> dict[str, Any]:
    user = api_user(request)
    shared_item_update(item_id=item_id, actor=user, **payload.model_dump())
    return _fresh(item_id, user)


@router.delete(
    "/shared-items/{item_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除共享信息草稿",
    description="只能删除草稿（连同附件）；已发布的信息请撤回。",
)
def item_remove(request: HttpRequest, item_id: int) -> Status[None]:
    shared_item_delete(item_id=item_id, actor=api_user(request))
    return Status(204, None)


@router.post(
    "/shared-items/{item_id}/transitions/{name}",
    response={200: SharedItemOut, **WRITE_ERRORS},
    summary="发布或撤回共享信息",
    description="name：publish 发布（草稿，发布单位审批领导；阅读范围内人员收到通知）；withdraw "
    "撤回（已发布，发布单位审批领导，须填写 reason；撤回后读者立即无法查看）。",
)
def item_move(
    request: HttpRequest, item_id: int, name: str, payload: TransitionIn | None = None
) -> dict[str, Any]:
    user = api_user(request)
    reason = payload.reason if payload is not None else ""
    shared_item_transition(item_id=item_id, name=name, actor=user, reason=reason)
    return _fresh(item_id, user)


@router.get(
    "/shared-items/{item_id}/receipts",
    response={200: ReceiptsOut, 403: ErrorOut, 409: ErrorOut, **DETAIL_ERRORS},
    summary="阅读回执",
    description="仅发布单位可查：阅读范围内每个单位谁已阅读、首次阅读时间。一般信息为本区域全部单位，"
    "重要信息为指定范围；草稿尚无回执（409）。",
)
def item_receipts(request: HttpRequest, item_id: int) -> dict[str, Any]:
    user = api_user(request)
    item = get_shared_item_for_user(user, item_id)
    if not is_publisher(user, item):
        raise NotPermitted("只有发布单位可以查看阅读回执。")
    rows = shared_item_receipts(user, item)
    if rows is None:
        raise Conflict("草稿尚未发布，没有阅读回执。")
    return {
        "read_orgs": sum(1 for row in rows if row.has_read),
        "total_orgs": len(rows),
        "orgs": [
            {
                "org": row.org,
                "has_read": row.has_read,
                "readers": [{"name": name, "read_at": at} for name, at in row.readers],
            }
            for row in rows
        ],
    }


@router.post(
    "/shared-items/{item_id}/files",
    response={201: SharedFileOut, 413: ErrorOut, 415: ErrorOut, **WRITE_ERRORS},
    summary="上传共享信息附件",
    description="multipart/form-data：file。草稿状态下由发布单位的登记员或审批领导上传；按文件内容"
    "识别类型，其他类型 415；超过大小上限 413。文件加密保存。",
    openapi_extra={"requestBody": FILE_BODY},
)
def item_upload(request: HttpRequest, item_id: int) -> Status[dict[str, Any]]:
    user = api_user(request)
    item = get_shared_item_for_user(user, item_id)
    refuse_oversized_upload(request, files=1)
    shared = shared_file_upload(owner=item, file=request.FILES.get("file"), actor=user)
    rows = SharedFile.objects.filter(pk=shared.pk).select_related("uploaded_by")
    return Status(201, _files(item, rows)[0])


@router.get(
    "/shared-items/{item_id}/files/{file_id}",
    response={200: None, 409: ErrorOut, **DETAIL_ERRORS},
    url_name="shared_item_file",
    summary="下载共享信息附件",
    description="返回文件内容（以附件形式下载），每次下载都记入审计日志；文件校验不通过 409。",
    openapi_extra=FILE_RESPONSE,
)
def item_file(request: HttpRequest, item_id: int, file_id: int) -> HttpResponseBase:
    opened = shared_file_open(file_id=file_id, item_id=item_id, actor=api_user(request))
    return download_response(opened)


@router.delete(
    "/shared-items/{item_id}/files/{file_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除共享信息附件",
    description="草稿状态下由发布单位的登记员或审批领导删除。",
)
def item_file_remove(request: HttpRequest, item_id: int, file_id: int) -> Status[None]:
    user = api_user(request)
    item = get_shared_item_for_user(user, item_id)
    visible = shared_files_of(item, user).filter(pk=file_id).values_list("pk", flat=True)
    shared_file_delete(file_id=visible.first() or 0, actor=user)
    return Status(204, None)
