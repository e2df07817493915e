"""Units and teams of a special inspection, and declarations of conflicts of interest (回避),
第八条: the organisers choose the units of a 专项检查 and a team of at least two for each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Org, User
from xianjie.core.errors import Conflict, InvalidInput
from xianjie.core.validation import clean_text

from ..models import ConflictDeclaration, Inspection, InspectionMethod, InspectionUnit
from ..selectors.plans import (
    MIN_TEAM,
    declared_conflicts,
    eligible_inspectors,
    enforcement_units,
    recusal_problem,
)
from ._support import audit, tell
from .plans import (
    MAX_UNITS,
    as_pk,
    organised_inspection,
    organiser_people,
    plan_url,
    record_event,
    require_planned,
)


def _teams(inspection: Inspection, raw: Any) -> list[tuple[Org, list[User]]]:
    errors: dict[str, list[str]] = {}
    items = list(raw or [])
    if not items:
        raise InvalidInput(errors={"units": ["请至少选择一个被检查单位。"]})
    if len(items) > MAX_UNITS:
        raise InvalidInput(errors={"units": [f"被检查单位不应超过{MAX_UNITS}个。"]})
    units = enforcement_units(inspection.region_id).in_bulk()
    staff = eligible_inspectors(inspection.region_id).in_bulk()
    declared = declared_conflicts(inspection)
    teams: list[tuple[Org, list[User]]] = []
    seen: set[int] = set()
    for i, item in enumerate(items):
        unit = units.get(as_pk(item.get("org")) or 0)
        if unit is None:
            errors[f"units.{i}.org"] = ["被检查单位应为本行政区划内的行政执法机关。"]
            continue
        if unit.pk in seen:
            errors[f"units.{i}.org"] = [f"{unit.name}重复。"]
            continue
        seen.add(unit.pk)
        wanted = list(dict.fromkeys(as_pk(v) for v in (item.get("inspectors") or [])))
        team = [staff[pk] for pk in wanted if pk in staff]
        problems = []
        if len(team) != len(wanted):
            problems.append(
                f"{unit.name}：检查人员应为本行政区划纪检监察机关或行政执法监督机构的在岗人员。"
            )
        if len(wanted) < MIN_TEAM:
            problems.append(f"{unit.name}的检查组至少需要{MIN_TEAM}名检查人员。")
        problems += [p for user in team if (p := recusal_problem(user, unit, declared))]
        if problems:
            errors[f"units.{i}.inspectors"] = problems
        teams.append((unit, team))
    if errors:
        raise InvalidInput(errors=errors)
    return teams


def inspection_units_set(*, inspection_id: Any, actor: Any, units: Iterable[Any]) -> Inspection:
    """专项检查: the organisers choose the units (行政执法机关 of the region) and a team of at least
    two inspectors for each, honouring recusal; the choice replaces the previous one."""
    with transaction.atomic():
        inspection = organised_inspection(inspection_id, actor)
        require_planned(inspection, "调整被检查单位")
        if inspection.method != InspectionMethod.SPECIAL:
            raise Conflict("随机抽查的被检查单位和检查组由随机抽取产生。")
        teams = _teams(inspection, units)
        inspection.units.all().delete()
        for position, (unit, team) in enumerate(teams):
            row = InspectionUnit.objects.create(inspection=inspection, org=unit, position=position)
            row.inspectors.set(team)
        summary: dict[str, Any] = {
            "units": [unit.pk for unit, _ in teams],
            "inspectors": [[user.pk for user in team] for _, team in teams],
        }
        record_event(inspection, actor, "units_set", inspection.status, data=summary)
        audit(actor, "inspection.units_set", inspection, status=inspection.status, **summary)
    return inspection


def conflict_declare(
    *, inspection_id: Any, actor: Any, org: Any, reason: str
) -> ConflictDeclaration:
    """回避申报: someone who may see a plan declares, for themselves, a conflict of interest with
    a unit before the teams are fixed; teams and draws then keep them away from it."""
    inspection = get_object_for_user(Inspection.objects.all(), actor, "view", pk=inspection_id)
    errors: dict[str, list[str]] = {}
    reason = clean_text(
        reason, field="reason", label="回避事由", limit=200, errors=errors, required=True
    )
    unit = enforcement_units(inspection.region_id).filter(pk=as_pk(org) or 0).first()
    if unit is None:
        errors["org"] = ["回避单位应为本行政区划内的行政执法机关。"]
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        require_planned(locked, "申报回避")
        if unit is not None:
            taken = ConflictDeclaration.objects.filter(inspection=locked, user=actor, org=unit)
            if taken.exists():
                errors["org"] = [f"您已申报过对{unit.name}回避。"]
        if errors:
            raise InvalidInput(errors=errors)
        assert unit is not None
        declaration = ConflictDeclaration.objects.create(
            inspection=locked, user=actor, org=unit, reason=reason
        )
        audit(actor, "inspection.conflict_declare", locked, org=unit.pk, user=actor.pk)
        tell(
            organiser_people(locked, actor),
            f"回避申报：{actor.display_name}（{locked}）",
            plan_url(locked),
        )
    return declaration
