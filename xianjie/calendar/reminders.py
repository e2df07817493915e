"""Reminders of clocks about to fall due (DOMAIN.md: yellow within 2 working days).

The calendar does not know whose a clock is: the app owning a record registers, at start-up, a
function answering the people responsible for a clock of that record (ARCHITECTURE.md: the higher
app registers with the lower one). Each reminder carries a dedupe key naming the clock and its due
date, so a sweep run twice — or rerun after a crash — sends nothing twice, while a due date moved
by a pause earns a fresh reminder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
_owners: dict[type[models.Model], tuple[Responsible, Describe]] = {}


def register_clock_owner(
    model: type[models.Model], *, responsible: Responsible, describe: Describe
) -> None:
    """`responsible(obj, clock)` → users to remind; `describe(obj, clock)` → (title, url). The
    title must name the record by number only, never tier 3 content."""
    _owners[model] = (responsible, describe)


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind the people responsible for every running clock due within REMIND_WORKDAYS working
    days. Returns how many messages were sent."""
    today = today or timezone.localdate()
    horizon = work_calendar().add_workdays(today, REMIND_WORKDAYS).date
    due_soon = Clock.objects.filter(
        state=ClockState.RUNNING, due_date__gte=today, due_date__lte=horizon
    ).select_related("content_type", "parameter")
    sent = 0
    for clock in due_soon.iterator():
        model = clock.content_type.model_class()
        owner = _owners.get(model) if model is not None else None
        target = clock.target
        if owner is None or target is None:
            continue
        responsible, describe = owner
        title, url = describe(target, clock)
        sent += len(
            notify(
                recipients=responsible(target, clock),
                kind="clock.due_soon",
                title=title,
                url=url,
                dedupe_key=f"clock:{clock.pk}:due:{clock.due_date.isoformat()}",
            )
        )
    return sent
