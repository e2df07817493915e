"""Reads of supervision notices and decisions and of their A10 flags (第十三条（十）).

Every list and lookup starts from the access policy (policies.act_rule, the flag policy). The
task an issued act created and that task's clock are reached from an act the caller has already
fetched through it: the act's own deadline (期限) is part of the act, while the task's pages and
reports stay behind the task's own policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.calendar.models import Clock
from xianjie.calendar.selectors import Light, clock_light, work_calendar
from xianjie.referrals.models import Referral

from ..models import (
    ComplianceFlag,
    Rectification,
    RectificationEvent,
    RectificationReport,
    SupervisionAct,
)
from ..services.rectifications import CLOCK_KIND
from ..transitions import RectificationTransition


def act_list(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[SupervisionAct]:
    """The acts `user` may see; filters: kind, status, target (org id), q (part of the 文号)."""
    filters = filters or {}
    acts = SupervisionAct.objects.restrict(user, "view").select_related("issuer_org", "target_org")
    if filters.get("kind"):
        acts = acts.filter(kind=filters["kind"])
    if filters.get("status"):
        acts = acts.filter(status=filters["status"])
    if filters.get("target"):
        acts = acts.filter(target_org_id=filters["target"])
    if q := str(filters.get("q") or "").strip():
        acts = acts.filter(number__icontains=q)
    return acts.order_by("-id")


def get_act_for_user(user: Any, act_id: Any, action: str = "view") -> SupervisionAct:
    """The act if `user` may see it (or change it, for action "change"), else NotFound (404)."""
    return get_object_for_user(
        SupervisionAct.objects.select_related(
            "issuer_org", "target_org", "created_by", "issued_by", "notice"
        ),
        user,
        action,
        pk=act_id,
    )


def act_task(act: SupervisionAct) -> Rectification | None:
    """The rectification task an issued act created (none while it is a draft)."""
    return (
        Rectification.objects.filter(
            source_type=ContentType.objects.get_for_model(SupervisionAct), source_id=act.pk
        )
        .order_by("id")
        .first()
    )


def task_clocks(task: Rectification) -> QuerySet[Clock]:
    """The task's report deadlines, the first one being the act's own; a reopened task may add
    more."""
    return (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Rectification),
            object_id=task.pk,
            kind=CLOCK_KIND,
        )
        .select_related("parameter")
        .order_by("start_date", "id")
    )


@dataclass
class Deadline:
    """The report deadline of an issued act (整改（履行）期限), with its 红黄绿灯."""

    clock: Clock
    light: Light

    @property
    def due_date(self) -> date:
        return self.clock.due_date


def deadline_of(clock: Clock | None, today: date | None = None) -> Deadline | None:
    if clock is None:
        return None
    return Deadline(clock, clock_light(clock, today=today, calendar=work_calendar()))


def act_deadline(act: SupervisionAct) -> Deadline | None:
    task = act_task(act)
    return deadline_of(task_clocks(task).first()) if task is not None else None


def attach_deadlines(acts: list[SupervisionAct]) -> list[SupervisionAct]:
    """Give each act of a page its deadline (`act.deadline`), in two queries for the page."""
    tasks = {
        task.source_id: task.pk
        for task in Rectification.objects.filter(
            source_type=ContentType.objects.get_for_model(SupervisionAct),
            source_id__in=[act.pk for act in acts],
        ).order_by("-id")
    }
    first: dict[int, Clock] = {}
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(Rectification),
        object_id__in=list(tasks.values()),
        kind=CLOCK_KIND,
    ).select_related("parameter")
    for clock in clocks.order_by("-start_date", "-id"):
        first[clock.object_id] = clock
    today = timezone.localdate()
    for act in acts:
        task_id = tasks.get(act.pk)
        act.deadline = deadline_of(first.get(task_id) if task_id else None, today)  # type: ignore[attr-defined]
    return acts


@dataclass
class ActView:
    """What the page of one act shows besides the act: the task (when the viewer may open it),
    the deadline, the notice it escalates, the decisions that followed it and its flag."""

    act: SupervisionAct
    task: Rectification | None
    task_visible: bool
    deadline: Deadline | None
    notice: SupervisionAct | None
    decisions: list[SupervisionAct] = field(default_factory=list)
    flag: ComplianceFlag | None = None


def act_view(user: Any, act: SupervisionAct) -> ActView:
    task = act_task(act)
    visible_acts = SupervisionAct.objects.restrict(user, "view")
    task_visible = (
        task is not None
        and Rectification.objects.restrict(user, "view").filter(pk=task.pk).exists()
    )
    return ActView(
        act=act,
        task=task,
        task_visible=task_visible,
        deadline=deadline_of(task_clocks(task).first()) if task is not None else None,
        notice=visible_acts.filter(pk=act.notice_id).first() if act.notice_id else None,
        decisions=list(visible_acts.filter(notice=act).select_related("target_org").order_by("id")),
        flag=ComplianceFlag.objects.restrict(user, "view").filter(act=act).first(),
    )


def flag_list(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[ComplianceFlag]:
    """The A10 flags `user` may see; filters: status."""
    filters = filters or {}
    flags = ComplianceFlag.objects.restrict(user, "view").select_related(
        "act", "act__issuer_org", "org"
    )
    if filters.get("status"):
        flags = flags.filter(status=filters["status"])
    return flags.order_by("-flagged_at", "-id")


def flag_origins(referral: Referral, user: Any) -> list[tuple[str, str]]:
    """The A10 flag a referral was made of, for the referral's page — if `user` may see it
    (registered with referrals.origins)."""
    flag = (
        ComplianceFlag.objects.restrict(user, "view")
        .filter(referral_id=referral.pk)
        .select_related("act")
        .first()
    )
    if flag is None:
        return []
    label = f"A10标记：未按期书面报告{flag.act.number}的整改（履行）情况"
    return [(label, reverse("inspections:flag_detail", args=[flag.pk]))]


def get_flag_for_user(user: Any, flag_id: Any, action: str = "view") -> ComplianceFlag:
    return get_object_for_user(
        ComplianceFlag.objects.select_related(
            "act", "act__issuer_org", "act__target_org", "org", "handled_by", "referral"
        ),
        user,
        action,
        pk=flag_id,
    )


@dataclass
class TaskHistory:
    """The trail of a task for the evidence of a flag: its clocks, events and the unit's reports."""

    clocks: list[Clock]
    events: list[RectificationEvent]
    reports: list[RectificationReport]


def task_history(task: Rectification) -> TaskHistory:
    return TaskHistory(
        clocks=list(task_clocks(task)),
        events=list(
            RectificationEvent.objects.filter(task=task)
            .select_related("actor")
            .order_by("at", "id")
        ),
        reports=list(
            RectificationReport.objects.filter(task=task)
            .select_related("author")
            .order_by("at", "id")
        ),
    )


def submitted_between(task: Rectification, first: date, last: date) -> bool:
    """Whether the unit submitted its written report (整改报告, the task's `submit`) between
    two dates, both included, counted in local time."""
    return RectificationEvent.objects.filter(
        Q(at__date__gte=first) & Q(at__date__lte=last),
        task=task,
        transition=RectificationTransition.SUBMIT,
    ).exists()
