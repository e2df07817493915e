"""Reminders of clocks about to fall due (DOMAIN.md: yellow within 2 working days), and
escalations (督办) of clocks that are overdue.

The calendar does not know whose a clock is: the app owning a record registers, at start-up, a
function answering the people responsible for a clock of that record (ARCHITECTURE.md: the higher
app registers with the lower one). Each reminder carries a dedupe key naming the clock and its due
date, so a sweep run twice — or rerun after a crash — sends nothing twice, while a due date moved
by a pause earns a fresh reminder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from xianjie.notifications.services import notify

from .models import Clock, ClockState
from .selectors import work_calendar

#: Clocks due within this many working days are reminded (the yellow light).
REMIND_WORKDAYS = 2

Responsible = Callable[[Any, Clock], Iterable[Any]]
Describe = Callable[[Any, Clock], tuple[str, str]]
Escalated = Callable[[Any, Clock], None]


@dataclass(frozen=True)
class ClockOwner:
    responsible: Responsible
    describe: Describe
    #: Who is told when the clock is overdue (督办), besides the responsible people; None: nobody.
    escalate_to: Responsible | None = None
    #: Called once the escalation is sent, e.g. to mark the record 督办 on its own pages.
    on_escalated: Escalated | None = None


_owners: dict[type[models.Model], ClockOwner] = {}


def register_clock_owner(
    model: type[models.Model],
    *,
    responsible: Responsible,
    describe: Describe,
    escalate_to: Responsible | None = None,
    on_escalated: Escalated | None = None,
) -> None:
    """`responsible(obj, clock)` → users to remind; `describe(obj, clock)` → (title, url). The
    title must name the record by number only, never tier 3 content. `escalate_to(obj, clock)` →
    the leaders told when the clock is overdue."""
    _owners[model] = ClockOwner(responsible, describe, escalate_to, on_escalated)


def _owned(clocks: models.QuerySet[Clock]) -> Iterator[tuple[Clock, Any, ClockOwner]]:
    for clock in clocks.select_related("content_type", "parameter").iterator():
        model = clock.content_type.model_class()
        owner = _owners.get(model) if model is not None else None
        target = clock.target
        if owner is not None and target is not None:
            yield clock, target, owner


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind the people responsible for every running clock due within REMIND_WORKDAYS working
    days. Returns how many messages were sent."""
    today = today or timezone.localdate()
    horizon = work_calendar().add_workdays(today, REMIND_WORKDAYS).date
    due_soon = Clock.objects.filter(
        state=ClockState.RUNNING, due_date__gte=today, due_date__lte=horizon
    )
    sent = 0
    for clock, target, owner in _owned(due_soon):
        title, url = owner.describe(target, clock)
        sent += len(
            notify(
                recipients=owner.responsible(target, clock),
                kind="clock.due_soon",
                title=title,
                url=url,
                dedupe_key=f"clock:{clock.pk}:due:{clock.due_date.isoformat()}",
            )
        )
    return sent


def send_overdue_escalations() -> int:
    """督办: tell the responsible people and the owner's escalation leaders, once per clock and
    due date, that a clock is overdue (the sweep marks clocks overdue first). Returns how many
    messages were sent; a rerun sends nothing twice."""
    sent = 0
    overdue = Clock.objects.filter(state=ClockState.OVERDUE)
    for clock, target, owner in _owned(overdue):
        if owner.escalate_to is None:
            continue
        title, url = owner.describe(target, clock)
        people = [*owner.responsible(target, clock), *owner.escalate_to(target, clock)]
        delivered = notify(
            recipients=people,
            kind="clock.overdue",
            title=f"逾期督办：{title}",
            url=url,
            dedupe_key=f"clock:{clock.pk}:overdue:{clock.due_date.isoformat()}",
        )
        if delivered and owner.on_escalated is not None:
            owner.on_escalated(target, clock)
        sent += len(delivered)
    return sent
