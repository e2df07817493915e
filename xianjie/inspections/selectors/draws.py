"""Reads of random draws (随机抽查, 第八条). The draws of an inspection are seen by its organisers
and its inspectors (policies.py); the units to be inspected never see them, and a draw's seed is
shown only once it has been revealed by the draw itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Org, User
from xianjie.core.errors import NotFound

from ..models import Draw, DrawStatus, Inspection, InspectionMethod
from ..policies import inspector_of, organiser_of
from ..transitions import InspectionStatus
from .plans import eligible_inspectors, enforcement_units


def get_inspection_for_draws(user: Any, inspection_id: Any) -> Inspection:
    """The inspection if `user` may see its draws — an organiser or an inspector of it, the
    same rule as the Draw policy — else NotFound (404)."""
    visible = Inspection.objects.restrict(user, "view").select_related("region")
    try:
        return visible.filter(Q(organiser_of(user, "pk")) | Q(inspector_of(user, "pk"))).get(
            pk=inspection_id
        )
    except (Inspection.DoesNotExist, ValueError):
        raise NotFound() from None


def get_draw_for_user(user: Any, inspection_id: Any, draw_id: Any) -> Draw:
    """One draw of the inspection if `user` may see it, else NotFound (404)."""
    return get_object_for_user(
        Draw.objects.select_related(
            "inspection", "prepared_by", "drawn_by", "replaces", "replaced_by"
        ),
        user,
        "view",
        pk=draw_id,
        inspection_id=inspection_id,
    )


def draw_list(user: Any, inspection: Inspection, status: str = "") -> QuerySet[Draw]:
    """The draws of an inspection the user may see, newest first; `status` filters."""
    draws = (
        Draw.objects.restrict(user, "view")
        .filter(inspection=inspection)
        .select_related("prepared_by", "drawn_by")
    )
    if status:
        draws = draws.filter(status=status)
    return draws.order_by("-sequence")


def is_organiser(user: Any, inspection: Inspection) -> bool:
    return Inspection.objects.restrict(user, "change").filter(pk=inspection.pk).exists()


def may_prepare(user: Any, inspection: Inspection) -> bool:
    """Only the organisers draw, and only for a 随机抽查 still being planned."""
    return (
        inspection.method == InspectionMethod.RANDOM
        and inspection.status == InspectionStatus.PLANNED
        and is_organiser(user, inspection)
    )


def may_run(user: Any, draw: Draw) -> bool:
    return (
        draw.status == DrawStatus.COMMITTED
        and draw.inspection.status == InspectionStatus.PLANNED
        and is_organiser(user, draw.inspection)
    )


def current_draw(inspection: Inspection) -> Draw | None:
    """The draw not superseded (at most one): a redraw needs a reason while it exists."""
    return (
        Draw.objects.filter(inspection=inspection)
        .exclude(status=DrawStatus.SUPERSEDED)
        .order_by("-sequence")
        .first()
    )


def pool_candidates(inspection: Inspection) -> tuple[list[Org], list[User]]:
    """What the pools may hold: the active enforcement orgs of the region, and the active clerks
    and leaders of the commission and of the supervision bodies of the region."""
    return (
        list(enforcement_units(inspection.region_id)),
        list(eligible_inspectors(inspection.region_id)),
    )


@dataclass
class PoolView:
    """The frozen pools with names, for the page (ids stay the record; names may change)."""

    units: list[dict[str, Any]]
    inspectors: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    result: list[dict[str, Any]]


def _name(rows: Mapping[int, Any], pk: Any) -> str:
    row = rows.get(pk)
    if row is None:
        return f"#{pk}"
    return str(getattr(row, "display_name", None) or row.name)


def draw_pools(draw: Draw) -> PoolView:
    """The draw's pools, conflicts and (once drawn) result, each id with its current name."""
    pools: dict[str, Any] = draw.pools
    org_ids = {unit for unit, _ in pools["units"]}
    org_ids |= {org for _, org, _ in pools["inspectors"]} | {org for _, org in pools["conflicts"]}
    orgs = Org.objects.in_bulk(org_ids)
    users = User.objects.in_bulk([user for user, _, _ in pools["inspectors"]])
    return PoolView(
        units=[
            {"id": unit, "name": _name(orgs, unit), "weight": weight}
            for unit, weight in pools["units"]
        ],
        inspectors=[
            {"id": user, "name": _name(users, user), "org": _name(orgs, org)}
            for user, org, _ in pools["inspectors"]
        ],
        conflicts=[
            {"user": _name(users, user), "org": _name(orgs, org)}
            for user, org in pools["conflicts"]
        ],
        result=[
            {
                "position": position,
                "unit": item["unit"],
                "name": _name(orgs, item["unit"]),
                "inspectors": [
                    {"id": user, "name": _name(users, user)} for user in item["inspectors"]
                ],
            }
            for position, item in enumerate(draw.result, start=1)
        ],
    )
