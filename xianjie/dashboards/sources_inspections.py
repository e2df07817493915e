"""The workbench's sources for rectification tasks (整改, 第九条), imported once by
DashboardsConfig.

待办: for the people of a unit, its open tasks with their due date, light and the 督办 mark once
escalated; for the overseers, submitted tasks awaiting their follow-up check (跟踪检查). 已办:
closed tasks the user took part in. Titles name a task by its title and unit (tier 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from xianjie.inspections.selectors.rectifications import rectification_done, rectification_todo

from .workbench import DONE, TODO, WorkItem, workbench_source

KIND = "整改任务"


@workbench_source(TODO)
def rectifications_to_do(user: Any) -> Iterable[WorkItem]:
    for row in rectification_todo(user):
        yield WorkItem(
            title=f"{row.task.title} {row.next_step}（{row.task.unit.name}）",
            url=reverse("inspections:rectification_detail", args=[row.task.pk]),
            kind=KIND,
            when=row.due,
            light=row.badge.light if row.badge else "",
            escalated=row.task.escalated_at is not None,
        )


@workbench_source(DONE)
def rectifications_done(user: Any) -> Iterable[WorkItem]:
    for task in rectification_done(user):
        yield WorkItem(
            title=f"{task.title} 已销号（{task.unit.name}）",
            url=reverse("inspections:rectification_detail", args=[task.pk]),
            kind=KIND,
            when=timezone.localdate(task.closed_at) if task.closed_at else None,
        )
