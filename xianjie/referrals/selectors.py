"""Reads of referrals. Every read starts from the access policy (policies.py); content is
decrypted only for a referral the caller has already fetched through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.calendar.models import Clock, ClockState
from xianjie.calendar.selectors import clocks_of

from .models import Referral, ReferralEvent, ReferralSubject
from .policies import CONTENT_ACTIONS
from .sealing import cert_index, name_index, unseal
from .transitions import OPEN_STATUSES


def get_referral_for_user(user: Any, referral_id: Any, action: str = "view") -> Referral:
    """The referral if `user` may see it, else NotFound (404) — existence is never revealed."""
    return get_object_for_user(
        Referral.objects.select_related("sender_org", "receiver_org", "created_by"),
        user,
        action,
        pk=referral_id,
    )


@dataclass
class SubjectView:
    kind: str
    name: str
    post: str
    org_name: str
    cert_no: str
    officer_id: int | None

    def as_input(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "post": self.post,
            "org": self.org_name,
            "cert_no": self.cert_no,
            "officer": self.officer_id,
        }


@dataclass
class ReferralContent:
    """The decrypted content of one referral (tier 3)."""

    facts: str
    summary: str
    return_reason: str
    result: str
    subjects: list[SubjectView]
    norms: list[dict[str, str]]
    codes: list[str]


def referral_content(referral: Referral) -> ReferralContent:
    subjects = []
    for s in referral.subjects.all():
        prefix = f"subject:{s.pk}"
        subjects.append(
            SubjectView(
                kind=s.kind,
                name=unseal(referral, f"{prefix}:name", s.name_enc),
                post=unseal(referral, f"{prefix}:post", s.post_enc),
                org_name=unseal(referral, f"{prefix}:org", s.org_name_enc),
                cert_no=unseal(referral, f"{prefix}:cert_no", s.cert_no_enc),
                officer_id=s.officer_id,
            )
        )
    return ReferralContent(
        facts=unseal(referral, "facts", referral.facts_enc),
        summary=unseal(referral, "summary", referral.summary_enc),
        return_reason=unseal(referral, "return_reason", referral.return_reason_enc),
        result=unseal(referral, "result", referral.result_enc),
        subjects=subjects,
        norms=[{"name": n.name, "clause": n.clause} for n in referral.norms.all()],
        codes=list(referral.violation_codes.order_by("sort_order").values_list("code", flat=True)),
    )


@dataclass
class EventView:
    at: Any
    actor: str
    actor_org: str
    transition: str
    transition_label: str
    from_status: str
    to_status: str
    comment: str
    data: dict[str, Any] = field(default_factory=dict)


def referral_events(referral: Referral) -> list[EventView]:
    events = ReferralEvent.objects.filter(referral=referral).select_related("actor", "actor_org")
    return [
        EventView(
            at=e.at,
            actor=e.actor.display_name,
            actor_org=e.actor_org.name,
            transition=e.transition,
            transition_label=e.get_transition_display(),
            from_status=e.from_status,
            to_status=e.to_status,
            comment=unseal(referral, f"event:{e.pk}:comment", e.comment_enc),
            data=e.data,
        )
        for e in events
    ]


def referral_clocks(referral: Referral) -> QuerySet[Clock]:
    return clocks_of(referral).select_related("parameter").order_by("start_date", "id")


def _overdue_clocks(today: date) -> QuerySet[Clock]:
    from django.contrib.contenttypes.models import ContentType

    return Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id=OuterRef("pk"),
    ).filter(Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING, due_date__lt=today))


def referral_list(user: Any, filters: dict[str, Any] | None = None, action: str = "view"):
    """Referrals `user` may see, filtered: direction, status, overdue, source, code, q (number,
    or an exact certificate number through its blind index), date range of registration."""
    filters = filters or {}
    qs = (
        Referral.objects.restrict(user, action)
        .select_related("sender_org", "receiver_org")
        .order_by("-id")
    )
    # Codes and certificate numbers are content (第十一条): under the "status" action they match
    # only referrals the user may read, so a search is never an oracle for someone else's case.
    readable = (
        Q()
        if action in CONTENT_ACTIONS
        else Q(pk__in=Referral.objects.restrict(user, "view").values("pk"))
    )
    if filters.get("direction"):
        qs = qs.filter(direction=filters["direction"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("code"):
        qs = qs.filter(readable, violation_codes__code=str(filters["code"]).upper())
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    if filters.get("overdue"):
        qs = qs.filter(Exists(_overdue_clocks(timezone.localdate())))
    if q := str(filters.get("q") or "").strip():
        by_cert = ReferralSubject.objects.filter(referral=OuterRef("pk"), cert_index=cert_index(q))
        qs = qs.filter(Q(number__icontains=q) | (Q(Exists(by_cert)) & readable))
    return qs.distinct()


def duplicate_warnings(user: Any, referral: Referral) -> list[str]:
    """Open referrals *visible to the user* naming the same officer (by certificate number) or
    agency — a warning, never a block, and never a hint about referrals the user cannot see."""
    subjects = list(referral.subjects.all())
    certs = {s.cert_index for s in subjects if s.cert_index}
    names = {s.name_index for s in subjects if s.kind == "agency" and s.name_index}
    if not certs and not names:
        return []
    others = (
        Referral.objects.restrict(user, "view")
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk=referral.pk)
        .filter(Q(subjects__cert_index__in=certs) | Q(subjects__name_index__in=names))
        .distinct()
    )
    return [
        f"另有未办结的线索移送（{r.number or f'草稿#{r.pk}'}）涉及相同的人员或单位。"
        for r in others
    ]


__all__ = [
    "ReferralContent",
    "cert_index",
    "duplicate_warnings",
    "get_referral_for_user",
    "name_index",
    "referral_clocks",
    "referral_content",
    "referral_events",
    "referral_list",
]
