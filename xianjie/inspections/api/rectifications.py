"""/rectifications (CONTRACT.md "Other resources"): rectification tasks (整改, 第九条) with their
deadlines, reports, files and history, progress reports, and the transitions.

Every handler starts from the access policy: a task or file the caller may not see is 404, never
403. A move is refused in the contract's order: not yours 403, not now 409, bad fields 400 —
every bad field at once — and files 413/415.
"""

import json
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Path, Query, Router, Schema, Status

from xianjie.accounts.api import OrgRef
from xianjie.calendar.models import ClockState
from xianjie.calendar.selectors import Light
from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.core.errors import InvalidInput, NotFound
from xianjie.referrals.evidence import download_response

from ..models import Rectification, RectificationKind, RectificationReport, ReportKind
from ..selectors.rectifications import (
    RectificationDetail,
    get_rectification_for_user,
    rectification_detail,
    rectification_list,
    report_views,
    task_clocks,
)
from ..services.attachments import attachment_open, refuse_oversized_upload
from ..services.rectification_actors import FIELDS, require_actor, require_status
from ..services.rectifications import SERVICES, rectification_report
from ..transitions import RectificationStatus, RectificationTransition

router = Router(tags=["联合法治督查与整改"])

T = RectificationTransition
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    **DETAIL_ERRORS,
}


class TaskListOut(Schema):
    id: int = Field(description="任务编号")
    kind: RectificationKind = Field(description="来源：finding、notice、decision、meeting、lesson")
    kind_label: str
    title: str = Field(description="任务名称")
    unit: OrgRef = Field(description="整改单位")
    status: RectificationStatus = Field(description="open、submitted、closed、cancelled")
    status_label: str
    period_days: int = Field(description="整改期限（日）")
    reopen_count: int = Field(description="退回重新整改次数")
    escalated_at: datetime | None = Field(description="逾期督办时间；为空表示未督办")
    created_at: datetime = Field(description="下达时间")
    submitted_at: datetime | None = Field(description="提交整改报告时间")
    closed_at: datetime | None = Field(description="销号时间")
    due_date: date | None = Field(description="当前（或最近一次）整改时限的到期日期")
    light: Light | None = Field(description="红黄绿灯：green、yellow、red、grey、done")
    overdue: bool = Field(description="整改时限是否已逾期")


class DeadlineOut(Schema):
    kind: str = Field(description="时限类别：rectification")
    label: str
    period_days: int = Field(description="本次整改期限（日）")
    start_date: date = Field(description="起算日期（当日不计入）")
    due_date: date
    state: ClockState = Field(description="running、paused、met、overdue、missed、cancelled")
    state_label: str
    unconfirmed: bool = Field(description="到期日计算经过尚未录入官方节假日安排的年份")
    light: Light


class AttachmentOut(Schema):
    id: int
    filename: str
    description: str
    content_type: str = Field(description="按内容识别的文件类型")
    size: int = Field(description="大小（字节）")
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class ReportOut(Schema):
    id: int
    kind: ReportKind = Field(description="progress 整改进展；submission 整改报告")
    kind_label: str
    text: str
    author: str
    at: datetime
    attachments: list[AttachmentOut]


class EventOut(Schema):
    at: datetime
    actor: str = Field(description="操作人；逾期督办由系统定时巡检记录")
    actor_org: str
    transition: RectificationTransition
    transition_label: str
    from_status: RectificationStatus | None
    to_status: RectificationStatus
    comment: str = Field(description="意见或理由")
    data: dict[str, Any] = Field(description="附加信息（报告 id、文件数、重新整改期限等）")


class AllowedOut(Schema):
    name: RectificationTransition = Field(description="用于 POST .../transitions/{name}")
    label: str


class SourceOut(Schema):
    kind: RectificationKind
    label: str = Field(description="来源说明；能查看来源记录时含其编号")
    id: int = Field(description="来源记录的 id")


class TaskOut(TaskListOut):
    requirement: str = Field(description="整改要求")
    basis: str = Field(description="依据")
    overseers: list[OrgRef] = Field(description="跟踪检查单位")
    source: SourceOut
    deadlines: list[DeadlineOut]
    reports: list[ReportOut]
    events: list[EventOut]
    allowed_transitions: list[AllowedOut] = Field(description="当前用户可执行的操作")


def _row(task: Rectification, badge: Any) -> dict[str, Any]:
    return {
        "id": task.pk,
        "kind": task.kind,
        "kind_label": task.get_kind_display(),
        "title": task.title,
        "unit": task.unit,
        "status": task.status,
        "status_label": task.get_status_display(),
        "period_days": task.period_days,
        "reopen_count": task.reopen_count,
        "escalated_at": task.escalated_at,
        "created_at": task.created_at,
        "submitted_at": task.submitted_at,
        "closed_at": task.closed_at,
        "due_date": badge.clock.due_date if badge else None,
        "light": badge.light if badge else None,
        "overdue": bool(badge and badge.overdue),
    }


def _report(view: Any) -> dict[str, Any]:
    report: RectificationReport = view.report
    return {
        "id": report.pk,
        "kind": report.kind,
        "kind_label": report.get_kind_display(),
        "text": report.text,
        "author": view.author,
        "at": report.at,
        "attachments": [vars(item) for item in view.files],
    }


def _detail(user: Any, task_id: Any) -> dict[str, Any]:
    task = get_rectification_for_user(user, task_id)
    detail: RectificationDetail = rectification_detail(user, task)
    return {
        **_row(task, task_clocks([task]).get(task.pk)),
        "requirement": task.requirement,
        "basis": task.basis,
        "overseers": detail.overseers,
        "source": {"kind": task.kind, "label": detail.source_label, "id": task.source_id},
        "deadlines": [
            {
                "kind": row["clock"].kind,
                "label": row["clock"].parameter.label,
                "period_days": row["clock"].period_amount,
                "start_date": row["clock"].start_date,
                "due_date": row["clock"].due_date,
                "state": row["clock"].state,
                "state_label": row["clock"].get_state_display(),
                "unconfirmed": row["clock"].due_unconfirmed,
                "light": row["light"],
            }
            for row in detail.clocks
        ],
        "reports": [_report(view) for view in detail.reports],
        "events": [{**vars(e), "from_status": e.from_status or None} for e in detail.events],
        "allowed_transitions": [{"name": n, "label": label} for n, label in detail.moves],
    }


class TaskPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        tasks = list(page["items"])
        badges = task_clocks(tasks)
        page["items"] = [_row(task, badges.get(task.pk)) for task in tasks]
        return page


STATUS = Query(None, description="状态")
KIND = Query(None, description="来源")


@router.get(
    "/rectifications",
    response={200: list[TaskListOut], **READ_ERRORS},
    summary="整改任务列表",
    description="只返回整改单位和跟踪检查单位可见的任务（第九条、第十一条）。",
)
@paginate(TaskPagination)
def rectification_index(
    request: HttpRequest,
    unit: int | None = Query(None, description="整改单位的 id"),
    status: RectificationStatus | None = STATUS,
    kind: RectificationKind | None = KIND,
    overdue: bool | None = Query(None, description="true：只列出整改时限已逾期的任务"),
    escalated: bool | None = Query(None, description="true：只列出已逾期督办的任务"),
    q: str | None = Query(None, max_length=50, description="任务名称（包含）或任务编号"),
) -> QuerySet[Rectification]:
    filters = {
        "unit": unit,
        "status": status,
        "kind": kind,
        "overdue": overdue,
        "escalated": escalated,
        "q": (q or "").strip(),
    }
    return rectification_list(api_user(request), filters)


@router.get(
    "/rectifications/{task_id}",
    response={200: TaskOut, **DETAIL_ERRORS},
    summary="整改任务详情",
    description="含整改时限（deadlines）、整改进展与整改报告（reports，含附件）和办理记录（events）。",
)
def rectification_show(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return _detail(api_user(request), task_id)


def _body(request: HttpRequest, name: str) -> dict[str, Any]:
    """The move's fields from a multipart form (with `files`) or a JSON object; a field the move
    does not take is named back (400)."""
    if (request.content_type or "").startswith("multipart/"):
        if "files" in FIELDS[name]:
            refuse_oversized_upload(request)
        given: dict[str, Any] = {
            k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"
        }
        if files := request.FILES.getlist("files"):
            given["files"] = files
    else:
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
    # A field left out (or null) is empty: the service names what is required.
    return {key: given.get(key) or ([] if key == "files" else "") for key in FIELDS[name]}


MULTIPART_BODY = {
    "schema": {
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "报告内容"},
            "files": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "附件，最多 10 个",
            },
        },
    }
}
MOVE_BODY = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "报告内容：report、submit 必填"},
                    "comment": {"type": "string", "description": "跟踪检查意见：verify 选填"},
                    "reason": {"type": "string", "description": "理由：reopen、cancel 必填"},
                    "period_days": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 365,
                        "description": "重新整改期限（日）：reopen 选填，默认原定期限",
                    },
                },
            }
        },
        "multipart/form-data": MULTIPART_BODY,
    },
}
REPORT_BODY = {"required": True, "content": {"multipart/form-data": MULTIPART_BODY}}


@router.post(
    "/rectifications/{task_id}/transitions/{name}",
    response={200: TaskOut, **WRITE_ERRORS},
    summary="办理整改任务（状态流转）",
    description="name：report 报告整改进展（text、files）、submit 提交整改报告（text、files，"
    "multipart 或 JSON）、verify 跟踪检查通过（comment）、reopen 退回重新整改（reason、"
    "period_days）、cancel 撤销任务（reason，限跟踪检查单位领导）。看不到此任务 404；不由您办理 "
    "403；当前状态不允许 409；内容有误 400（逐项列出）；文件过大 413、类型不接受 415。",
    openapi_extra={"requestBody": MOVE_BODY},
)
def rectification_move(
    request: HttpRequest, task_id: int, name: str = Path(..., description="操作名")
) -> dict[str, Any]:
    user = api_user(request)
    service = SERVICES.get(name)
    if service is None:
        raise NotFound(f"没有名为“{name}”的操作。")
    task = get_rectification_for_user(user, task_id)
    # The checks the service repeats under the row lock, asked first so that a refusal names
    # what matters most: not yours (403), then not now (409), then the fields (400).
    require_actor(user, task, name)
    require_status(task, name)
    service(task_id=task.pk, actor=user, **_body(request, name))
    return _detail(user, task.pk)


@router.post(
    "/rectifications/{task_id}/reports",
    response={201: ReportOut, **WRITE_ERRORS},
    summary="报告整改进展",
    description="multipart/form-data：text（必填）、files（可多个，最多 10 个）；整改单位在整改中"
    "报告。按文件内容识别类型，不接受的类型 415，超过大小上限 413。",
    openapi_extra={"requestBody": REPORT_BODY},
)
def rectification_report_add(request: HttpRequest, task_id: int) -> Status[dict[str, Any]]:
    user = api_user(request)
    task = get_rectification_for_user(user, task_id)
    require_actor(user, task, T.REPORT)
    require_status(task, T.REPORT)
    report = rectification_report(task_id=task.pk, actor=user, **_body(request, T.REPORT))
    (view,) = [v for v in report_views(user, task) if v.report.pk == report.pk]
    return Status(201, _report(view))


@router.get(
    "/rectifications/{task_id}/attachments/{attachment_id}",
    response={200: None, 409: ErrorOut, **DETAIL_ERRORS},
    summary="下载整改报告附件",
    description="返回文件内容（以附件形式下载），每次下载都记入审计日志；文件校验不通过 409。",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容（附件）",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def rectification_attachment(
    request: HttpRequest, task_id: int, attachment_id: int
) -> HttpResponseBase:
    opened = attachment_open(attachment_id=attachment_id, actor=api_user(request), task_id=task_id)
    return download_response(opened)
