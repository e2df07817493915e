"""/inspections/{id}/draws (CONTRACT.md "Other resources"): random draws of a 随机抽查 (双随机,
第八条) — prepare (publish the seed's digest), run (reveal the seed), verify.

Only the inspection's organisers and inspectors see its draws; anyone else gets 404 (第十一条).
The seed is never in an answer before the draw has run; `pools` is the frozen pools exactly as
hashed, so that a client can recompute the pool digest and re-run the draw itself.
"""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from xianjie.core.api import (
    DETAIL_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)

from ..models import Draw, DrawStatus
from ..selectors.draws import draw_list, draw_pools, get_draw_for_user, get_inspection_for_draws
from ..services.draws import draw_prepare, draw_run
from ..verify_draw import draw_verify

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


class PoolUnitIn(StrictIn):
    org: int = Field(description="行政执法机关的 id")
    weight: int = Field(1, description="权重 1 至 10，风险较高的单位可设较高权重")


class DrawIn(StrictIn):
    units: list[PoolUnitIn] = Field(description="单位库：本行政区划在用的行政执法机关")
    inspectors: list[int] = Field(
        description="人员库：纪检监察机关和行政执法监督机构在岗人员的 id，两方面都须有人"
    )
    unit_count: int = Field(description="抽取单位数，1 至单位库中的单位数")
    team_size: int = Field(2, description="每组检查人员数，至少 2")
    reason: str = Field("", description="重新抽取理由；已有未作废的抽取时必填")


class DrawSummaryOut(Schema):
    id: int
    inspection: int
    sequence: int = Field(description="抽取批次，从 1 开始")
    status: DrawStatus = Field(
        description="committed 已公布种子摘要；drawn 已抽取；superseded 已作废"
    )
    status_label: str
    algorithm: str = Field(description="抽取算法，目前为 xj-draw-v1")
    unit_count: int
    team_size: int
    seed_hash: str = Field(description="种子的 SM3 摘要（十六进制），抽取前公布")
    pool_digest: str = Field(description="冻结的库（规范 JSON）的 SM3 摘要")
    seed: str | None = Field(description="种子（十六进制），抽取后才公开；抽取前为 null")
    reason: str = Field(description="重新抽取理由")
    replaces: int | None = Field(description="本次抽取取代的抽取 id")
    replaced_by: int | None = Field(description="取代本次抽取的抽取 id")
    prepared_by: str
    prepared_at: datetime
    drawn_by: str | None
    drawn_at: datetime | None


class NamedRef(Schema):
    id: int
    name: str


class TeamOut(Schema):
    unit: NamedRef = Field(description="被检查单位")
    inspectors: list[NamedRef] = Field(description="检查组，按抽取顺序")


class DrawOut(DrawSummaryOut):
    pools: dict[str, Any] = Field(
        description="冻结的库：algorithm、unit_count、team_size、units [[单位 id, 权重]]、"
        "inspectors [[人员 id, 所在单位 id, 上级单位 id 或 null]]、conflicts [[人员 id, 单位 id]]"
    )
    result: list[TeamOut] = Field(description="抽取结果，按抽取顺序；抽取前为空")


class CheckOut(Schema):
    name: str = Field(description="pool_digest、parameters、commitment、seed、result、teams")
    label: str
    ok: bool
    detail: str


class VerifyOut(Schema):
    draw: int
    ok: bool = Field(description="全部核对项目一致")
    checks: list[CheckOut]
    notes: list[str] = Field(description="说明，例如种子尚未公开")


def _summary(draw: Draw) -> dict[str, Any]:
    replaced_by = Draw.objects.filter(replaces=draw).values_list("pk", flat=True).first()
    return {
        "id": draw.pk,
        "inspection": draw.inspection_id,
        "sequence": draw.sequence,
        "status": draw.status,
        "status_label": draw.get_status_display(),
        "algorithm": draw.algorithm,
        "unit_count": draw.unit_count,
        "team_size": draw.team_size,
        "seed_hash": draw.seed_hash,
        "pool_digest": draw.pool_digest,
        # Filled only by draw_run: before it, the seed exists only sealed in seed_enc.
        "seed": draw.seed or None,
        "reason": draw.reason,
        "replaces": draw.replaces_id,
        "replaced_by": replaced_by,
        "prepared_by": draw.prepared_by.display_name,
        "prepared_at": draw.prepared_at,
        "drawn_by": draw.drawn_by.display_name if draw.drawn_by else None,
        "drawn_at": draw.drawn_at,
    }


def _detail(draw: Draw) -> dict[str, Any]:
    named = draw_pools(draw)
    return {
        **_summary(draw),
        "pools": draw.pools,
        "result": [
            {"unit": {"id": row["unit"], "name": row["name"]}, "inspectors": row["inspectors"]}
            for row in named.result
        ],
    }


STATUS = Query(None, description="状态")


class DrawPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_summary(draw) for draw in page["items"]]
        return page


@router.get(
    "/inspections/{inspection_id}/draws",
    response={200: list[DrawSummaryOut], **DETAIL_ERRORS},
    summary="随机抽取列表",
    description="督查的组织单位和检查人员可以查看；其他人 404。最新的抽取在前。",
)
@paginate(DrawPagination)
def draw_index(
    request: HttpRequest,
    inspection_id: int,
    status: DrawStatus | None = STATUS,
) -> QuerySet[Draw]:
    user = api_user(request)
    inspection = get_inspection_for_draws(user, inspection_id)
    return draw_list(user, inspection, status or "")


@router.post(
    "/inspections/{inspection_id}/draws",
    response={201: DrawOut, **WRITE_ERRORS},
    summary="准备随机抽取（公布种子摘要）",
    description="组织单位的登记员或审批领导冻结单位库和人员库，系统生成秘密种子并公布其 SM3 "
    "摘要（同时记入审计日志）。只适用于计划中的随机抽查（否则 409）；已有未作废的抽取时须填写"
    "重新抽取理由，原抽取作废。回避后可派人员不足的单位在 errors.inspectors 中列出。",
)
def draw_add(request: HttpRequest, inspection_id: int, payload: DrawIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    data = payload.model_dump()
    draw = draw_prepare(inspection_id=inspection_id, actor=user, **data)
    return Status(201, _detail(get_draw_for_user(user, inspection_id, draw.pk)))


@router.get(
    "/inspections/{inspection_id}/draws/{draw_id}",
    response={200: DrawOut, **DETAIL_ERRORS},
    summary="随机抽取详情",
    description="种子只在抽取后返回，抽取前 seed 为 null。",
)
def draw_show(request: HttpRequest, inspection_id: int, draw_id: int) -> dict[str, Any]:
    return _detail(get_draw_for_user(api_user(request), inspection_id, draw_id))


@router.post(
    "/inspections/{inspection_id}/draws/{draw_id}/run",
    response={200: DrawOut, **WRITE_ERRORS},
    summary="开始抽取（公开种子）",
    description="组织单位进行抽取：以密封的种子和冻结的库运行抽取算法，公开种子，抽取结果成为"
    "督查的被检查单位和检查组。每次抽取只能进行一次：已抽取或已作废 409；检查人员 403。",
)
def draw_start(request: HttpRequest, inspection_id: int, draw_id: int) -> dict[str, Any]:
    user = api_user(request)
    draw = get_draw_for_user(user, inspection_id, draw_id)
    draw_run(draw_id=draw.pk, actor=user)
    return _detail(get_draw_for_user(user, inspection_id, draw_id))


@router.get(
    "/inspections/{inspection_id}/draws/{draw_id}/verify",
    response={200: VerifyOut, **DETAIL_ERRORS},
    summary="验证随机抽取",
    description="重新运行抽取并逐项核对：库摘要、抽取参数、抽取前公布的审计记录、公开的种子、"
    "抽取结果、督查的被检查单位和检查组。种子尚未公开时只核对公布的摘要。",
)
def draw_check(request: HttpRequest, inspection_id: int, draw_id: int) -> dict[str, Any]:
    draw = get_draw_for_user(api_user(request), inspection_id, draw_id)
    report = draw_verify(draw)
    return {
        "draw": draw.pk,
        "ok": report.ok,
        "checks": [vars(check) for check in report.checks],
        "notes": report.notes,
    }
