"""Reads of joint inspection plans (联合法治督查, 第八条). Every read of a plan starts from the
access policy (policies.py): organisers and inspectors see a plan; the units see it, and only
their own row, once it is under way.

第八条's yearly obligation has two faces: the page shows the user the inspections they may see,
while the reminder looks at the region as a whole — it tells only a number, never a plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind, Role, User

from ..models import (
    ConflictDeclaration,
    Draw,
    DrawStatus,
    Finding,
    Inspection,
    InspectionMethod,
    InspectionUnit,
)
from ..models.inspections import EVENT_LABELS
from ..transitions import HELD_STATUSES, INSPECTION_TABLE, InspectionTransition

#: The sides of a joint inspection (第八条): the commission, and the 行政执法监督机构 (第二条).
ORGANISER_KINDS = frozenset({OrgKind.DISCIPLINE, *SUPERVISION_KINDS})
#: 第八条's reminder starts on this day (month, day) of a year with no inspection held.
WARNING_FROM = (10, 1)
#: A team has at least two inspectors (双随机: at least two per unit).
MIN_TEAM = 2
#: Events about the draws, shown only to those who may see the draws (organisers, inspectors).
DRAW_EVENTS = frozenset({"draw_prepare", "draw_run"})


def get_inspection_for_user(user: Any, inspection_id: Any, action: str = "view") -> Inspection:
    """The plan if `user` may see it, else NotFound (404): its existence is never revealed."""
    return get_object_for_user(
        Inspection.objects.select_related("region", "created_by"), user, action, pk=inspection_id
    )


def inspection_list(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Inspection]:
    """Plans `user` may see, newest year first; filters: year, status, method, q (title)."""
    filters = filters or {}
    plans = Inspection.objects.restrict(user, "view").prefetch_related("organisers")
    for key in ("year", "status", "method"):
        if filters.get(key):
            plans = plans.filter(**{key: filters[key]})
    if q := str(filters.get("q") or "").strip():
        plans = plans.filter(title__icontains=q)
    return plans.order_by("-year", "-planned_start", "-id")


def may_change(user: Any, inspection: Inspection) -> bool:
    """Whether `user` acts for an organiser of the plan (only organisers change it)."""
    return Inspection.objects.restrict(user, "change").filter(pk=inspection.pk).exists()


def is_inspector(user: Any, inspection: Inspection) -> bool:
    return InspectionUnit.objects.filter(inspection=inspection, inspectors=user.pk).exists()


def allowed_transitions(user: Any, inspection: Inspection) -> list[tuple[str, str]]:
    """The moves the table allows now, for an organiser; nobody else has any."""
    if not may_change(user, inspection):
        return []
    return [
        (name, InspectionTransition(name).label) for name in INSPECTION_TABLE[inspection.status]
    ]


def inspection_units(user: Any, inspection: Inspection) -> list[InspectionUnit]:
    """The units of the plan the user may see, with their teams: all of them for organisers and
    inspectors, a unit's own row for its people once the inspection is under way."""
    return list(
        InspectionUnit.objects.restrict(user, "view")
        .filter(inspection=inspection)
        .select_related("org", "draw")
        .prefetch_related("inspectors__org")
        .order_by("position", "id")
    )


def inspection_findings(user: Any, inspection: Inspection) -> list[Finding]:
    return list(
        Finding.objects.restrict(user, "view")
        .filter(inspection=inspection)
        .select_related("unit")
        .order_by("sequence")
    )


@dataclass
class EventRow:
    at: datetime.datetime
    actor: str
    actor_org: str
    transition: str
    label: str
    from_status: str
    to_status: str
    comment: str


def inspection_events(user: Any, inspection: Inspection) -> list[EventRow]:
    """The timeline; the draw events only for those who may see the draws."""
    events = inspection.events.select_related("actor", "actor_org")
    if not Draw.objects.restrict(user, "view").filter(inspection=inspection).exists():
        events = events.exclude(transition__in=DRAW_EVENTS)
    return [
        EventRow(
            at=e.at,
            actor=e.actor.display_name,
            actor_org=e.actor_org.name,
            transition=e.transition,
            label=EVENT_LABELS.get(e.transition, e.transition),
            from_status=e.from_status,
            to_status=e.to_status,
            comment=e.comment,
        )
        for e in events
    ]


def enforcement_units(region_id: int) -> QuerySet[Org]:
    """The orgs an inspection may inspect: the active 行政执法机关 of the region."""
    return Org.objects.filter(
        region_id=region_id, kind=OrgKind.ENFORCEMENT, is_active=True
    ).order_by("sort_order", "id")


def eligible_inspectors(region_id: int) -> QuerySet[User]:
    """Who may inspect (第八条): the active clerks and leaders of the commission and of the
    supervision bodies of the region."""
    return (
        User.objects.filter(
            is_active=True,
            org__region_id=region_id,
            org__is_active=True,
            org__kind__in=ORGANISER_KINDS,
            memberships__role__in=(Role.CLERK, Role.LEADER),
        )
        .select_related("org")
        .order_by("org__sort_order", "org_id", "id")
        .distinct()
    )


def declared_conflicts(inspection: Inspection) -> dict[tuple[int, int], str]:
    """(user id, unit id) → reason of every 回避申报 of the plan."""
    rows = ConflictDeclaration.objects.filter(inspection=inspection)
    return {(row.user_id, row.org_id): row.reason for row in rows}


def recusal_problem(user: Any, unit: Org, declared: Mapping[tuple[int, int], str]) -> str:
    """Why `user` may not inspect `unit` (回避), or "": nobody inspects the org they belong to —
    their org, or the department whose legal unit they sit in — nor a declared conflict."""
    name = user.display_name
    if unit.pk in (user.org_id, user.org.parent_id):
        return f"回避：{name}是{unit.name}的工作人员，不能检查本单位。"
    if (user.pk, unit.pk) in declared:
        return f"回避：{name}已申报与{unit.name}存在利害关系，不能检查该单位。"
    return ""


@dataclass
class YearRecord:
    """第八条 for one year: how many joint inspections were held, whether the obligation is met,
    and whether to warn (from 1 October of the current year, none held yet)."""

    year: int
    held: int
    met: bool
    warning: bool
    inspections: list[Inspection] = field(default_factory=list)


def inspection_year_record(
    *, region: Any, year: int, today: datetime.date | None = None, user: Any = None
) -> YearRecord:
    """The year's record for `region`. With `user`, only the inspections that user may see are
    listed and counted (the pages); without, the region's (the reminder and the mechanism's
    figures, which show numbers only)."""
    today = today or timezone.localdate()
    plans = Inspection.objects.restrict(user, "view") if user is not None else Inspection.objects
    of_year = list(
        plans.filter(region_id=getattr(region, "pk", region), year=year).order_by(
            "planned_start", "id"
        )
    )
    held = sum(1 for plan in of_year if plan.status in HELD_STATUSES)
    warning = held == 0 and year == today.year and (today.month, today.day) >= WARNING_FROM
    return YearRecord(year=year, held=held, met=held > 0, warning=warning, inspections=of_year)


def inspection_years(*, user: Any, today: datetime.date | None = None) -> list[YearRecord]:
    """The record of every year from the user's earliest visible plan to this year, newest
    first; nothing for a user of no org."""
    if user.org_id is None:
        return []
    today = today or timezone.localdate()
    visible = Inspection.objects.restrict(user, "view").filter(region_id=user.org.region_id)
    years = {*visible.values_list("year", flat=True), today.year}
    return [
        inspection_year_record(region=user.org.region_id, year=year, today=today, user=user)
        for year in range(max(years), min(years) - 1, -1)
    ]


def start_problems(inspection: Inspection) -> dict[str, list[str]]:
    """What keeps a plan from starting (第八条): it needs units, each with a team of two; for
    随机抽查, units of a draw that was run and not superseded; and no recusal declared since the
    teams were fixed. Shown on the plan's page, and checked again by the start itself."""
    rows = list(inspection.units.select_related("org", "draw").prefetch_related("inspectors__org"))
    if not rows:
        return {"units": ["尚未确定被检查单位和检查组。"]}
    declared = declared_conflicts(inspection)
    problems = []
    for row in rows:
        team = list(row.inspectors.all())
        if len(team) < MIN_TEAM:
            problems.append(f"{row.org.name}的检查组至少需要{MIN_TEAM}名检查人员。")
        if inspection.method == InspectionMethod.RANDOM and (
            row.draw is None or row.draw.status != DrawStatus.DRAWN
        ):
            problems.append(f"{row.org.name}不是有效随机抽取的结果，请重新抽取。")
        problems += [p for user in team if (p := recusal_problem(user, row.org, declared))]
    return {"units": problems} if problems else {}
