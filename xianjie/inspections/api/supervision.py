"""/supervision-acts (CONTRACT.md "Other resources"; 第二条, 第十三条（十）).

Notices and decisions are drafted by a supervision body (the justice bureau for any enforcement
org of its region, a legal unit for its own department) and signed by its leader with
`transitions/issue`. What the caller may not see is 404, an act that is not theirs 403, a wrong
status 409, bad fields 400 (every one named). The A10 flags have their own router (flags.py).
"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

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
from xianjie.core.errors import NotFound

from ..models import ActKind, FlagStatus, SupervisionAct
from ..selectors.supervision import (
    Deadline,
    act_list,
    act_view,
    attach_deadlines,
    get_act_for_user,
)
from ..services.supervision import act_create, act_issue, act_update, may_issue
from ..transitions import ActStatus, ActTransition, RectificationStatus

router = Router(tags=["联合法治督查与整改"])

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}


KIND = Query(None, description="文书类别")
ACT_STATUS = Query(None, description="状态：draft 草稿、issued 已签发")
TARGET = Query(None, description="被监督单位的 id")
NUMBER = Query(None, max_length=40, description="文号（包含）")


class StrictIn(Schema):
    # A misspelt field is named back instead of being dropped without a word.
    model_config = ConfigDict(extra="forbid")


class ActIn(StrictIn):
    kind: ActKind = Field(description="notice 行政执法监督通知书；decision 行政执法监督决定书")
    target_org: int = Field(description="被监督单位（行政执法机关）的 id")
    problem: str = Field("", description="存在的问题")
    basis: str = Field("", description="依据（法律、法规、规章名称及条款）")
    requirement: str = Field("", description="监督意见和要求")
    period_days: int | None = Field(
        None, description="整改（履行）期限，1—365 日；不填按时限参数（默认 30 日）"
    )
    decision_type: str = Field(
        "",
        description="决定书必填：fulfil 责令限期履行、correct 责令补正改正、revoke 撤销、"
        "confirm_illegal 确认违法；通知书不填",
    )
    notice: int | None = Field(
        None, description="决定书可填：本机关对同一单位签发、未按期执行或报告的通知书 id"
    )


class ActPatch(StrictIn):
    """Only the fields sent are changed; the kind never changes."""

    target_org: int | None = None
    problem: str | None = None
    basis: str | None = None
    requirement: str | None = None
    period_days: int | None = None
    decision_type: str | None = None
    notice: int | None = None


class DeadlineOut(Schema):
    start_date: date = Field(description="起算日期（当日不计入）")
    due_date: date = Field(description="报告期限（到期日期）")
    state: ClockState = Field(description="running、paused、met、overdue、missed、cancelled")
    state_label: str
    unconfirmed: bool = Field(description="到期日计算经过尚未录入官方节假日安排的年份")
    light: Light = Field(description="红黄绿灯：green、yellow、red、grey、done")


class ActRef(Schema):
    id: int
    number: str = Field(description="文号；草稿为空")
    kind: ActKind
    status: ActStatus


class TaskRef(Schema):
    id: int
    title: str
    status: RectificationStatus
    status_label: str


class FlagRef(Schema):
    id: int
    status: FlagStatus


class NamedMove(Schema):
    name: str
    label: str


class ActListOut(Schema):
    id: int
    number: str = Field(description="文号，签发后才有，例如 文司监通〔2026〕1号")
    kind: ActKind
    kind_label: str
    decision_type: str = Field(description="决定类型；通知书为空")
    decision_type_label: str
    status: ActStatus
    status_label: str
    issuer_org: OrgRef = Field(description="制发机关")
    target_org: OrgRef = Field(description="被监督单位")
    period_days: int = Field(description="整改（履行）期限（日）")
    created_at: datetime
    issued_at: datetime | None
    deadline: DeadlineOut | None = Field(description="报告期限；签发后才有")


class ActOut(ActListOut):
    problem: str
    basis: str
    requirement: str
    notice: ActRef | None = Field(description="未履行的监督通知书（决定书）")
    decisions: list[ActRef] = Field(description="据此制发的监督决定书（通知书）")
    task: TaskRef | None = Field(description="整改（履行）任务；仅制发机关和被监督单位可见")
    flag: FlagRef | None = Field(description="A10 标记")
    allowed_transitions: list[NamedMove]


def _deadline(deadline: Deadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    clock = deadline.clock
    return {
        "start_date": clock.start_date,
        "due_date": clock.due_date,
        "state": clock.state,
        "state_label": clock.get_state_display(),
        "unconfirmed": clock.due_unconfirmed,
        "light": deadline.light,
    }


def _row(act: SupervisionAct, deadline: Deadline | None) -> dict[str, Any]:
    return {
        "id": act.pk,
        "number": act.number,
        "kind": act.kind,
        "kind_label": act.get_kind_display(),
        "decision_type": act.decision_type,
        "decision_type_label": act.get_decision_type_display() if act.decision_type else "",
        "status": act.status,
        "status_label": act.get_status_display(),
        "issuer_org": act.issuer_org,
        "target_org": act.target_org,
        "period_days": act.period_days,
        "created_at": act.created_at,
        "issued_at": act.issued_at,
        "deadline": _deadline(deadline),
    }


def _detail(user: Any, act: SupervisionAct) -> dict[str, Any]:
    view = act_view(user, act)
    task = view.task if view.task_visible else None
    moves = []
    if act.status == ActStatus.DRAFT and may_issue(user, act):
        moves.append({"name": ActTransition.ISSUE.value, "label": ActTransition.ISSUE.label})
    return {
        **_row(act, view.deadline),
        "problem": act.problem,
        "basis": act.basis,
        "requirement": act.requirement,
        "notice": view.notice,
        "decisions": view.decisions,
        "task": {
            "id": task.pk,
            "title": task.title,
            "status": task.status,
            "status_label": task.get_status_display(),
        }
        if task is not None
        else None,
        "flag": view.flag,
        "allowed_transitions": moves,
    }


class ActPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        acts = attach_deadlines(list(page["items"]))
        page["items"] = [_row(act, act.deadline) for act in acts]  # type: ignore[attr-defined]
        return page


@router.get(
    "/supervision-acts",
    response={200: list[ActListOut], **READ_ERRORS},
    summary="行政执法监督文书列表",
    description="制发机关看到本机关的全部文书；被监督单位看到已签发给本单位的文书；司法局另可"
    "看到本行政区划内部门法制机构已签发的文书。",
)
@paginate(ActPagination)
def supervision_act_index(
    request: HttpRequest,
    kind: ActKind | None = KIND,
    status: ActStatus | None = ACT_STATUS,
    target: int | None = TARGET,
    q: str | None = NUMBER,
) -> QuerySet[SupervisionAct]:
    filters = {"kind": kind, "status": status, "target": target, "q": (q or "").strip()}
    return act_list(api_user(request), filters)


@router.post(
    "/supervision-acts",
    response={201: ActOut, 400: ErrorOut, 403: ErrorOut, **READ_ERRORS},
    summary="起草监督通知书或决定书",
    description="司法局（行政执法协调监督局）可对本行政区划内任一行政执法机关制发，部门法制机构"
    "只能对本部门制发（第二条）；由登记员或审批领导起草，状态为 draft。",
)
def supervision_act_add(request: HttpRequest, payload: ActIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    act = act_create(actor=user, **payload.model_dump(mode="json"))
    return Status(201, _detail(user, get_act_for_user(user, act.pk)))


@router.get(
    "/supervision-acts/{act_id}",
    response={200: ActOut, **DETAIL_ERRORS},
    summary="监督文书详情",
)
def supervision_act_show(request: HttpRequest, act_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _detail(user, get_act_for_user(user, act_id))


@router.patch(
    "/supervision-acts/{act_id}",
    response={200: ActOut, **WRITE_ERRORS},
    summary="修改监督文书草稿",
    description="只有制发机关可以修改，且只在草稿状态（否则 409）；未提供的字段保持不变。",
)
def supervision_act_edit(request: HttpRequest, act_id: int, payload: ActPatch) -> dict[str, Any]:
    user = api_user(request)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    act = act_update(act_id=act_id, actor=user, **changes)
    return _detail(user, get_act_for_user(user, act.pk))


@router.post(
    "/supervision-acts/{act_id}/transitions/{name}",
    response={200: ActOut, **WRITE_ERRORS},
    summary="签发监督文书",
    description="name：issue 签发——制发机关的审批领导签发草稿，编发文号，向被监督单位下达整改"
    "（履行）任务并开始计算报告期限。不由您签发 403；已签发 409。",
)
def supervision_act_move(
    request: HttpRequest, act_id: int, name: str = Path(..., description="操作名：issue")
) -> dict[str, Any]:
    user = api_user(request)
    if name != ActTransition.ISSUE:
        raise NotFound(f"没有名为“{name}”的操作。")
    act = act_issue(act_id=act_id, actor=user)
    return _detail(user, get_act_for_user(user, act.pk))
