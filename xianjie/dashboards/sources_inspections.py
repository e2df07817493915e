"""The workbench's sources for the inspection app, imported once by DashboardsConfig.

待办 — every step of an inspection that waits for someone, named by its title or number only
(tier 2), never by a finding's text or an officer's name:
- rectification tasks (整改, 第九条): for the people of a unit, its open tasks with their due
  date, light and the 督办 mark once escalated; for the overseers, submitted tasks awaiting
  their follow-up check (跟踪检查);
- supervision acts (第十三条（十）): drafts awaiting the issuing org's leader's signature (签发);
- A10 flags: open flags, for the issuing org's clerks (to refer) and leaders (to dismiss), with
  the report deadline the unit missed;
- joint inspections (第八条), for the organisers' clerks and leaders: plans whose start has come
  or is near (待开始), committed draws not yet run (待抽取), inspections under way (检查中)
  until their planned end.
Only the rectification tasks run on a clock, so only they carry a light.

已办: closed tasks the user took part in, issued acts the user drafted or signed, flags the user
referred or dismissed. Every list is bounded and read in one query through `restrict`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xianjie.inspections.models import (
    ComplianceFlag,
    Draw,
    DrawStatus,
    FlagStatus,
    Inspection,
    InspectionMethod,
    SupervisionAct,
)
from xianjie.inspections.selectors.rectifications import (
    DONE_LIMIT,
    WORK_LIMIT,
    rectification_done,
    rectification_todo,
)
from xianjie.inspections.services.flags import may_dismiss, may_refer
from xianjie.inspections.services.supervision import may_issue
from xianjie.inspections.transitions import ActStatus, InspectionStatus

from .workbench import DONE, TODO, WorkItem, workbench_source

KIND = "整改任务"
ACT_KIND = "监督文书"
FLAG_KIND = "A10标记"
INSPECTION_KIND = "联合法治督查"
#: A planned inspection joins the organisers' 待办 this many days before its planned start.
START_NOTICE_DAYS = 5


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


# --- Supervision acts and A10 flags (第十三条（十）).


@workbench_source(TODO)
def acts_to_sign(user: Any) -> Iterable[WorkItem]:
    """Drafts of the user's org, for its leaders (may_issue): a draft has no deadline yet."""
    drafts = (
        SupervisionAct.objects.restrict(user, "change")
        .filter(status=ActStatus.DRAFT)
        .order_by("id")[:WORK_LIMIT]
    )
    for act in drafts:
        if may_issue(user, act):
            yield WorkItem(
                title=f"待签发：{act.get_kind_display()} 草稿#{act.pk}",
                url=reverse("inspections:act_detail", args=[act.pk]),
                kind=ACT_KIND,
            )


@workbench_source(TODO)
def flags_to_handle(user: Any) -> Iterable[WorkItem]:
    """Open flags of the acts the user's org issued: its clerks refer them, its leaders dismiss
    them. The date is the report deadline the unit missed."""
    flags = (
        ComplianceFlag.objects.restrict(user, "change")
        .filter(status=FlagStatus.OPEN)
        .select_related("act")
        .order_by("due_date", "id")[:WORK_LIMIT]
    )
    for flag in flags:
        if may_refer(user, flag) or may_dismiss(user, flag):
            yield WorkItem(
                title=f"A10标记待处理：{flag.act.number}",
                url=reverse("inspections:flag_detail", args=[flag.pk]),
                kind=FLAG_KIND,
                when=flag.due_date,
            )


@workbench_source(DONE)
def acts_done(user: Any) -> Iterable[WorkItem]:
    acts = (
        SupervisionAct.objects.restrict(user, "view")
        .filter(Q(issued_by_id=user.pk) | Q(created_by_id=user.pk), status=ActStatus.ISSUED)
        .order_by("-issued_at", "-id")[:DONE_LIMIT]
    )
    for act in acts:
        yield WorkItem(
            title=f"{act.number} {act.get_kind_display()} 已签发",
            url=reverse("inspections:act_detail", args=[act.pk]),
            kind=ACT_KIND,
            when=timezone.localdate(act.issued_at) if act.issued_at else None,
        )


@workbench_source(DONE)
def flags_done(user: Any) -> Iterable[WorkItem]:
    flags = (
        ComplianceFlag.objects.restrict(user, "view")
        .filter(handled_by_id=user.pk)
        .exclude(status=FlagStatus.OPEN)
        .select_related("act")
        .order_by("-handled_at", "-id")[:DONE_LIMIT]
    )
    for flag in flags:
        yield WorkItem(
            title=f"A10标记{flag.get_status_display()}：{flag.act.number}",
            url=reverse("inspections:flag_detail", args=[flag.pk]),
            kind=FLAG_KIND,
            when=timezone.localdate(flag.handled_at) if flag.handled_at else None,
        )


# --- Joint inspections (第八条): the organisers' next steps.


@workbench_source(TODO)
def inspections_to_do(user: Any) -> Iterable[WorkItem]:
    """Plans to start (their start has come or is near), committed draws to run, inspections
    under way — for the clerks and leaders of the organising orgs (the "change" rule)."""
    soon = timezone.localdate() + timedelta(days=START_NOTICE_DAYS)
    plans = (
        Inspection.objects.restrict(user, "change")
        .filter(
            Q(status=InspectionStatus.PLANNED, planned_start__lte=soon)
            | Q(status=InspectionStatus.UNDER_WAY)
        )
        .order_by("planned_start", "id")[:WORK_LIMIT]
    )
    for plan in plans:
        url = reverse("inspections:plan_detail", args=[plan.pk])
        if plan.status == InspectionStatus.PLANNED:
            title, when = f"待开始：{plan.title}", plan.planned_start
        else:
            title, when = f"检查中：{plan.title}", plan.planned_end
        yield WorkItem(title=title, url=url, kind=INSPECTION_KIND, when=when)
    draws = (
        Draw.objects.restrict(user, "change")
        .filter(
            status=DrawStatus.COMMITTED,
            inspection__status=InspectionStatus.PLANNED,
            inspection__method=InspectionMethod.RANDOM,
        )
        .select_related("inspection")
        .order_by("inspection__planned_start", "id")[:WORK_LIMIT]
    )
    for draw in draws:
        yield WorkItem(
            title=f"待抽取：{draw.inspection.title} 第{draw.sequence}次",
            url=reverse("inspections:draw_detail", args=[draw.inspection_id, draw.pk]),
            kind=INSPECTION_KIND,
            when=draw.inspection.planned_start,
        )
