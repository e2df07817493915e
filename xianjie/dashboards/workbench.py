"""The workbench's 待办 (to do) and 已办 (done) lists, contributed by the apps that own the work.

Dashboards is the top floor: it reads the other apps' selectors, never the reverse. Each
business app that has work for a user gets a *source* here — a function of the user answering
`WorkItem`s, built from that app's selectors and registered with `@workbench_source(TODO)` or
`@workbench_source(DONE)` — so the workbench view never changes when an app joins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xianjie.calendar.selectors import Light

TODO = "todo"
DONE = "done"


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    #: What kind of work, e.g. 「线索移送」, shown before the title.
    kind: str = ""
    #: The due date of a 待办 item, or the day a 已办 item was finished.
    when: date | None = None
    #: 红黄绿灯 of the item's clock (a `Light` value, see calendar.selectors.clock_light), or "".
    light: str = ""
    #: 督办: escalated by a supervisor.
    escalated: bool = False

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label) if self.light else ""


Source = Callable[[Any], Iterable[WorkItem]]

_SOURCES: dict[str, list[Source]] = {TODO: [], DONE: []}


def workbench_source(kind: str) -> Callable[[Source], Source]:
    """Register a source of `kind` (TODO or DONE)."""

    def decorator(source: Source) -> Source:
        _SOURCES[kind].append(source)
        return source

    return decorator


def work_items(user: Any, kind: str) -> list[WorkItem]:
    """Every source's items for `user`: 待办 by nearest deadline first (undated last), 已办 most
    recently finished first."""
    items = [item for source in _SOURCES[kind] for item in source(user)]
    if kind == TODO:
        items.sort(key=lambda item: (item.when is None, item.when or date.min))
    else:
        items.sort(key=lambda item: item.when or date.min, reverse=True)
    return items
