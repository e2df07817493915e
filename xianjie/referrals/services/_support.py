"""Pieces every referral service uses: locking, the status-history row, audit, notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xianjie.accounts.models import Role, User
from xianjie.audit.services import audit_record
from xianjie.notifications.services import notify_on_commit

from ..models import Referral, ReferralEvent
from ..sealing import seal

TIER_CASE = 3


def lock(referral_id: int) -> Referral:
    """The referral row, locked until the caller's transaction ends: of two people acting on the
    same referral at once, the second waits and then sees the first one's result."""
    return Referral.objects.select_for_update().get(pk=referral_id)


def record_event(
    *,
    referral: Referral,
    actor: Any,
    transition: str,
    from_status: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> ReferralEvent:
    event = ReferralEvent.objects.create(
        referral=referral,
        at=timezone.now(),
        actor=actor,
        actor_org_id=actor.org_id,
        transition=transition,
        from_status=from_status,
        to_status=referral.status,
        data=data or {},
    )
    if comment:
        event.comment_enc = seal(referral, f"event:{event.pk}:comment", comment)
        event.save(update_fields=["comment_enc"])
    return event


def audit(referral: Referral, actor: Any, action: str, **payload: Any) -> None:
    """Tier 3 audit entry: ids, statuses and numbers only — never case content (第十一条)."""
    audit_record(
        actor=actor,
        action=f"referral.{action}",
        obj=referral,
        tier=TIER_CASE,
        payload={"status": referral.status, "number": referral.number, **payload},
    )


def people(org_id: int, *roles: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__org_id=org_id, memberships__role__in=roles
    ).distinct()


def tell(referral: Referral, org_id: int, title: str, *roles: str) -> None:
    """Notify the clerks (and/or leaders) of an org after commit. The title names the referral by
    number or draft id only."""
    notify_on_commit(
        recipients=people(org_id, *(roles or (Role.CLERK,))),
        kind="referral",
        title=title,
        url=reverse("referrals:detail", args=[referral.pk]),
    )


def label(referral: Referral) -> str:
    return referral.number or f"草稿#{referral.pk}"


def clean_text(
    value: Any,
    *,
    field: str,
    label_cn: str,
    limit: int,
    errors: dict[str, list[str]],
    required: bool = False,
) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.setdefault(field, []).append(f"请填写{label_cn}。")
    elif len(text) > limit:
        errors.setdefault(field, []).append(f"{label_cn}不应超过{limit}个字。")
    return text


def ids(values: Iterable[Any]) -> list[int]:
    return [int(v) for v in values]
