"""Reading the audit log and the login log for the auditor's pages and exports.

Both start from `restrict()`: only the 审计管理员 sees a row (policies.py). Date filters are
calendar days in local time (Asia/Shanghai), both ends included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from xianjie.access.tiers import Action

from .models import AuditEntry, LoginEvent


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


QS = TypeVar("QS", bound=QuerySet[Any])


def _in_days(rows: QS, date_from: date | None, date_to: date | None) -> QS:
    if date_from:
        rows = rows.filter(at__gte=_day_start(date_from))
    if date_to:
        rows = rows.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return rows


def audit_entries(
    user: Any,
    access: str = Action.VIEW,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    tier: int | None = None,
) -> QuerySet[AuditEntry]:
    """Newest first. `action` matches a code or its prefix ("referral" finds every referral act)."""
    rows = AuditEntry.objects.restrict(user, access).select_related("org").order_by("-seq")
    rows = _in_days(rows, date_from, date_to)
    if actor:
        rows = rows.filter(actor_name__icontains=actor)
    if action:
        rows = rows.filter(action__startswith=action)
    if object_type:
        rows = rows.filter(object_type=object_type)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if tier:
        rows = rows.filter(tier=tier)
    return rows


def login_events(
    user: Any,
    access: str = Action.VIEW,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    username: str = "",
    outcome: str = "",
    address: str = "",
) -> QuerySet[LoginEvent]:
    """Newest first. `outcome` is "success" or "failure"; `address` matches a prefix (10.1.)."""
    rows = LoginEvent.objects.restrict(user, access).order_by("-at", "-id")
    rows = _in_days(rows, date_from, date_to)
    if username:
        rows = rows.filter(username__icontains=username)
    if outcome:
        rows = rows.filter(success=outcome == "success")
    if address:
        rows = rows.filter(ip_address__startswith=address)
    return rows
