"""Rectification tasks (整改, 第九条): created by the record that calls for them, reported on by
the unit, checked by the overseers (跟踪检查) until verified (销号) or reopened.

Who acts is decided in `rectification_actors`. Every move runs the same path inside one
transaction: the task fetched through the access policy and locked (404 for a task the user may
not see), the act checked against the user's side and role (403), the transition table consulted
(409), the fields checked (400, every bad field at once), then the clock moved, the history row
and the audit entry written, and the other side told on commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.access.tiers import Action
from xianjie.accounts.models import Org, Role
from xianjie.calendar.models import ACTIVE_STATES, Clock
from xianjie.calendar.selectors import clocks_of, current_parameter
from xianjie.calendar.services import clock_cancel, clock_finish, clock_start
from xianjie.core.errors import InvalidInput, NotPermitted
from xianjie.core.validation import clean_text

from ..models import Rectification, RectificationEvent, RectificationReport, ReportKind
from ..transitions import RectificationTransition
from ._support import audit, clean_period, tell, unit_people
from .attachments import attachment_upload, clean_files, uploads_guard
from .rectification_actors import T, overseer_people, require_actor, require_status

#: DOMAIN.md "Time limits": rectification, 30 days (provincial 行政执法监督 rules, 意见书 30 日).
CLOCK_KIND = "rectification"


def default_period() -> int:
    parameter = current_parameter(CLOCK_KIND)
    return parameter.amount if parameter is not None else 30


def record_event(
    *,
    task: Rectification,
    actor: Any,
    transition: str,
    from_status: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> RectificationEvent:
    return RectificationEvent.objects.create(
        task=task,
        at=timezone.now(),
        actor=actor,
        transition=transition,
        from_status=from_status,
        to_status=task.status,
        comment=comment,
        data=data or {},
    )


def rectification_create(
    *,
    kind: str,
    source: models.Model,
    unit: Org,
    overseers: Iterable[Org],
    title: str,
    requirement: str,
    basis: str = "",
    period_days: int | None = None,
    actor: Any,
) -> Rectification:
    """A task for `unit`, checked by `overseers`, with its clock (第九条 跟踪检查).

    Called by the service of the record that calls for it (a finding, a notice or decision, a
    meeting decision…), inside that service's transaction; the caller has checked that `actor`
    may create it. `actor` must belong to one of the overseers.
    """
    overseer_list = list(overseers)
    errors: dict[str, list[str]] = {}
    title = clean_text(
        title, field="title", label="任务名称", limit=100, errors=errors, required=True
    )
    requirement = clean_text(
        requirement, field="requirement", label="整改要求", limit=5000, errors=errors, required=True
    )
    basis = clean_text(basis, field="basis", label="依据", limit=2000, errors=errors)
    days = clean_period(period_days, field="period_days", errors=errors, default=default_period())
    if not overseer_list:
        errors["overseers"] = ["请指定跟踪检查单位。"]
    if errors:
        raise InvalidInput(errors=errors)
    if actor.org_id not in {org.pk for org in overseer_list}:
        raise NotPermitted("只有跟踪检查单位可以下达整改任务。")
    with transaction.atomic():
        task = Rectification.objects.create(
            kind=kind,
            source=source,
            unit=unit,
            title=title,
            requirement=requirement,
            basis=basis,
            period_days=days,
            created_by=actor,
        )
        task.overseers.set(overseer_list)
        record_event(
            task=task, actor=actor, transition=RectificationTransition.CREATE, from_status=""
        )
        clock_start(obj=task, kind=CLOCK_KIND, start=timezone.localdate(), actor=actor, amount=days)
        audit(actor, "rectification.create", task, kind=kind, unit=unit.pk, period_days=days)
        tell(
            unit_people(unit.pk),
            f"新的整改任务：{task.title}（{days}日内整改并报告）",
            reverse("inspections:rectification_detail", args=[task.pk]),
            kind="rectification",
        )
    return task


AUDIT_LABELS = {f"rectification.{t.value}": f"整改任务·{t.label}" for t in RectificationTransition}

MAX_TEXT = 5000
MAX_COMMENT = 2000
#: How much of a reopening reason the unit's notification quotes (the page has all of it).
REASON_IN_TITLE = 60


def detail_url(task: Rectification) -> str:
    return reverse("inspections:rectification_detail", args=[task.pk])


# --- The path every move runs.


def _locked(task_id: Any, actor: Any, transition: str) -> tuple[Rectification, str]:
    """Inside the caller's transaction: the task locked — of two people acting at once, the
    second waits and then sees the first one's result — refused in the order 404, 403, 409;
    its status set to the one after `transition`. Returns the task and its previous status."""
    task = get_object_for_user(
        Rectification.objects.select_for_update(), actor, Action.VIEW, pk=task_id
    )
    require_actor(actor, task, transition)
    before = task.status
    task.status = require_status(task, transition)
    return task, before


def _record(
    task: Rectification,
    actor: Any,
    transition: str,
    before: str,
    *,
    changed: Iterable[str] = (),
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    task.save(update_fields=["status", "updated_at", *changed])
    record_event(
        task=task,
        actor=actor,
        transition=transition,
        from_status=before,
        comment=comment,
        data=data,
    )
    audit(
        actor,
        f"rectification.{transition}",
        task,
        status=task.status,
        previous=before,
        **(data or {}),
    )


def _checked(*checks: Callable[[dict[str, list[str]]], Any]) -> list[Any]:
    """Run each field check against one error dict; InvalidInput naming every bad field."""
    errors: dict[str, list[str]] = {}
    values = [check(errors) for check in checks]
    if errors:
        raise InvalidInput(errors=errors)
    return values


def _report_input(text: Any, files: Iterable[Any], label: str) -> tuple[str, list[Any]]:
    def files_check(errors: dict[str, list[str]]) -> list[Any]:
        try:
            return clean_files(files)
        except InvalidInput as error:
            errors.update(error.errors)
            return []

    text, chosen = _checked(
        lambda errors: clean_text(
            text, field="text", label=label, limit=MAX_TEXT, errors=errors, required=True
        ),
        files_check,
    )
    return text, chosen


def _save_report(
    task: Rectification, actor: Any, kind: str, text: str, files: list[Any]
) -> RectificationReport:
    report = RectificationReport.objects.create(
        task=task, kind=kind, text=text, author=actor, at=timezone.now()
    )
    for file in files:
        attachment_upload(report=report, file=file, actor=actor)
    return report


def _active_clocks(task: Rectification) -> list[Clock]:
    return list(clocks_of(task).filter(kind=CLOCK_KIND, state__in=ACTIVE_STATES))


# --- The moves (第九条).


def rectification_report(
    *, task_id: Any, actor: Any, text: str, files: Iterable[Any] = ()
) -> RectificationReport:
    """整改进展: the unit reports progress, with attachments, while the task is open."""
    with uploads_guard(), transaction.atomic():
        task, before = _locked(task_id, actor, T.REPORT)
        text, chosen = _report_input(text, files, "整改进展情况")
        report = _save_report(task, actor, ReportKind.PROGRESS, text, chosen)
        _record(task, actor, T.REPORT, before, data={"report": report.pk, "files": len(chosen)})
        tell(
            overseer_people(task, Role.CLERK),
            f"整改进展：{task.title}（{task.unit.name}）",
            detail_url(task),
            kind="rectification",
        )
    return report


def rectification_submit(
    *, task_id: Any, actor: Any, text: str, files: Iterable[Any] = ()
) -> Rectification:
    """整改报告: the unit's written report ends its period — the clock is met when submitted by
    the due date, missed after it (DOMAIN.md: a missed deadline stays missed) — and the task
    waits for the overseers' follow-up check (跟踪检查)."""
    with uploads_guard(), transaction.atomic():
        task, before = _locked(task_id, actor, T.SUBMIT)
        text, chosen = _report_input(text, files, "整改报告")
        report = _save_report(task, actor, ReportKind.SUBMISSION, text, chosen)
        task.submitted_at = timezone.now()
        today = timezone.localdate()
        states = [clock_finish(clock=c, on=today, actor=actor).state for c in _active_clocks(task)]
        _record(
            task,
            actor,
            T.SUBMIT,
            before,
            changed=["submitted_at"],
            data={"report": report.pk, "files": len(chosen), "clocks": states},
        )
        tell(
            overseer_people(task),
            f"待跟踪检查：{task.title}（{task.unit.name}已提交整改报告）",
            detail_url(task),
            kind="rectification",
        )
    return task


def rectification_verify(*, task_id: Any, actor: Any, comment: str = "") -> Rectification:
    """跟踪检查通过: an overseer checks the submitted rectification and closes the task (销号)."""
    with transaction.atomic():
        task, before = _locked(task_id, actor, T.VERIFY)
        (comment,) = _checked(
            lambda errors: clean_text(
                comment, field="comment", label="跟踪检查意见", limit=MAX_COMMENT, errors=errors
            )
        )
        task.closed_at = timezone.now()
        _record(task, actor, T.VERIFY, before, changed=["closed_at"], comment=comment)
        tell(
            unit_people(task.unit_id),
            f"整改任务已销号：{task.title}",
            detail_url(task),
            kind="rectification",
        )
    return task


def rectification_reopen(
    *, task_id: Any, actor: Any, reason: str, period_days: Any = None
) -> Rectification:
    """退回重新整改: the follow-up check finds the rectification wanting; the unit is told why and
    gets a new period (the task's own unless another is given), on a new clock."""
    with transaction.atomic():
        task, before = _locked(task_id, actor, T.REOPEN)
        reason, days = _checked(
            lambda errors: clean_text(
                reason,
                field="reason",
                label="退回理由",
                limit=MAX_COMMENT,
                errors=errors,
                required=True,
            ),
            lambda errors: clean_period(
                period_days, field="period_days", errors=errors, default=task.period_days
            ),
        )
        task.reopen_count += 1
        task.submitted_at = None
        clock = clock_start(
            obj=task, kind=CLOCK_KIND, start=timezone.localdate(), actor=actor, amount=days
        )
        _record(
            task,
            actor,
            T.REOPEN,
            before,
            changed=["reopen_count", "submitted_at"],
            comment=reason,
            data={"period_days": days, "reopen_count": task.reopen_count, "clock": clock.pk},
        )
        quoted = reason if len(reason) <= REASON_IN_TITLE else reason[:REASON_IN_TITLE] + "…"
        tell(
            unit_people(task.unit_id),
            f"整改任务退回重新整改：{task.title}（理由：{quoted}；{days}日内重新整改并报告）",
            detail_url(task),
            kind="rectification",
        )
    return task


def rectification_cancel(*, task_id: Any, actor: Any, reason: str) -> Rectification:
    """撤销任务: an overseer's leader withdraws an open task (e.g. its source was set aside); its
    clock is cancelled, counting neither as met nor as missed."""
    with transaction.atomic():
        task, before = _locked(task_id, actor, T.CANCEL)
        (reason,) = _checked(
            lambda errors: clean_text(
                reason,
                field="reason",
                label="撤销理由",
                limit=MAX_COMMENT,
                errors=errors,
                required=True,
            )
        )
        for clock in _active_clocks(task):
            clock_cancel(clock=clock, reason="整改任务已撤销", actor=actor)
        _record(task, actor, T.CANCEL, before, comment=reason)
        tell(
            unit_people(task.unit_id),
            f"整改任务已撤销：{task.title}",
            detail_url(task),
            kind="rectification",
        )
    return task


#: The transitions by name (the report is a move too: open → open).
SERVICES: dict[str, Callable[..., Any]] = {
    T.REPORT: rectification_report,
    T.SUBMIT: rectification_submit,
    T.VERIFY: rectification_verify,
    T.REOPEN: rectification_reopen,
    T.CANCEL: rectification_cancel,
}


def rectification_mark_escalated(*, task_id: int, clock: Clock) -> bool:
    """逾期督办 (第九条): the calendar's sweep has told the unit's leaders and the overseers that
    the task's clock is overdue; the task is marked 督办 and the escalation recorded — once per
    clock, however often the sweep runs. Returns whether anything was recorded."""
    with transaction.atomic():
        task = Rectification.objects.select_for_update().get(pk=task_id)
        if RectificationEvent.objects.filter(
            task=task, transition=T.ESCALATE, data__clock=clock.pk
        ).exists():
            return False
        if task.escalated_at is None:
            task.escalated_at = timezone.now()
            task.save(update_fields=["escalated_at", "updated_at"])
        due = clock.due_date.isoformat()
        record_event(
            task=task,
            actor=None,
            transition=T.ESCALATE,
            from_status=task.status,
            data={"clock": clock.pk, "due": due},
        )
        audit(None, "rectification.escalate", task, status=task.status, clock=clock.pk, due=due)
    return True
