"""/referrals (CONTRACT.md "Referrals"): drafting, the transitions, evidence — both directions.

Every handler starts from the access policy: whatever the caller may not see answers 404, never
403 (第十一条), including the evidence of a referral the caller cannot see. Lists carry parties,
status and clocks only — never the case content — so the 司法局 may list the status of referrals
involving departmental legal units without reading them; filters that look into the content
(source, code, a certificate number) only ever match referrals whose content the caller may read.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Path, Query, Router, Schema, Status

from xianjie.access.restrict import rule_for
from xianjie.access.tiers import Action
from xianjie.calendar.models import Clock
from xianjie.calendar.selectors import clock_light, work_calendar
from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.core.errors import InvalidInput, NotFound

from .evidence import (
    download_response,
    evidence_item,
    evidence_listing,
    evidence_open,
    refuse_oversized_request,
)
from .evidence import evidence_upload as evidence_store
from .models import EvidenceRole, Referral, Source
from .permissions import require_actor
from .schemas import (
    DOWNLOAD_RESPONSE,
    UPLOAD_BODY,
    EvidenceOut,
    ReferralIn,
    ReferralListOut,
    ReferralOut,
    ReferralPatch,
    TransitionIn,
)
from .selectors import (
    duplicate_warnings,
    get_referral_for_user,
    referral_clocks,
    referral_content,
    referral_events,
    referral_list,
)
from .services import (
    FIELDS,
    SERVICES,
    referral_create,
    referral_transition,
    referral_update,
    transitions_for,
)
from .services.viewing import referral_view_record
from .transitions import Direction, Transition, status_label, target_status
from .transitions import Status as ReferralStatus

router = Router(tags=["线索移送"])

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}
#: A move that takes a reason accepts it as `comment` too, and the reverse (referral_transition).
INTERCHANGEABLE = frozenset({"comment", "reason"})


# --- Lists: parties, status and clocks, one query for the clocks of a whole page.


def _content_flag(user: Any) -> Any:
    rule = rule_for(Referral, user, Action.VIEW)
    if isinstance(rule, bool):
        return Value(rule)
    return Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def _listing(user: Any, filters: dict[str, Any]) -> QuerySet[Referral]:
    """Rows the user may see the status of; content filters match only readable referrals."""
    plain = ("direction", "status", "overdue", "date_from", "date_to")
    rows = referral_list(user, {k: filters[k] for k in plain}, action=Action.STATUS)
    if content := {k: filters[k] for k in ("source", "code") if filters[k]}:
        rows = rows.filter(pk__in=referral_list(user, content).order_by().values("pk"))
    if q := filters["q"]:
        by_content = referral_list(user, {"q": q}).order_by().values("pk")
        rows = rows.filter(Q(number__icontains=q) | Q(pk__in=by_content))
    return rows.annotate(content_visible=_content_flag(user))


def _attach_clocks(referrals: list[Referral]) -> list[Referral]:
    """The clocks of a page of referrals in one query (the detail uses referral_clocks)."""
    by_referral: dict[int, list[Clock]] = defaultdict(list)
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id__in=[r.pk for r in referrals],
    ).select_related("parameter")
    for clock in clocks.order_by("start_date", "id"):
        by_referral[clock.object_id].append(clock)
    for referral in referrals:
        referral.page_clocks = by_referral[referral.pk]  # type: ignore[attr-defined]
    return referrals


class ReferralPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = _attach_clocks(list(page["items"]))
        return page


DIRECTION = Query(None, description="移送方向")
STATUS = Query(None, description="状态")
SOURCE = Query(None, description="线索来源")
DATE_FROM = Query(None, description="登记日期起（含）")
DATE_TO = Query(None, description="登记日期止（含）")


@router.get(
    "/referrals",
    response={200: list[ReferralListOut], **READ_ERRORS},
    summary="线索移送列表",
    description="只返回当事双方可见的移送；列表不含案情内容。司法局另可看到涉及部门法制机构的"
    "移送的状态（content_visible 为 false，不能查看详情）。",
)
@paginate(ReferralPagination)
def referral_index(
    request: HttpRequest,
    direction: Direction | None = DIRECTION,
    status: ReferralStatus | None = STATUS,
    overdue: bool | None = Query(None, description="true：只列出有逾期时限的移送"),
    q: str | None = Query(None, max_length=50, description="移送文号（包含）或执法证编号（精确）"),
    source: Source | None = SOURCE,
    code: str | None = Query(None, max_length=10, description="违法违纪行为代码，例如 P08"),
    date_from: date | None = DATE_FROM,
    date_to: date | None = DATE_TO,
) -> QuerySet[Referral]:
    filters = {
        "direction": direction,
        "status": status,
        "overdue": overdue,
        "q": (q or "").strip(),
        "source": source,
        "code": (code or "").strip(),
        "date_from": date_from,
        "date_to": date_to,
    }
    return _listing(api_user(request), filters)


# --- One referral: its content, clocks, timeline, files and the moves open to the caller.


def _detail(referral: Referral, user: Any) -> dict[str, Any]:
    content = referral_content(referral)
    calendar = work_calendar()
    return {
        "id": referral.pk,
        "number": referral.number,
        "direction": referral.direction,
        "direction_label": referral.get_direction_display(),
        "status": referral.status,
        "status_label": status_label(referral.direction, referral.status),
        "sender_org": referral.sender_org,
        "receiver_org": referral.receiver_org,
        "forwarded_from": referral.forwarded_from_id,
        "source": referral.source,
        "source_label": referral.get_source_display(),
        "subjects": [s.as_input() for s in content.subjects],
        "facts": content.facts,
        "norms": content.norms,
        "violation_codes": content.codes,
        "summary": content.summary,
        "return_reason": content.return_reason,
        "result": content.result,
        "disposal_method": referral.disposal_method or None,
        "feedback_document": referral.feedback_document_id,
        "created_at": referral.created_at,
        "sent_at": referral.sent_at,
        "received_at": referral.received_at,
        "closed_at": referral.closed_at,
        "deadlines": [
            {
                "kind": c.kind,
                "label": c.parameter.label,
                "start_date": c.start_date,
                "due_date": c.due_date,
                "state": c.state,
                "state_label": c.get_state_display(),
                "unconfirmed": c.due_unconfirmed,
                "light": clock_light(c, calendar=calendar),
            }
            for c in referral_clocks(referral)
        ],
        "events": [
            {**vars(e), "from_status": e.from_status or None} for e in referral_events(referral)
        ],
        "evidence": evidence_listing(referral, user),
        "allowed_transitions": [
            {"name": name, "label": label} for name, label in transitions_for(user, referral)
        ],
        "warnings": duplicate_warnings(user, referral),
    }


@router.post(
    "/referrals",
    response={201: ReferralOut, 400: ErrorOut, 403: ErrorOut, **READ_ERRORS},
    summary="登记线索移送（草稿）",
    description="由移送单位的登记员登记；草稿可以不完整，提交审批时按第四条检查。"
    "warnings 提示另有未办结的移送涉及相同的人员或单位（不阻止登记）。",
)
def referral_add(request: HttpRequest, payload: ReferralIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    data = payload.model_dump(mode="json")
    referral = referral_create(actor=user, direction=data.pop("direction"), **data)
    return Status(201, _detail(referral, user))


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **DETAIL_ERRORS},
    summary="线索移送详情",
    description="每次查看都记入审计日志（第十一条）。",
)
def referral_show(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    user = api_user(request)
    referral = get_referral_for_user(user, referral_id)
    referral_view_record(referral=referral, actor=user)
    return _detail(referral, user)


#: PATCH fields that are lists or texts: an explicit null empties them.
_EMPTY = {"subjects": [], "norms": [], "violation_codes": [], "facts": "", "summary": ""}


@router.patch(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="修改草稿",
    description="只有移送单位的登记员可以修改，且只在草稿状态（否则 409）；未提供的字段保持不变。",
)
def referral_edit(request: HttpRequest, referral_id: int, payload: ReferralPatch) -> dict[str, Any]:
    user = api_user(request)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    for key, value in changes.items():
        if value is None and key in _EMPTY:
            changes[key] = _EMPTY[key]
    referral = referral_update(referral_id=referral_id, actor=user, **changes)
    return _detail(get_referral_for_user(user, referral.pk), user)


# --- Transitions.


def _unused_fields(name: str, given: dict[str, Any]) -> dict[str, list[str]]:
    wanted = set(FIELDS[name])
    if wanted & INTERCHANGEABLE:
        wanted |= INTERCHANGEABLE
    label = Transition(name).label
    return {key: [f"“{label}”不使用此项。"] for key in given if key not in wanted}


@router.post(
    "/referrals/{referral_id}/transitions/{name}",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="办理操作（状态流转）",
    description="name：submit 提交审批、approve 批准移送、reject 退回修改、withdraw 撤回、"
    "receive 签收、dispose 处置（method）、return 退回（reason）、forward 转办（target_org、"
    "reason）、request_supplement 要求补充材料（what）、supplement 补充材料、feedback 书面反馈"
    "（result、document）、revise 修改后重新移送、close 办结。没有此操作或看不到此移送 404；"
    "不由您办理 403；当前状态不允许 409；内容不全或有误 400（逐项列出）。",
)
def referral_move(
    request: HttpRequest,
    referral_id: int,
    name: str = Path(..., description="操作名"),
    payload: TransitionIn | None = None,
) -> dict[str, Any]:
    user = api_user(request)
    if name not in SERVICES:
        raise NotFound(f"没有名为“{name}”的操作。")
    referral = get_referral_for_user(user, referral_id)
    # The same checks the service repeats under the row lock, asked first so that a refusal
    # names what matters most: not yours (403), then not now (409), then the fields (400).
    require_actor(user, referral, name)
    target_status(referral.direction, referral.status, name, resume_to=referral.resume_status)
    given = payload.model_dump(mode="json", exclude_none=True) if payload else {}
    if unused := _unused_fields(name, given):
        raise InvalidInput(errors=unused)
    moved = referral_transition(referral_id=referral.pk, name=name, actor=user, **given)
    return _detail(get_referral_for_user(user, moved.pk), user)


# --- Evidence files.


@router.post(
    "/referrals/{referral_id}/evidence",
    response={201: EvidenceOut, 413: ErrorOut, 415: ErrorOut, **WRITE_ERRORS},
    summary="上传证据材料或文书",
    description="multipart/form-data。移送单位在草稿时上传证据材料（evidence、other），在待补充"
    "材料时上传补充材料（supplement）；接收单位在办理中上传反馈文书（feedback_letter）。"
    "按文件内容识别类型：PDF、JPEG、PNG、OFD、DOCX、XLSX、MP4、MP3、WAV，其他类型 415；"
    "超过大小上限 413。",
    openapi_extra={"requestBody": UPLOAD_BODY},
)
def evidence_upload(request: HttpRequest, referral_id: int) -> Status[Any]:
    user = api_user(request)
    referral = get_referral_for_user(user, referral_id)
    refuse_oversized_request(request)
    evidence = evidence_store(
        referral=referral,
        actor=user,
        file=request.FILES.get("file"),
        role=request.POST.get("role") or EvidenceRole.EVIDENCE,
        description=request.POST.get("description", ""),
    )
    return Status(201, evidence_item(evidence))


@router.get(
    "/referrals/{referral_id}/evidence/{evidence_id}",
    response={200: None, 409: ErrorOut, **DETAIL_ERRORS},
    summary="下载证据材料或文书",
    description="返回文件内容（以附件形式下载），每次下载都记入审计日志；文件校验不通过 409。",
    openapi_extra={"responses": DOWNLOAD_RESPONSE},
)
def evidence_download(request: HttpRequest, referral_id: int, evidence_id: int) -> HttpResponseBase:
    opened = evidence_open(
        evidence_id=evidence_id, referral_id=referral_id, actor=api_user(request)
    )
    return download_response(opened)
