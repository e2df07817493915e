"""Reads of findings (督查发现问题, 第九条), and the questions of who may act on one.

Every read starts from the access policy (policies.py): the organisers see every finding, the
unit's team and the unit itself its tier 2 findings. Content is unsealed only for a finding the
caller fetched through `get_finding_for_user`. That a finding was referred is tier 3 case
information: only the organisers learn it, and only the referral's parties get its link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Role
from xianjie.referrals.models import Referral

from ..models import (
    Finding,
    FindingEvent,
    Inspection,
    InspectionUnit,
    Rectification,
    RectificationKind,
)
from ..policies import acts_for_org
from ..sealing import unseal
from ..transitions import RectificationStatus

# --- Who may do what (services decide; pages ask the same to show only the user's buttons).


def is_organiser(user: Any, inspection: Inspection) -> bool:
    """A clerk or leader of an organising org (组织单位)."""
    return acts_for_org(user) and inspection.organisers.filter(pk=user.org_id).exists()


def on_team(user: Any, inspection: Inspection, unit_id: int | None = None) -> bool:
    """An inspector of the inspection — of the team of `unit_id` when given."""
    teams = InspectionUnit.objects.filter(inspection=inspection, inspectors=user.pk)
    if unit_id is not None:
        teams = teams.filter(org_id=unit_id)
    return acts_for_org(user) and teams.exists()


def may_record(user: Any, inspection: Inspection, unit_id: int | None = None) -> bool:
    """第九条: the organisers and the inspectors (of the unit's team, given a unit) record
    findings and their evidence."""
    return is_organiser(user, inspection) or on_team(user, inspection, unit_id)


def recordable_units(user: Any, inspection: Inspection) -> QuerySet[InspectionUnit]:
    """The units `user` may record findings for: all of them for an organiser, else those of
    the user's teams."""
    units = inspection.units.select_related("org").order_by("position", "id")
    if is_organiser(user, inspection):
        return units
    return units.filter(inspectors=user.pk) if acts_for_org(user) else units.none()


def may_refer(user: Any, finding: Finding) -> bool:
    """第九条: an organiser's clerk drafts the referral of a serious finding."""
    return is_organiser(user, finding.inspection) and user.has_role(Role.CLERK)


def _tasks() -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        kind=RectificationKind.FINDING, source_type=ContentType.objects.get_for_model(Finding)
    )


def open_task(finding: Finding) -> Rectification | None:
    """The finding's rectification task, unless it was cancelled (then a new one may be set)."""
    return (
        _tasks().filter(source_id=finding.pk).exclude(status=RectificationStatus.CANCELLED).first()
    )


# --- Findings.


def get_finding_for_user(user: Any, finding_id: Any, action: str = "view") -> Finding:
    """The finding if `user` may see it, else NotFound (404) — existence is never revealed."""
    return get_object_for_user(
        Finding.objects.select_related(
            "inspection", "unit", "officer", "officer__org", "created_by"
        ),
        user,
        action,
        pk=finding_id,
    )


@dataclass
class FindingContent:
    title: str
    description: str
    basis: str
    officer_name: str
    codes: list[str]


def finding_content(finding: Finding) -> FindingContent:
    return FindingContent(
        title=unseal(finding, "title", finding.title_enc),
        description=unseal(finding, "description", finding.description_enc),
        basis=unseal(finding, "basis", finding.basis_enc),
        officer_name=unseal(finding, "officer_name", finding.officer_name_enc),
        codes=list(finding.violation_codes.order_by("sort_order").values_list("code", flat=True)),
    )


def finding_list(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Finding]:
    """Findings `user` may see, newest inspection first, each with `has_task` (a task that was
    not cancelled). Filters: inspection, unit, severity, tier, has_task (True/False)."""
    filters = filters or {}
    live_tasks = (
        _tasks().filter(source_id=OuterRef("pk")).exclude(status=RectificationStatus.CANCELLED)
    )
    rows = (
        Finding.objects.restrict(user, "view")
        .select_related("inspection", "unit")
        .annotate(has_task=Exists(live_tasks))
        .order_by("-inspection_id", "sequence")
    )
    for key in ("inspection", "unit", "severity", "tier"):
        if filters.get(key) not in (None, ""):
            rows = rows.filter(**{key: filters[key]})
    if filters.get("has_task") is not None:
        rows = rows.filter(has_task=filters["has_task"])
    return rows


def finding_titles(findings: list[Finding]) -> dict[int, str]:
    """The titles of a page of findings the caller listed through `finding_list`."""
    return {f.pk: unseal(f, "title", f.title_enc) for f in findings}


def finding_task(finding: Finding, user: Any) -> Rectification | None:
    """The finding's latest task, if `user` may see it (the unit and the overseers)."""
    return (
        Rectification.objects.restrict(user, "view")
        .filter(pk__in=_tasks().filter(source_id=finding.pk).values("pk"))
        .order_by("-id")
        .first()
    )


def finding_referral(finding: Finding, user: Any) -> Referral | None:
    """The referral made of the finding, if `user` is one of its parties."""
    if finding.referral_id is None:
        return None
    return Referral.objects.restrict(user, "view").filter(pk=finding.referral_id).first()


def referral_known(finding: Finding, user: Any) -> bool:
    """Whether `user` may know the finding was referred: its organisers (tier 3)."""
    return finding.referral_id is not None and is_organiser(user, finding.inspection)


def finding_events(finding: Finding, user: Any) -> list[FindingEvent]:
    events = FindingEvent.objects.filter(finding=finding).select_related("actor")
    if not is_organiser(user, finding.inspection):
        events = events.exclude(action="referral")
    return list(events)


def finding_origins(referral: Referral, user: Any) -> list[tuple[str, str]]:
    """The finding a referral was made of, for the referral's page — if `user` may see it
    (registered with referrals.origins)."""
    finding = (
        Finding.objects.restrict(user, "view")
        .filter(referral_id=referral.pk)
        .select_related("inspection")
        .first()
    )
    if finding is None:
        return []
    label = f"联合法治督查“{finding.inspection.title}”发现的问题{finding.sequence}"
    return [(label, reverse("inspections:finding_detail", args=[finding.pk]))]
