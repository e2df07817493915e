"""Random draws of a 随机抽查 (双随机: units and inspectors drawn at random; 第八条, DOMAIN.md §3).

Fairness is checkable: `draw_prepare` freezes the pools and publishes SM3 digests of a secret seed
and of the pools — the `draw.prepare` audit entry is the published commitment — before anyone
knows the outcome; `draw_run` then applies the deterministic algorithm (`inspections.drawing`),
reveals the seed and makes the result the inspection's units and teams. A draw runs once; a
redraw is a new draw with its reason, and the draw it replaces is superseded — never silently.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import SUPERVISION_KINDS, OrgKind, User
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted
from xianjie.core.validation import clean_text

from .. import drawing
from ..models import (
    ConflictDeclaration,
    Draw,
    DrawStatus,
    Inspection,
    InspectionEvent,
    InspectionMethod,
    InspectionUnit,
)
from ..sealing import new_wrapped_key, seal, unseal
from ..selectors.draws import get_inspection_for_draws
from ..selectors.plans import eligible_inspectors, enforcement_units
from ..transitions import InspectionStatus
from ..verify_draw import draw_verify
from ._support import audit, people, tell

AUDIT_LABELS = {
    "draw.prepare": "随机抽取·公布种子摘要",
    "draw.supersede": "随机抽取·作废（重新抽取）",
    "draw.run": "随机抽取·抽取并公开种子",
}

MIN_TEAM = 2
MAX_TEAM = 10
MAX_POOL_UNITS = 200
MAX_POOL_INSPECTORS = 500
MAX_REASON = 200


def _pk(value: Any) -> int | None:
    text = str(getattr(value, "pk", value) if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _organised(inspection_id: Any, actor: Any) -> Inspection:
    """The inspection locked for a draw: 404 when the actor may not see its draws (the units
    never do, even once the inspection is announced), 403 when the actor sees them but is not
    of an organiser (inspectors see draws but do not make them)."""
    get_inspection_for_draws(actor, inspection_id)
    if not Inspection.objects.restrict(actor, "change").filter(pk=inspection_id).exists():
        raise NotPermitted("只有组织单位可以进行随机抽取。")
    return Inspection.objects.select_for_update().select_related("region").get(pk=inspection_id)


def _require_drawable(inspection: Inspection) -> None:
    if inspection.method != InspectionMethod.RANDOM:
        raise Conflict("专项检查的被检查单位由组织单位确定，不进行随机抽取。")
    if inspection.status != InspectionStatus.PLANNED:
        label = InspectionStatus(inspection.status).label
        raise Conflict(f"督查已{label}，不能再进行随机抽取。")


def _unit_pool(inspection: Inspection, raw: Any, errors: dict[str, list[str]]) -> list[list[int]]:
    items = list(raw or [])
    if not items:
        errors["units"] = ["请至少选择一个单位进入单位库。"]
        return []
    if len(items) > MAX_POOL_UNITS:
        errors["units"] = [f"单位库不应超过{MAX_POOL_UNITS}个单位。"]
        return []
    allowed = enforcement_units(inspection.region_id).in_bulk()
    pool: dict[int, int] = {}
    for i, item in enumerate(items):
        entry = item if isinstance(item, dict) else {"org": item}
        org = allowed.get(_pk(entry.get("org")) or 0)
        weight = _whole(entry.get("weight", drawing.DEFAULT_WEIGHT))
        if weight is None or not drawing.MIN_WEIGHT <= weight <= drawing.MAX_WEIGHT:
            errors[f"units.{i}.weight"] = [
                f"权重应为{drawing.MIN_WEIGHT}至{drawing.MAX_WEIGHT}之间的整数。"
            ]
        if org is None:
            errors[f"units.{i}.org"] = ["单位库只能包括本行政区划内在用的行政执法机关。"]
        elif org.pk in pool:
            errors[f"units.{i}.org"] = [f"{org.name}重复。"]
        else:
            # Counted even with a bad weight, so that the unit count is checked against the
            # pool the user meant; the weight's own error stops the draw anyway.
            pool[org.pk] = weight or drawing.DEFAULT_WEIGHT
    return [[org, weight] for org, weight in sorted(pool.items())]


def _inspector_pool(
    inspection: Inspection, raw: Any, errors: dict[str, list[str]]
) -> list[list[int | None]]:
    """双随机: the inspector pool holds people of both sides — the commission and the supervision
    bodies (第八条 joint inspection)."""
    wanted = [_pk(v) for v in (raw or [])]
    if len(wanted) > MAX_POOL_INSPECTORS:
        errors["inspectors"] = [f"人员库不应超过{MAX_POOL_INSPECTORS}人。"]
        return []
    staff = eligible_inspectors(inspection.region_id).in_bulk()
    chosen = [staff[pk] for pk in dict.fromkeys(wanted) if pk is not None and pk in staff]
    problems = []
    if len(chosen) != len(set(wanted)):
        problems.append("人员库只能包括本行政区划纪检监察机关和行政执法监督机构的在岗人员。")
    # Eligible inspectors all belong to an org (eligible_inspectors filters on it).
    orgs = {user.pk: user.org for user in chosen if user.org is not None}
    kinds = {org.kind for org in orgs.values()}
    if OrgKind.DISCIPLINE not in kinds or not kinds & SUPERVISION_KINDS:
        problems.append(
            "人员库应同时包括纪检监察机关和行政执法监督机构的人员（第八条联合检查），"
            "请至少各选择一人。"
        )
    if problems:
        errors["inspectors"] = problems
    return sorted([pk, org.pk, org.parent_id] for pk, org in orgs.items())


def _frozen_conflicts(
    inspection: Inspection, units: list[list[int]], inspectors: list[list[int | None]]
) -> list[list[int]]:
    """The 回避申报 of the plan that concern the pools, frozen with them."""
    rows = ConflictDeclaration.objects.filter(
        inspection=inspection,
        user_id__in=[row[0] for row in inspectors],
        org_id__in=[row[0] for row in units],
    )
    return sorted([row.user_id, row.org_id] for row in rows)


def _pools(
    inspection: Inspection, *, units: Any, inspectors: Any, unit_count: Any, team_size: Any
) -> dict[str, Any]:
    """The pools and parameters checked together: every bad field is reported at once."""
    errors: dict[str, list[str]] = {}
    unit_pool = _unit_pool(inspection, units, errors)
    inspector_pool = _inspector_pool(inspection, inspectors, errors)
    count, size = _whole(unit_count), _whole(team_size)
    if count is None or count < 1 or (unit_pool and count > len(unit_pool)):
        errors["unit_count"] = [
            f"抽取单位数应为1至{len(unit_pool) or '单位库中单位数'}之间的整数。"
        ]
    if size is None or not MIN_TEAM <= size <= MAX_TEAM:
        errors["team_size"] = [
            f"每组检查人员数应为{MIN_TEAM}至{MAX_TEAM}之间的整数（每组至少{MIN_TEAM}人）。"
        ]
    if errors:
        raise InvalidInput(errors=errors)
    pools = {
        "algorithm": drawing.ALGORITHM,
        "unit_count": count,
        "team_size": size,
        "units": unit_pool,
        "inspectors": inspector_pool,
        "conflicts": _frozen_conflicts(inspection, unit_pool, inspector_pool),
    }
    if short := drawing.feasibility_problems(pools):
        names = enforcement_units(inspection.region_id).filter(pk__in=short)
        raise InvalidInput(
            errors={
                "inspectors": [
                    f"回避后，以下单位可派的检查人员不足{size}名："
                    f"{'、'.join(org.name for org in names)}。请增加人员库中的人员或减少每组人数。"
                ]
            }
        )
    return pools


def _record(inspection: Inspection, actor: Any, transition: str, **data: Any) -> None:
    InspectionEvent.objects.create(
        inspection=inspection,
        at=timezone.now(),
        actor=actor,
        actor_org_id=actor.org_id,
        transition=transition,
        from_status=inspection.status,
        to_status=inspection.status,
        comment=data.pop("comment", ""),
        data=data,
    )


def _url(draw: Draw) -> str:
    return reverse("inspections:draw_detail", args=[draw.inspection_id, draw.pk])


def _organiser_people(inspection: Inspection, actor: Any) -> Any:
    return people(inspection.organisers.values_list("pk", flat=True)).exclude(pk=actor.pk)


def draw_prepare(
    *,
    inspection_id: Any,
    actor: Any,
    units: Iterable[Any],
    inspectors: Iterable[Any],
    unit_count: Any,
    team_size: Any = MIN_TEAM,
    reason: str = "",
) -> Draw:
    """Freeze the pools and publish the commitment (第八条 随机抽查, provably fair).

    `units`: [{"org": id, "weight": 1..10}] of active enforcement orgs of the region (weights
    favour higher-risk units); `inspectors`: ids of active clerks and leaders of the commission
    and the supervision bodies, both sides present. A secret 32-byte seed is generated and kept
    sealed; its SM3 digest and the pools' digest go into the audit chain now. If a draw is still
    in force, a reason (重新抽取理由) is required and that draw is superseded.
    """
    errors: dict[str, list[str]] = {}
    reason = clean_text(
        reason, field="reason", label="重新抽取理由", limit=MAX_REASON, errors=errors
    )
    with transaction.atomic():
        inspection = _organised(inspection_id, actor)
        _require_drawable(inspection)
        previous = (
            Draw.objects.select_for_update()
            .filter(inspection=inspection)
            .exclude(status=DrawStatus.SUPERSEDED)
            .order_by("-sequence")
            .first()
        )
        if previous is not None and not reason and "reason" not in errors:
            errors["reason"] = [f"已有第{previous.sequence}次抽取，重新抽取须说明理由。"]
        try:
            pools = _pools(
                inspection,
                units=units,
                inspectors=inspectors,
                unit_count=unit_count,
                team_size=team_size,
            )
        except InvalidInput as refusal:
            errors.update(refusal.errors)
        if errors:
            raise InvalidInput(errors=errors)
        seed = secrets.token_bytes(drawing.SEED_BYTES)
        last = Draw.objects.filter(inspection=inspection).aggregate(n=Max("sequence"))["n"]
        if previous is not None:
            previous.status = DrawStatus.SUPERSEDED
            previous.save(update_fields=["status"])
        draw = Draw.objects.create(
            inspection=inspection,
            sequence=(last or 0) + 1,
            algorithm=drawing.ALGORITHM,
            unit_count=pools["unit_count"],
            team_size=pools["team_size"],
            pools=pools,
            pool_digest=drawing.pool_digest(pools),
            seed_hash=drawing.sm3_hex(seed),
            wrapped_key=new_wrapped_key(),
            seed_enc="",
            reason=reason if previous is not None else "",
            replaces=previous,
            prepared_by=actor,
            prepared_at=timezone.now(),
        )
        # Sealed to this row and field, so the secret cannot be moved to another draw.
        draw.seed_enc = seal(draw, "seed", seed.hex())
        draw.save(update_fields=["seed_enc"])
        if previous is not None:
            audit(actor, "draw.supersede", previous, status=previous.status, replaced_by=draw.pk)
        audit(
            actor,
            "draw.prepare",
            draw,
            inspection=inspection.pk,
            sequence=draw.sequence,
            algorithm=draw.algorithm,
            seed_hash=draw.seed_hash,
            pool_digest=draw.pool_digest,
            replaces=previous.pk if previous else None,
        )
        _record(
            inspection,
            actor,
            "draw_prepare",
            comment=draw.reason,
            draw=draw.pk,
            sequence=draw.sequence,
            seed_hash=draw.seed_hash,
            replaces=previous.pk if previous else None,
        )
        tell(
            _organiser_people(inspection, actor),
            f"随机抽取第{draw.sequence}次已公布种子摘要：{inspection.title}",
            _url(draw),
        )
    return draw


def draw_run(*, draw_id: Any, actor: Any) -> Draw:
    """Run a committed draw once: compute the result from the sealed seed and the frozen pools,
    reveal the seed, and make the result the inspection's units and teams (第八条)."""
    found = get_object_for_user(Draw.objects.all(), actor, "view", pk=draw_id)
    with transaction.atomic():
        # The inspection first, then the draw — the order draw_prepare locks them in.
        inspection = _organised(found.inspection_id, actor)
        # Of two runs of the same draw, the second waits here and then finds it drawn (409).
        draw = Draw.objects.select_for_update().get(pk=found.pk)
        if draw.status == DrawStatus.DRAWN:
            raise Conflict(f"第{draw.sequence}次抽取已经完成，不能重复抽取。")
        if draw.status == DrawStatus.SUPERSEDED:
            raise Conflict(f"第{draw.sequence}次抽取已作废（已重新抽取），不能再抽取。")
        _require_drawable(inspection)
        if not draw_verify(draw).ok:
            raise Conflict("抽取数据与抽取前公布的摘要不一致，不能抽取；请重新准备抽取。")
        seed = unseal(draw, "seed", draw.seed_enc)
        if drawing.seed_hash(seed) != draw.seed_hash:
            raise Conflict("密封的种子与公布的种子摘要不一致，不能抽取；请重新准备抽取。")
        draw.result = drawing.draw(seed, draw.pools)
        draw.seed, draw.status = seed, DrawStatus.DRAWN
        draw.drawn_by, draw.drawn_at = actor, timezone.now()
        draw.save(update_fields=["result", "seed", "status", "drawn_by", "drawn_at"])
        units = [item["unit"] for item in draw.result]
        teams = [item["inspectors"] for item in draw.result]
        inspection.units.filter(Q(draw__isnull=False) | Q(org_id__in=units)).delete()
        for position, item in enumerate(draw.result):
            row = InspectionUnit.objects.create(
                inspection=inspection, org_id=item["unit"], draw=draw, position=position
            )
            row.inspectors.set(item["inspectors"])
        audit(
            actor,
            "draw.run",
            draw,
            inspection=inspection.pk,
            sequence=draw.sequence,
            seed=seed,
            units=units,
            teams=teams,
        )
        _record(inspection, actor, "draw_run", draw=draw.pk, sequence=draw.sequence, units=units)
        members = {user for team in teams for user in team}
        tell(
            User.objects.filter(pk__in=members, is_active=True),
            f"您已被随机抽取为检查人员：{inspection.title}",
            _url(draw),
        )
        tell(
            _organiser_people(inspection, actor).exclude(pk__in=members),
            f"随机抽取第{draw.sequence}次已完成：{inspection.title}",
            _url(draw),
        )
    return draw
