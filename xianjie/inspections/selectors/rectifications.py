"""Reads of rectification tasks (整改, 第九条): lists with filters, the board by unit and state,
the unit's own tasks, one task with its reports, files, history and clocks, and the workbench's
待办 / 已办. Every read starts from `restrict`; clocks are read only for tasks fetched through it,
a page's clocks in one query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Org, Role
from xianjie.calendar.models import Clock, ClockState
from xianjie.calendar.selectors import clock_light, clocks_of, work_calendar
from xianjie.referrals.worklists import ClockBadge

from ..models import (
    Attachment,
    Finding,
    Rectification,
    RectificationEvent,
    RectificationKind,
    RectificationReport,
    SupervisionAct,
)
from ..policies import unit_ids
from ..services.attachments import AttachmentItem, attachment_items
from ..services.rectification_actors import transitions_for
from ..services.rectifications import CLOCK_KIND
from ..transitions import RectificationStatus, RectificationTransition

S = RectificationStatus
#: The board's columns, in the order a task moves through them.
BOARD_STATUSES = (S.OPEN, S.SUBMITTED, S.CLOSED, S.CANCELLED)
#: More than this many items on a workbench list help nobody; the list page has the rest.
WORK_LIMIT = 100
DONE_LIMIT = 20

#: The page of each kind of source (url name, model); meeting decisions and 以案促改 live in
#: higher apps, which add theirs at start-up through `register_source_page`.
SOURCE_PAGES: dict[str, tuple[str, type[Any]]] = {
    RectificationKind.FINDING: ("inspections:finding_detail", Finding),
    RectificationKind.NOTICE: ("inspections:act_detail", SupervisionAct),
    RectificationKind.DECISION: ("inspections:act_detail", SupervisionAct),
}


def register_source_page(kind: str, url_name: str, model: type[Any]) -> None:
    """Link the tasks of `kind` back to their source's page (`url_name` taking its pk); the
    model must be restricted, so the link shows only to those who may open the source."""
    SOURCE_PAGES[kind] = (url_name, model)


#: What the unit is to do, or what it waits for, in each status.
NEXT_STEPS = {
    S.OPEN: "待整改：请按期报告进展并提交整改报告",
    S.SUBMITTED: "已提交整改报告，待跟踪检查",
    S.CLOSED: "跟踪检查通过，已销号",
    S.CANCELLED: "任务已撤销，无需办理",
}


#: How a task waiting for the user is named on the workbench.
TODO_LABELS: dict[str, str] = {S.OPEN: "待整改", S.SUBMITTED: "待跟踪检查"}


def get_rectification_for_user(user: Any, task_id: Any) -> Rectification:
    """The task if `user` may see it, else NotFound (404) — its existence is never revealed."""
    return get_object_for_user(
        Rectification.objects.select_related("unit", "created_by"), user, "view", pk=task_id
    )


def _overdue(today: date) -> Exists:
    return Exists(
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Rectification),
            object_id=OuterRef("pk"),
            kind=CLOCK_KIND,
        ).filter(Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING, due_date__lt=today))
    )


def rectification_list(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Rectification]:
    """Tasks `user` may see, filtered: unit (id), status, kind, overdue, escalated, q (the title,
    or the task number)."""
    filters = filters or {}
    tasks = Rectification.objects.restrict(user, "view").select_related("unit").order_by("-id")
    if unit := filters.get("unit"):
        tasks = tasks.filter(unit_id=getattr(unit, "pk", unit))
    if status := filters.get("status"):
        tasks = tasks.filter(status=status)
    if kind := filters.get("kind"):
        tasks = tasks.filter(kind=kind)
    if filters.get("overdue"):
        tasks = tasks.filter(_overdue(timezone.localdate()))
    if filters.get("escalated"):
        tasks = tasks.filter(escalated_at__isnull=False)
    if q := str(filters.get("q") or "").strip():
        by_number = Q(pk=int(q)) if q.isascii() and q.isdigit() and len(q) < 12 else Q()
        tasks = tasks.filter(Q(title__icontains=q) | by_number)
    return tasks


def rectification_mine(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Rectification]:
    """The tasks of the units the user answers for (their org, or the department whose legal
    unit they sit in): the unit's own view."""
    if user.org_id is None:
        return Rectification.objects.none()
    return rectification_list(user, filters).filter(unit_id__in=unit_ids(user))


def unit_choices(user: Any) -> list[tuple[str, str]]:
    """The units of the tasks the user may see, for a filter."""
    ids = Rectification.objects.restrict(user, "view").values("unit_id")
    units = Org.objects.filter(pk__in=ids).order_by("sort_order", "id")
    return [(str(org.pk), org.name) for org in units]


def task_clocks(tasks: Iterable[Rectification]) -> dict[int, ClockBadge]:
    """For each task: its latest rectification clock (the running one while open, the finished
    one after), with its 红黄绿灯 — one query for the lot."""
    ids = [task.pk for task in tasks]
    if not ids:
        return {}
    clocks = (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Rectification),
            object_id__in=ids,
            kind=CLOCK_KIND,
        )
        .select_related("parameter")
        .order_by("start_date", "id")
    )
    today, calendar = timezone.localdate(), work_calendar()
    badges: dict[int, ClockBadge] = {}
    for clock in clocks:
        overdue = clock.state == ClockState.OVERDUE or (
            clock.state == ClockState.RUNNING and clock.due_date < today
        )
        light = clock_light(clock, today=today, calendar=calendar)
        badges[clock.object_id] = ClockBadge(clock=clock, light=str(light), overdue=overdue)
    return badges


@dataclass(frozen=True)
class TaskRow:
    task: Rectification
    badge: ClockBadge | None
    next_step: str

    @property
    def due(self) -> date | None:
        return self.badge.clock.due_date if self.badge else None


def task_rows(tasks: Iterable[Rectification]) -> list[TaskRow]:
    tasks = list(tasks)
    badges = task_clocks(tasks)
    return [TaskRow(task, badges.get(task.pk), NEXT_STEPS[S(task.status)]) for task in tasks]


# --- The board: units × states.


@dataclass
class BoardRow:
    unit: Org
    counts: list[tuple[str, int]]
    overdue: int
    total: int


def rectification_board(user: Any) -> list[BoardRow]:
    """整改看板: for each unit of the tasks the user may see, the number of tasks in each state
    and the number overdue."""
    tasks = Rectification.objects.restrict(user, "view").order_by()
    counts: dict[int, dict[str, int]] = {}
    for row in tasks.values("unit_id", "status").annotate(n=Count("pk")):
        counts.setdefault(row["unit_id"], {})[row["status"]] = row["n"]
    overdue = {
        row["unit_id"]: row["n"]
        for row in tasks.filter(_overdue(timezone.localdate()))
        .values("unit_id")
        .annotate(n=Count("pk"))
    }
    units = Org.objects.filter(pk__in=counts).order_by("sort_order", "id")
    return [
        BoardRow(
            unit=unit,
            counts=[(status, counts[unit.pk].get(status, 0)) for status in BOARD_STATUSES],
            overdue=overdue.get(unit.pk, 0),
            total=sum(counts[unit.pk].values()),
        )
        for unit in units
    ]


# --- One task.


@dataclass(frozen=True)
class ReportView:
    report: RectificationReport
    author: str
    files: list[AttachmentItem]


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    actor_org: str
    transition: str
    transition_label: str
    from_status: str
    to_status: str
    to_label: str
    comment: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class RectificationDetail:
    task: Rectification
    overseers: list[Org]
    source_label: str
    source_url: str
    reports: list[ReportView]
    events: list[EventView]
    clocks: list[dict[str, Any]]
    moves: list[tuple[str, str]]
    next_step: str


def source_link(user: Any, task: Rectification) -> tuple[str, str]:
    """(label, url) of the record the task came from; the url only when the user may open it."""
    label = RectificationKind(task.kind).label
    page = SOURCE_PAGES.get(task.kind)
    if page is None:
        return label, ""
    name, model = page
    if task.source_type_id != ContentType.objects.get_for_model(model).pk:
        return label, ""
    source = model.objects.restrict(user, "view").filter(pk=task.source_id).first()
    if source is None:
        return label, ""
    return f"{label}（{source}）", reverse(name, args=[source.pk])


def report_views(user: Any, task: Rectification) -> list[ReportView]:
    files = Attachment.objects.restrict(user, "view").select_related("uploaded_by")
    reports = (
        RectificationReport.objects.restrict(user, "view")
        .filter(task=task)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=files))
    )
    return [
        ReportView(
            report=report,
            author=report.author.display_name,
            files=attachment_items(report.attachments.all()),
        )
        for report in reports
    ]


def event_views(task: Rectification) -> list[EventView]:
    events = RectificationEvent.objects.filter(task=task).select_related("actor", "actor__org")
    return [
        EventView(
            at=e.at,
            actor=e.actor.display_name if e.actor else "系统（定时巡检）",
            actor_org=e.actor.org.name if e.actor and e.actor.org else "",
            transition=e.transition,
            transition_label=RectificationTransition(e.transition).label,
            from_status=e.from_status,
            to_status=e.to_status,
            to_label=S(e.to_status).label,
            comment=e.comment,
            data=e.data,
        )
        for e in events
    ]


def clock_rows(task: Rectification) -> list[dict[str, Any]]:
    today, calendar = timezone.localdate(), work_calendar()
    rows = []
    for clock in clocks_of(task):
        light = clock_light(clock, today=today, calendar=calendar)
        rows.append({"clock": clock, "light": str(light), "light_label": light.label})
    return rows


def rectification_detail(user: Any, task: Rectification) -> RectificationDetail:
    """Everything the task's page and the API show, for a task fetched through the policy."""
    label, url = source_link(user, task)
    return RectificationDetail(
        task=task,
        overseers=list(task.overseers.order_by("sort_order", "id")),
        source_label=label,
        source_url=url,
        reports=report_views(user, task),
        events=event_views(task),
        clocks=clock_rows(task),
        moves=transitions_for(user, task),
        next_step=NEXT_STEPS[S(task.status)],
    )


# --- The workbench: 待办 and 已办.


def _overseen_by(user: Any) -> Exists:
    through = Rectification.overseers.through
    return Exists(through.objects.filter(rectification_id=OuterRef("pk"), org_id=user.org_id))


def rectification_todo(user: Any) -> list[TaskRow]:
    """待办: open tasks of the units the user answers for; submitted tasks awaiting the user's
    org's follow-up check (跟踪检查)."""
    if user.org_id is None or not user.has_role(Role.CLERK, Role.LEADER):
        return []
    waiting = Q(status=S.OPEN, unit_id__in=unit_ids(user)) | Q(
        _overseen_by(user), status=S.SUBMITTED
    )
    tasks = (
        Rectification.objects.restrict(user, "view")
        .filter(waiting)
        .select_related("unit")
        .order_by("-id")[:WORK_LIMIT]
    )
    return [TaskRow(r.task, r.badge, TODO_LABELS[r.task.status]) for r in task_rows(tasks)]


def rectification_done(user: Any) -> list[Rectification]:
    """已办: closed tasks the user took part in, most recently closed first."""
    if user.org_id is None:
        return []
    acted = RectificationEvent.objects.filter(task=OuterRef("pk"), actor_id=user.pk)
    return list(
        Rectification.objects.restrict(user, "view")
        .filter(Exists(acted), status=S.CLOSED)
        .select_related("unit")
        .order_by("-closed_at", "-id")[:DONE_LIMIT]
    )
