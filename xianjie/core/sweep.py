"""The periodic sweep's tasks. `xianjie sweep` runs them in registration order; each app registers
its own at start-up (the calendar: overdue marks, then reminders; referrals: orphaned files), so
the command needs to import none of them. Every task must be safe to run any number of times."""

from __future__ import annotations

from collections.abc import Callable

#: (Chinese description of what the number counts, task returning that number)
_tasks: list[tuple[str, Callable[[], int]]] = []


def register_sweep_task(label: str, task: Callable[[], int]) -> None:
    _tasks.append((label, task))


def sweep_tasks() -> list[tuple[str, Callable[[], int]]]:
    return list(_tasks)
