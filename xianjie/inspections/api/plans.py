"""/inspections (CONTRACT.md "Other resources"): joint inspection plans (第八条), their units and
teams, 回避申报, the transitions, and the yearly record of "每年至少开展一次".

A plan the caller may not see answers 404, never 403 (第十一条); a plan they see but do not
organise answers 403 to any change; a move the status does not allow answers 409.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from xianjie.accounts.api import OrgRef
from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.core.errors import NotPermitted

from ..models import Inspection, InspectionMethod
from ..selectors.plans import (
    allowed_transitions,
    get_inspection_for_user,
    inspection_events,
    inspection_list,
    inspection_units,
    inspection_year_record,
)
from ..services.plans import inspection_create, inspection_transition, inspection_update
from ..services.teams import conflict_declare, inspection_units_set
from ..transitions import InspectionStatus

router = Router(tags=["联合法治督查与整改"])

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}


class StrictIn(Schema):
    # A misspelt field is named back instead of being dropped without a word.
    model_config = ConfigDict(extra="forbid")


class PlanIn(StrictIn):
    year: int = Field(description="年度")
    title: str = Field(description="督查名称")
    method: InspectionMethod = Field(description="special 专项检查；random 随机抽查")
    topic: str = Field("", description="检查主题和内容（专项检查必填）")
    organisers: list[int] = Field(
        description="组织单位的 id：须包括本单位，且纪检监察机关和行政执法监督机构各至少一个"
    )
    planned_start: date = Field(description="计划开始日期，须在该年度内")
    planned_end: date = Field(description="计划结束日期")


class PlanPatch(StrictIn):
    """Only the fields sent are changed."""

    year: int | None = None
    title: str | None = None
    method: InspectionMethod | None = None
    topic: str | None = None
    organisers: list[int] | None = None
    planned_start: date | None = None
    planned_end: date | None = None


class TransitionIn(StrictIn):
    comment: str | None = Field(None, description="说明；取消计划（cancel）时为取消理由，必填")
    report_summary: str | None = Field(
        None, description="检查情况报告：报告检查发现（report）时必填"
    )


class UnitIn(StrictIn):
    org: int = Field(description="被检查单位（行政执法机关）的 id")
    inspectors: list[int] = Field(description="检查组成员（用户 id），至少两人")


class UnitsIn(StrictIn):
    units: list[UnitIn] = Field(description="被检查单位及其检查组（整体替换）")


class ConflictIn(StrictIn):
    org: int = Field(description="回避单位（行政执法机关）的 id")
    reason: str = Field(description="回避事由")


class PersonOut(Schema):
    id: int
    name: str
    org: OrgRef


class UnitOut(Schema):
    org: OrgRef = Field(description="被检查单位")
    inspectors: list[PersonOut] = Field(description="检查组")
    draw: int | None = Field(description="产生该单位的随机抽取（id）；专项检查为空")


class EventOut(Schema):
    at: datetime
    actor: str = Field(description="操作人")
    actor_org: str = Field(description="操作单位")
    transition: str = Field(description="操作")
    label: str = Field(description="操作的中文名称")
    from_status: InspectionStatus | None
    to_status: InspectionStatus
    comment: str = Field(description="说明或取消理由")


class MoveOut(Schema):
    name: str = Field(description="操作名，用于 POST /inspections/{id}/transitions/{name}")
    label: str


class PlanOut(Schema):
    id: int
    year: int
    title: str
    method: InspectionMethod
    method_label: str
    status: InspectionStatus
    status_label: str
    planned_start: date
    planned_end: date
    organisers: list[OrgRef]


class InspectionListOut(PlanOut):
    @staticmethod
    def resolve_method_label(plan: Inspection) -> str:
        return plan.get_method_display()

    @staticmethod
    def resolve_status_label(plan: Inspection) -> str:
        return plan.get_status_display()

    @staticmethod
    def resolve_organisers(plan: Inspection) -> list[Any]:
        return list(plan.organisers.all())


class InspectionOut(PlanOut):
    topic: str
    report_summary: str = Field(description="检查情况报告")
    started_on: date | None
    reported_on: date | None
    closed_on: date | None
    created_at: datetime
    units: list[UnitOut] = Field(description="被检查单位和检查组（被检查单位只看到本单位）")
    events: list[EventOut] = Field(description="办理记录")
    allowed_transitions: list[MoveOut] = Field(description="当前可由您办理的操作")


class ConflictOut(Schema):
    id: int
    inspection: int
    org: OrgRef
    reason: str
    declared_at: datetime


class YearOut(Schema):
    year: int
    held: int = Field(description="已开展（已开始、已报告或已结束）的联合法治督查次数")
    met: bool = Field(description="是否落实第八条“每年至少开展一次”")
    warning: bool = Field(description="当年10月1日起仍未开展时为 true")
    inspections: list[InspectionListOut]


def _detail(plan: Inspection, user: Any) -> dict[str, Any]:
    fields = ("id", "year", "title", "method", "status", "planned_start", "planned_end", "topic")
    more = ("report_summary", "started_on", "reported_on", "closed_on", "created_at")
    return {
        **{key: getattr(plan, key) for key in (*fields, *more)},
        "method_label": plan.get_method_display(),
        "status_label": plan.get_status_display(),
        "organisers": list(plan.organisers.order_by("sort_order", "id")),
        "units": [
            {
                "org": row.org,
                "draw": row.draw_id,
                "inspectors": [
                    {"id": p.pk, "name": p.display_name, "org": p.org} for p in row.inspectors.all()
                ],
            }
            for row in inspection_units(user, plan)
        ],
        "events": [
            {**vars(e), "from_status": e.from_status or None} for e in inspection_events(user, plan)
        ],
        "allowed_transitions": [
            {"name": name, "label": label} for name, label in allowed_transitions(user, plan)
        ],
    }


YEAR = Query(None, ge=2000, le=2100, description="年度")
STATUS = Query(None, description="状态")
METHOD = Query(None, description="检查方式")


@router.get(
    "/inspections",
    response={200: list[InspectionListOut], **READ_ERRORS},
    summary="联合法治督查列表",
    description="组织单位和检查人员可见其督查；被检查单位在督查开始后可见。",
)
@paginate(PagePagination)
def inspection_index(
    request: HttpRequest,
    year: int | None = YEAR,
    status: InspectionStatus | None = STATUS,
    method: InspectionMethod | None = METHOD,
    q: str | None = Query(None, max_length=50, description="督查名称（包含）"),
) -> QuerySet[Inspection]:
    filters = {"year": year, "status": status, "method": method, "q": q}
    return inspection_list(api_user(request), filters)


@router.post(
    "/inspections",
    response={201: InspectionOut, 400: ErrorOut, 403: ErrorOut, **READ_ERRORS},
    summary="制定联合法治督查计划",
    description="纪检监察机关或行政执法监督机构的登记员、审批领导制定（第八条）；状态为计划中。",
)
def inspection_add(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    plan = inspection_create(actor=user, **payload.model_dump())
    return Status(201, _detail(plan, user))


@router.get(
    "/inspections/years/{year}",
    response={200: YearOut, 403: ErrorOut, **READ_ERRORS},
    summary="年度开展情况（第八条）",
    description="本行政区划该年度已开展的联合法治督查（您可见的）及是否落实“每年至少开展一次”；"
    "当年10月1日起仍未开展时 warning 为 true。",
)
def inspection_year(
    request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")
) -> dict[str, Any]:
    user = api_user(request)
    if user.org_id is None:
        raise NotPermitted()
    record = inspection_year_record(region=user.org.region_id, year=year, user=user)
    return vars(record)


@router.get(
    "/inspections/{inspection_id}",
    response={200: InspectionOut, **DETAIL_ERRORS},
    summary="联合法治督查详情",
)
def inspection_show(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _detail(get_inspection_for_user(user, inspection_id), user)


@router.patch(
    "/inspections/{inspection_id}",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="修改督查计划",
    description="只有组织单位可以修改（否则 403），且只在计划中（否则 409）。",
)
def inspection_edit(request: HttpRequest, inspection_id: int, payload: PlanPatch) -> dict[str, Any]:
    user = api_user(request)
    plan = inspection_update(
        inspection_id=inspection_id, actor=user, **payload.model_dump(exclude_unset=True)
    )
    return _detail(get_inspection_for_user(user, plan.pk), user)


@router.post(
    "/inspections/{inspection_id}/transitions/{name}",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="办理操作（状态流转）",
    description="name：start 开始检查（须已确定被检查单位和至少两人的检查组；随机抽查须为有效"
    "抽取结果）、report 报告检查发现（report_summary）、close 结束督查、cancel 取消计划"
    "（comment 为取消理由）。没有此操作或看不到此督查 404；不是组织单位 403；当前状态不允许 409。",
)
def inspection_move(
    request: HttpRequest,
    inspection_id: int,
    name: str = Path(..., description="操作名"),
    payload: TransitionIn | None = None,
) -> dict[str, Any]:
    user = api_user(request)
    given = payload.model_dump(exclude_none=True) if payload else {}
    plan = inspection_transition(inspection_id=inspection_id, actor=user, name=name, **given)
    return _detail(get_inspection_for_user(user, plan.pk), user)


@router.put(
    "/inspections/{inspection_id}/units",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="确定被检查单位和检查组（专项检查）",
    description="整体替换；每组至少两名检查人员，检查人员不得检查本人所在单位或已申报回避的单位。"
    "随机抽查由随机抽取产生（409）。",
)
def inspection_units_put(
    request: HttpRequest, inspection_id: int, payload: UnitsIn
) -> dict[str, Any]:
    user = api_user(request)
    units = [unit.model_dump() for unit in payload.units]
    plan = inspection_units_set(inspection_id=inspection_id, actor=user, units=units)
    return _detail(get_inspection_for_user(user, plan.pk), user)


@router.post(
    "/inspections/{inspection_id}/conflicts",
    response={201: ConflictOut, **WRITE_ERRORS},
    summary="回避申报",
    description="可见该督查的人员为本人申报与某被检查单位的利害关系；只在计划中（否则 409）。",
)
def inspection_conflict(
    request: HttpRequest, inspection_id: int, payload: ConflictIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    declared = conflict_declare(inspection_id=inspection_id, actor=user, **payload.model_dump())
    body = {
        "id": declared.pk,
        "inspection": declared.inspection_id,
        "org": declared.org,
        "reason": declared.reason,
        "declared_at": declared.declared_at,
    }
    return Status(201, body)
