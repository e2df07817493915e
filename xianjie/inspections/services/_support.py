"""Pieces the inspection services share: who the people of an org or a unit are, notifications,
audit entries and input cleaning."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from xianjie.accounts.models import Org, Role, User
from xianjie.audit.services import audit_record
from xianjie.notifications.services import notify_on_commit

#: 第十一条: inspection plans, findings and tasks are 重要信息 (tier 2).
TIER_IMPORTANT = 2


def people(org_ids: Iterable[int], *roles: str) -> QuerySet[User]:
    """Active clerks and/or leaders of the orgs (both by default)."""
    return User.objects.filter(
        is_active=True,
        memberships__org_id__in=list(org_ids),
        memberships__role__in=roles or (Role.CLERK, Role.LEADER),
    ).distinct()


def unit_people(unit_id: int, *roles: str) -> QuerySet[User]:
    """The people who answer for an enforcement unit: those of the unit itself and of its legal
    unit (法制股, a child org), which handles supervision matters for its department."""
    org_ids = Org.objects.filter(Q(pk=unit_id) | Q(parent_id=unit_id)).values_list("pk", flat=True)
    return people(org_ids, *roles)


def answers_for_unit(user: Any, unit_id: int) -> bool:
    return user.org_id is not None and unit_id in (user.org_id, user.org.parent_id)


def tell(recipients: Iterable[Any], title: str, url: str, kind: str = "inspection") -> None:
    """Notify after commit; titles name records by number or title, never tier 3 content."""
    notify_on_commit(recipients=recipients, kind=kind, title=title, url=url)


def audit(actor: Any, action: str, obj: Any, tier: int = TIER_IMPORTANT, **payload: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, tier=tier, payload=payload)


def clean_period(value: Any, *, field: str, errors: dict[str, list[str]], default: int) -> int:
    """A period in days (期限): 1 to 365, the default when not given."""
    if value in (None, ""):
        return default
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        errors.setdefault(field, []).append("期限应为1至365之间的整数（日）。")
    return days
