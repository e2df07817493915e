"""Who sees what of an inspection (第十一条: inspection results are tier 2, 指定范围共享).

- Organisers (组织单位): clerks and leaders of the organising orgs see and manage all of it,
  tier 3 findings included.
- Inspectors (检查人员): see the plan, the draws and the findings of the units they inspect.
- Inspected units: people of the unit — its own org or its legal unit (法制股, a child org) — see
  the plan once it is under way, their own row, their tier 2 findings and their tasks.
- A finding naming an officer's possible misconduct is tier 3: organisers only.
- A rectification task: the unit and its overseers (跟踪检查单位).
- A supervision notice or decision: the issuing org; the target unit once issued; the justice
  bureau of the region, which supervises the departmental legal units (第二条).
Everyone else — the 三员 included — sees nothing. Every rule that follows a to-many relation
uses Exists, so that no row is counted twice.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from xianjie.access.restrict import Rule, register_policy
from xianjie.accounts.models import OrgKind, Role

from .models import (
    Attachment,
    ComplianceFlag,
    Draw,
    Finding,
    Inspection,
    InspectionUnit,
    Rectification,
    RectificationReport,
    SupervisionAct,
)
from .transitions import ActStatus, InspectionStatus

#: Statuses in which an inspection is still unannounced to the units it will inspect.
UNANNOUNCED = (InspectionStatus.PLANNED, InspectionStatus.CANCELLED)


def acts_for_org(user: Any) -> bool:
    return user.org_id is not None and user.has_role(Role.CLERK, Role.LEADER)


def unit_ids(user: Any) -> list[int]:
    """The enforcement units a user answers for: their org, and the department whose legal
    unit (法制股) they sit in."""
    ids = [user.org_id]
    if user.org.parent_id is not None:
        ids.append(user.org.parent_id)
    return ids


def organiser_of(user: Any, inspection_ref: str) -> Exists:
    through = Inspection.organisers.through
    return Exists(
        through.objects.filter(inspection_id=OuterRef(inspection_ref), org_id=user.org_id)
    )


def inspector_of(user: Any, inspection_ref: str, unit_ref: str | None = None) -> Exists:
    """On a team of the inspection — of the unit at `unit_ref` when given."""
    team = InspectionUnit.objects.filter(inspection_id=OuterRef(inspection_ref), inspectors=user.pk)
    if unit_ref is not None:
        team = team.filter(org_id=OuterRef(unit_ref))
    return Exists(team)


def inspected_in(user: Any, inspection_ref: str) -> Exists:
    return Exists(
        InspectionUnit.objects.filter(
            inspection_id=OuterRef(inspection_ref), org_id__in=unit_ids(user)
        )
    )


@register_policy(Inspection)
def _inspection_policy(user: Any, action: str) -> Rule:
    if not acts_for_org(user):
        return False
    organiser = organiser_of(user, "pk")
    if action == "change":
        return Q(organiser)
    announced = ~Q(status__in=UNANNOUNCED) & Q(inspected_in(user, "pk"))
    return Q(organiser) | Q(inspector_of(user, "pk")) | announced


@register_policy(InspectionUnit)
def _unit_policy(user: Any, action: str) -> Rule:
    if not acts_for_org(user):
        return False
    organiser = organiser_of(user, "inspection_id")
    if action == "change":
        return Q(organiser)
    own = Q(org_id__in=unit_ids(user)) & ~Q(inspection__status__in=UNANNOUNCED)
    return Q(organiser) | Q(inspector_of(user, "inspection_id")) | own


@register_policy(Draw)
def _draw_policy(user: Any, action: str) -> Rule:
    if not acts_for_org(user):
        return False
    organiser = organiser_of(user, "inspection_id")
    if action == "change":
        return Q(organiser)
    return Q(organiser) | Q(inspector_of(user, "inspection_id"))


def finding_rule(user: Any, action: str, prefix: str = "") -> Rule:
    if not acts_for_org(user):
        return False
    organiser = Q(organiser_of(user, f"{prefix}inspection_id"))
    if action == "change":
        return organiser
    tier2 = Q(**{f"{prefix}tier": 2}) & (
        Q(inspector_of(user, f"{prefix}inspection_id", f"{prefix}unit_id"))
        | Q(**{f"{prefix}unit_id__in": unit_ids(user)})
    )
    return organiser | tier2


@register_policy(Finding)
def _finding_policy(user: Any, action: str) -> Rule:
    return finding_rule(user, action)


def rectification_rule(user: Any, action: str, prefix: str = "") -> Rule:
    if not acts_for_org(user):
        return False
    through = Rectification.overseers.through
    overseer = Exists(
        through.objects.filter(
            rectification_id=OuterRef(f"{prefix[:-2]}_id" if prefix else "pk"),
            org_id=user.org_id,
        )
    )
    return Q(**{f"{prefix}unit_id__in": unit_ids(user)}) | Q(overseer)


@register_policy(Rectification)
def _rectification_policy(user: Any, action: str) -> Rule:
    return rectification_rule(user, action)


@register_policy(RectificationReport)
def _report_policy(user: Any, action: str) -> Rule:
    return rectification_rule(user, action, prefix="task__")


@register_policy(Attachment)
def _attachment_policy(user: Any, action: str) -> Rule:
    by_finding = finding_rule(user, action, prefix="finding__")
    by_report = rectification_rule(user, action, prefix="report__task__")
    if by_finding is False or by_report is False:
        return False
    assert isinstance(by_finding, Q) and isinstance(by_report, Q)
    return (Q(finding__isnull=False) & by_finding) | (Q(report__isnull=False) & by_report)


def act_rule(user: Any, action: str, prefix: str = "") -> Rule:
    if not acts_for_org(user):
        return False
    issuer = Q(**{f"{prefix}issuer_org_id": user.org_id})
    if action == "change":
        return issuer
    issued = Q(**{f"{prefix}status": ActStatus.ISSUED})
    target = issued & Q(**{f"{prefix}target_org_id__in": unit_ids(user)})
    rule = issuer | target
    if user.org.kind == OrgKind.JUSTICE:
        rule |= issued & Q(**{f"{prefix}issuer_org__region_id": user.org.region_id})
    return rule


@register_policy(SupervisionAct)
def _act_policy(user: Any, action: str) -> Rule:
    return act_rule(user, action)


@register_policy(ComplianceFlag)
def _flag_policy(user: Any, action: str) -> Rule:
    if not acts_for_org(user):
        return False
    issuer = Q(act__issuer_org_id=user.org_id)
    if action != "change" and user.org.kind == OrgKind.JUSTICE:
        return issuer | Q(act__issuer_org__region_id=user.org.region_id)
    return issuer
