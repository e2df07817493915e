"""Who answers for a rectification task's clock, for the calendar's sweep (第九条).

Registered with `calendar.reminders.register_clock_owner(Rectification, ...)` at start-up: the
unit's clerks and leaders are reminded before the period ends; when it is overdue, the sweep
escalates (逾期督办) to them, to the unit's leaders and to the overseers' leaders — the inspection
organisers, or the body that issued the notice or decision — and the task is marked 督办.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xianjie.accounts.models import Role
from xianjie.calendar.models import Clock

from .models import Rectification
from .services._support import unit_people
from .services.rectification_actors import overseer_people
from .services.rectifications import detail_url, rectification_mark_escalated


def responsible(task: Rectification, clock: Clock) -> Iterable[Any]:
    """The unit's clerks and leaders (its own org and its legal unit, 法制股)."""
    return unit_people(task.unit_id)


def describe(task: Rectification, clock: Clock) -> tuple[str, str]:
    """Named by the task's title (tier 2), with its due date."""
    return (
        f"整改任务「{task.title}」（第{task.pk}号）整改期限至{clock.due_date:%Y-%m-%d}",
        detail_url(task),
    )


def escalate_to(task: Rectification, clock: Clock) -> Iterable[Any]:
    """逾期督办: the unit's leaders and the overseers' leaders."""
    return [*unit_people(task.unit_id, Role.LEADER), *overseer_people(task, Role.LEADER)]


def on_escalated(task: Rectification, clock: Clock) -> None:
    rectification_mark_escalated(task_id=task.pk, clock=clock)
