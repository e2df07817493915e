"""/access-requests (CONTRACT.md "Other resources"): access requests for tier 3 material with their
two approvals, refusal, withdrawal and revocation (第十一条 严格审批共享); the reader log of one
grant (/access-requests/{id}/uses) and of all the caller's org's items (/access-uses).

Every handler starts from the access policy: a request the caller may not see is 404, never 403.
A move is refused in the contract's order: not yours 403, not now 409, bad fields 400 — every
bad field at once.
"""

import json
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Schema, Status

from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.core.errors import InvalidInput, NotFound, NotPermitted

from ..models import AccessRequest, AccessUse
from ..restrict import has_access
from ..selectors import (
    RequestDetail,
    Scope,
    access_request_detail,
    access_request_list,
    get_access_request_for_user,
    kind_label,
    may_see_uses,
    reader_log,
    request_uses,
)
from ..services.actors import FIELDS, is_live, require_actor, require_status
from ..services.requests import SERVICES, access_request_file
from ..transitions import RequestStatus, RequestTransition
from .schemas import RequestIn, RequestListOut, RequestOut, UseOut

router = Router(tags=["调阅申请"])

T = RequestTransition
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


def _row(access: AccessRequest) -> dict[str, Any]:
    return {
        "id": access.pk,
        "kind": access.kind,
        "kind_label": kind_label(access.kind),
        "reference": access.reference,
        "owner_org": access.owner_org,
        "requester": _person(access.requester),
        "requester_org": access.requester_org,
        "period_days": access.period_days,
        "status": access.status,
        "status_label": access.get_status_display(),
        "created_at": access.created_at,
        "granted_at": access.granted_at,
        "expires_at": access.expires_at,
        "live": is_live(access),
    }


def _detail(user: Any, request_id: Any) -> dict[str, Any]:
    access = get_access_request_for_user(user, request_id)
    detail: RequestDetail = access_request_detail(user, access)
    return {
        **_row(access),
        "purpose": access.purpose,
        "own_approver": _person(access.own_approver),
        "own_approved_at": access.own_approved_at,
        "owner_approver": _person(access.owner_approver),
        "closed_at": access.closed_at,
        "closed_by": _person(access.closed_by),
        "reason": access.reason,
        "events": [{**vars(e), "from_status": e.from_status or None} for e in detail.events],
        "allowed_transitions": [{"name": n, "label": label} for n, label in detail.moves],
        "granted_url": reverse("access:granted", args=[access.pk]) if detail.may_open else None,
    }


def _use(use: AccessUse) -> dict[str, Any]:
    return {
        "id": use.pk,
        "at": use.at,
        "user": _person(use.user),
        "org": use.user.org,
        "use": use.use,
        "use_label": use.get_use_display(),
        "what": use.what,
        "request": use.request_id,
        "reference": use.request.reference,
        "kind": use.request.kind,
    }


SCOPE = Query(
    None, pattern="^(mine|to_approve|owned|all)$", description="mine、to_approve、owned、all"
)
STATUS = Query(None, description="状态")
KIND = Query(None, max_length=20, description="调阅对象类别")
DATE_FROM = Query(None, description="起始日期（含）")
DATE_TO = Query(None, description="截止日期（含）")
READER = Query(None, description="查阅人（用户 id）")


class RequestPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_row(access) for access in page["items"]]
        return page


class UsePagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_use(use) for use in page["items"]]
        return page


@router.get(
    "/access-requests",
    response={200: list[RequestListOut], **READ_ERRORS},
    summary="调阅申请列表",
    description="scope：mine 我的申请；to_approve 待我审批；owned 本单位数据被调阅的申请；"
    "不填为可见的全部。只返回申请人本人、申请单位领导和数据所属单位可见的申请（第十一条）。",
)
@paginate(RequestPagination)
def access_request_index(
    request: HttpRequest,
    scope: str | None = SCOPE,
    status: RequestStatus | None = STATUS,
    kind: str | None = KIND,
) -> QuerySet[AccessRequest]:
    filters = {"scope": scope or Scope.ALL, "status": status, "kind": kind}
    return access_request_list(api_user(request), filters)


@router.post(
    "/access-requests",
    response={201: RequestOut, **WRITE_ERRORS},
    summary="提出调阅申请",
    description="第十一条 严格审批共享：案件当事方以外单位的登记员或审批领导申请调阅一项涉案类保密"
    "信息，说明事由（不少于10个字）和期限（1至30日，默认7日），经本单位领导、数据所属单位领导两级"
    "批准。未找到该编号或本单位是当事方 400（reference）；已有待审批或有效的同一申请 409。",
)
def access_request_add(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    created = access_request_file(actor=user, **payload.model_dump())
    return Status(201, _detail(user, created.pk))


@router.get(
    "/access-requests/{request_id}",
    response={200: RequestOut, **DETAIL_ERRORS},
    summary="调阅申请详情",
    description="含办理记录（events）和当前用户可执行的操作；"
    "申请人本人的授权有效时含 granted_url。",
)
def access_request_show(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _detail(api_user(request), request_id)


MOVE_BODY = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "comment": {"type": "string", "description": "审批意见：approve 选填"},
                    "reason": {"type": "string", "description": "理由：reject、revoke 必填"},
                },
            }
        }
    },
}


def _body(request: HttpRequest, name: str) -> dict[str, Any]:
    """The move's fields from a JSON object; a field the move does not take is named back."""
    try:
        given = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("请求内容不是有效的 JSON。") from None
    if not isinstance(given, dict):
        raise InvalidInput("请求内容应为 JSON 对象。")
    label = T(name).label
    unused = {key: [f"“{label}”不使用此项。"] for key in given if key not in FIELDS[name]}
    if unused:
        raise InvalidInput(errors=unused)
    return {key: given.get(key) or "" for key in FIELDS[name]}


@router.post(
    "/access-requests/{request_id}/transitions/{name}",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="办理调阅申请（状态流转）",
    description="name：approve 批准（comment；先由申请单位领导、再由数据所属单位领导批准，申请人"
    "本人不能批准）、reject 不予批准（reason）、withdraw 撤回（申请人，审批完成前）、revoke 收回"
    "授权（reason，数据所属单位领导）。看不到此申请 404；不由您办理 403；当前状态不允许 409；"
    "内容有误 400。",
    openapi_extra={"requestBody": MOVE_BODY},
)
def access_request_move(
    request: HttpRequest, request_id: int, name: str = Path(..., description="操作名")
) -> dict[str, Any]:
    user = api_user(request)
    service = SERVICES.get(name)
    if service is None:
        raise NotFound(f"没有名为“{name}”的操作。")
    access = get_access_request_for_user(user, request_id)
    # Asked first so that a refusal names what matters most: not yours (403), then not now
    # (409), then the fields (400); the service repeats them under the row lock.
    require_actor(user, access, name)
    require_status(access, name)
    service(request_id=access.pk, actor=user, **_body(request, name))
    return _detail(user, access.pk)


@router.get(
    "/access-requests/{request_id}/uses",
    response={200: list[UseOut], 403: ErrorOut, **DETAIL_ERRORS},
    summary="授权查阅记录",
    description="依据该申请的每一次查阅和下载（谁、何时、以何种方式、查阅了什么）。仅数据所属单位"
    "和申请单位领导可查看；可见申请的其他人 403。",
)
@paginate(UsePagination)
def access_request_uses(request: HttpRequest, request_id: int) -> QuerySet[AccessUse]:
    user = api_user(request)
    access = get_access_request_for_user(user, request_id)
    if not may_see_uses(user, access):
        raise NotPermitted("查阅记录仅供数据所属单位和申请单位领导查看。")
    return request_uses(user, access)


@router.get(
    "/access-uses",
    response={200: list[UseOut], 403: ErrorOut, **READ_ERRORS},
    summary="本单位数据被调阅记录",
    description="其他单位依据授权查阅、下载本单位涉案类保密信息的全部记录（第十一条），可按日期"
    "区间、查阅人和调阅对象类别筛选。",
)
@paginate(UsePagination)
def access_use_index(
    request: HttpRequest,
    date_from: date | None = DATE_FROM,
    date_to: date | None = DATE_TO,
    reader: int | None = READER,
    kind: str | None = KIND,
) -> QuerySet[AccessUse]:
    user = api_user(request)
    if user.org_id is None or not has_access(user, AccessUse):
        raise NotPermitted("调阅记录仅供数据所属单位查看。")
    filters = {"date_from": date_from, "date_to": date_to, "reader": reader, "kind": kind}
    return reader_log(user, filters)
