"""Reads for list pages and the workbench: the nearest clock of many referrals at once, and the
referrals waiting for a user's act (待办) or recently finished with their part in it (已办).

Every query starts from the access policy; clocks are read only for referrals already fetched
through it. Each function runs a fixed number of queries whatever the number of referrals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from xianjie.accounts.models import Role
from xianjie.calendar.models import ACTIVE_STATES, Clock, ClockState
from xianjie.calendar.selectors import Light, clock_light, work_calendar

from .models import Referral, ReferralEvent
from .permissions import RECEIVER, SENDER
from .transitions import Direction, Status, Transition

#: More than this many items on a workbench list help nobody; the list page has the rest.
WORK_LIMIT = 100
DONE_LIMIT = 20


@dataclass(frozen=True)
class ClockBadge:
    """The nearest active deadline of a referral, with its 红黄绿灯."""

    clock: Clock
    light: str
    overdue: bool

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label)


def nearest_clocks(referrals: Iterable[Referral]) -> dict[int, ClockBadge]:
    """For each referral with a running, paused or overdue clock: the one due first."""
    ids = [r.pk for r in referrals]
    if not ids:
        return {}
    clocks = (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Referral),
            object_id__in=ids,
            state__in=ACTIVE_STATES,
        )
        .select_related("parameter")
        .order_by("due_date", "id")
    )
    today = timezone.localdate()
    calendar = work_calendar()
    badges: dict[int, ClockBadge] = {}
    for clock in clocks:
        if clock.object_id in badges:
            continue
        overdue = clock.state == ClockState.OVERDUE or (
            clock.state == ClockState.RUNNING and clock.due_date < today
        )
        light = clock_light(clock, today=today, calendar=calendar)
        badges[clock.object_id] = ClockBadge(clock=clock, light=str(light), overdue=overdue)
    return badges


@dataclass(frozen=True)
class Turn:
    """Whose act a referral in one status waits for, and what the wait is called."""

    side: str
    role: str
    label: str


#: CONTRACT.md "Who acts": the act each status waits for. A referral sent but not yet received
#: may still be withdrawn by its sender, but that is an option, not work waiting to be done.
TURNS: dict[str, Turn] = {
    Status.DRAFT: Turn(SENDER, Role.CLERK, "待提交审批"),
    Status.PENDING_APPROVAL: Turn(SENDER, Role.LEADER, "待审批"),
    Status.SENT: Turn(RECEIVER, Role.CLERK, "待签收"),
    Status.RECEIVED: Turn(RECEIVER, Role.LEADER, "待处置"),
    Status.HANDLING: Turn(RECEIVER, Role.LEADER, "待书面反馈"),
    Status.AWAITING_SUPPLEMENT: Turn(SENDER, Role.CLERK, "待补充材料"),
    Status.RETURNED: Turn(SENDER, Role.CLERK, "已退回，待修改或办结"),
    Status.FED_BACK: Turn(SENDER, Role.CLERK, "已反馈，待阅办结"),
}

_ORG_FIELD = {SENDER: "sender_org_id", RECEIVER: "receiver_org_id"}


def turn_label(referral: Referral) -> str:
    if referral.status == Status.HANDLING and referral.direction == Direction.TO_SUPERVISION:
        return "核查中，待书面反馈"
    return TURNS[referral.status].label


def _turns_of(user: Any) -> Q | None:
    """The referrals whose next act is the user's: status and the user's side and role."""
    if user.org_id is None:
        return None
    condition: Q | None = None
    for status, turn in TURNS.items():
        if user.has_role(turn.role):
            part = Q(status=status, **{_ORG_FIELD[turn.side]: user.org_id})
            condition = part if condition is None else condition | part
    return condition


@dataclass(frozen=True)
class WorkEntry:
    referral: Referral
    label: str
    #: The other party: the receiver for the sender, the sender for the receiver.
    counterpart: str
    badge: ClockBadge | None
    #: For 已办: when the referral was fed back or closed.
    finished_at: datetime | None = None

    @property
    def due(self) -> date | None:
        return self.badge.clock.due_date if self.badge else None


def _counterpart(user: Any, referral: Referral) -> str:
    if referral.sender_org_id == user.org_id:
        return referral.receiver_org.name
    return referral.sender_org.name


def referral_todo(user: Any) -> list[WorkEntry]:
    """待办: the referrals waiting for the user's act, with their nearest clock."""
    condition = _turns_of(user)
    if condition is None:
        return []
    referrals = list(
        Referral.objects.restrict(user, "view")
        .filter(condition)
        .select_related("sender_org", "receiver_org")
        .order_by("-id")[:WORK_LIMIT]
    )
    badges = nearest_clocks(referrals)
    return [
        WorkEntry(
            referral=r,
            label=turn_label(r),
            counterpart=_counterpart(user, r),
            badge=badges.get(r.pk),
        )
        for r in referrals
    ]


def referral_done(user: Any) -> list[WorkEntry]:
    """已办: referrals fed back or closed that the user acted on, latest first, leaving out those
    still waiting for the user (a fed-back lead waits for its sender's clerk to close it)."""
    if user.org_id is None:
        return []
    acted = ReferralEvent.objects.filter(referral=OuterRef("pk"), actor_id=user.pk)
    finished = (
        ReferralEvent.objects.filter(
            referral=OuterRef("pk"), transition__in=[Transition.FEEDBACK, Transition.CLOSE]
        )
        .order_by("-at")
        .values("at")[:1]
    )
    referrals = (
        Referral.objects.restrict(user, "view")
        .filter(Exists(acted), status__in=[Status.FED_BACK, Status.CLOSED])
        .annotate(finished_at=Subquery(finished))
        .select_related("sender_org", "receiver_org")
    )
    if (waiting := _turns_of(user)) is not None:
        referrals = referrals.exclude(waiting)
    return [
        WorkEntry(
            referral=r,
            label=str(Status(r.status).label),
            counterpart=_counterpart(user, r),
            badge=None,
            finished_at=r.finished_at,
        )
        for r in referrals.order_by("-finished_at", "-id")[:DONE_LIMIT]
    ]
