"""Rectification tasks (第九条): the state machine exhaustively, who may make each move, the
fields each move requires, the clocks, the history, the audit trail and the notifications."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xianjie.audit.models import AuditEntry
from xianjie.calendar.models import Clock, ClockState
from xianjie.calendar.selectors import clocks_of, current_parameter, due_for
from xianjie.calendar.services import time_limit_change
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import Rectification, RectificationReport
from xianjie.inspections.services.rectifications import (
    SERVICES,
    rectification_reopen,
    rectification_report,
    rectification_submit,
    rectification_verify,
)
from xianjie.inspections.transitions import RECTIFICATION_TABLE, RectificationStatus
from xianjie.notifications.models import Notification

from .rectification_fixtures import *  # noqa: F403
from .rectification_fixtures import backdate

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]

#: The persona whose act each move is, and fields that satisfy it.
ACTS = {
    "report": ("sj_clerk", {"text": "已完成案卷自查。"}),
    "submit": ("sj_clerk", {"text": "已全部整改。"}),
    "verify": ("jw_clerk", {"comment": "经核查已整改到位。"}),
    "reopen": ("jw_clerk", {"reason": "整改不到位。"}),
    "cancel": ("jw_leader", {"reason": "来源问题已撤销。"}),
}


def snapshot(task: Rectification) -> tuple:
    """Everything a refused move must leave as it was."""
    row = Rectification.objects.get(pk=task.pk)
    return (
        row.status,
        row.reopen_count,
        row.submitted_at,
        row.closed_at,
        row.events.count(),
        RectificationReport.objects.filter(task=task).count(),
        sorted(clocks_of(task).values_list("pk", "state")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("status", RectificationStatus.values)
@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_move_from_every_status_is_done_or_409(task, move, people, status, name):
    move(task, status)
    actor, fields = ACTS[name]
    before = snapshot(task)
    allowed = RECTIFICATION_TABLE[status]
    if name in allowed:
        SERVICES[name](task_id=task.pk, actor=people[actor], **fields)
        task.refresh_from_db()
        assert task.status == allowed[name]
        assert task.events.last().transition == name
    else:
        with pytest.raises(Conflict) as refused:
            SERVICES[name](task_id=task.pk, actor=people[actor], **fields)
        assert refused.value.status == 409
        assert RectificationStatus(status).label in refused.value.detail
        assert snapshot(task) == before


#: status the move is tried in -> who may make it; visible non-actors get 403, others 404.
MOVES = {
    "report": ("open", {"sj_clerk", "sj_leader"}),
    "submit": ("open", {"sj_clerk", "sj_leader"}),
    "verify": ("submitted", {"jw_clerk", "jw_leader", "sf_clerk", "sf_leader"}),
    "reopen": ("submitted", {"jw_clerk", "jw_leader", "sf_clerk", "sf_leader"}),
    "cancel": ("open", {"jw_leader", "sf_leader"}),
}
PARTIES = {"sj_clerk", "sj_leader", "jw_clerk", "jw_leader", "sf_clerk", "sf_leader"}


@pytest.mark.parametrize("persona", PERSONAS)  # noqa: F405
@pytest.mark.parametrize("name", sorted(MOVES))
def test_each_move_is_made_only_by_its_side_and_role(task, move, people, persona, name):
    status, actors = MOVES[name]
    move(task, status)
    fields = ACTS[name][1]
    before = snapshot(task)
    if persona in actors:
        SERVICES[name](task_id=task.pk, actor=people[persona], **fields)
        assert task.events.last().actor == people[persona]
        return
    expected = NotPermitted if persona in PARTIES else NotFound
    with pytest.raises(expected):
        SERVICES[name](task_id=task.pk, actor=people[persona], **fields)
    assert snapshot(task) == before


def test_a_unit_cannot_verify_its_own_task_403(task, move, sj_leader):
    move(task, "submitted")
    with pytest.raises(NotPermitted) as refused:
        rectification_verify(task_id=task.pk, actor=sj_leader)
    assert refused.value.detail == "“跟踪检查通过”不由您办理。"


def test_an_overseer_cannot_report_progress_403(task, jw_leader):
    with pytest.raises(NotPermitted):
        rectification_report(task_id=task.pk, actor=jw_leader, text="代为报告")


def test_refusal_order_is_403_before_409_before_400(task, move, sj_clerk, jw_clerk):
    with pytest.raises(NotPermitted):
        rectification_verify(task_id=task.pk, actor=sj_clerk, comment="x" * 5000)
    with pytest.raises(Conflict):
        rectification_reopen(task_id=task.pk, actor=jw_clerk, reason="")
    move(task, "submitted")
    with pytest.raises(InvalidInput):
        rectification_reopen(task_id=task.pk, actor=jw_clerk, reason="")


def test_missing_fields_are_all_named_in_chinese(task, move, sj_clerk, jw_clerk):
    with pytest.raises(InvalidInput) as refused:
        rectification_submit(task_id=task.pk, actor=sj_clerk, text="  ", files=[object()] * 11)
    assert refused.value.errors == {
        "text": ["请填写整改报告。"],
        "files": ["一次最多上传10个文件。"],
    }
    move(task, "submitted")
    with pytest.raises(InvalidInput) as refused:
        rectification_reopen(task_id=task.pk, actor=jw_clerk, reason="", period_days=400)
    assert refused.value.errors == {
        "reason": ["请填写退回理由。"],
        "period_days": ["期限应为1至365之间的整数（日）。"],
    }
    assert Rectification.objects.get(pk=task.pk).status == "submitted"


def test_progress_reports_keep_the_task_open_and_tell_the_overseers(
    task, sj_leader, jw_clerk, sf_clerk, jw_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = rectification_report(task_id=task.pk, actor=sj_leader, text="已整改三卷。")
    task.refresh_from_db()
    assert (task.status, report.kind, report.text, report.author) == (
        "open",
        "progress",
        "已整改三卷。",
        sj_leader,
    )
    told = set(
        Notification.objects.filter(title__startswith="整改进展").values_list(
            "recipient", flat=True
        )
    )
    assert told == {jw_clerk.pk, sf_clerk.pk}
    event = task.events.last()
    assert (event.transition, event.data) == ("report", {"report": report.pk, "files": 0})


def test_submission_is_the_written_report_and_tells_every_overseer(
    task, sj_clerk, jw_clerk, jw_leader, sf_clerk, sf_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rectification_submit(task_id=task.pk, actor=sj_clerk, text="整改报告全文")
    task.refresh_from_db()
    assert task.status == "submitted" and task.submitted_at is not None
    report = task.reports.get()
    assert (report.kind, report.text) == ("submission", "整改报告全文")
    told = Notification.objects.filter(title__startswith="待跟踪检查").values_list(
        "recipient", flat=True
    )
    assert set(told) == {jw_clerk.pk, jw_leader.pk, sf_clerk.pk, sf_leader.pk}


def test_verify_closes_and_tells_the_unit(
    task, move, people, sj_clerk, sj_leader, django_capture_on_commit_callbacks
):
    move(task, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        rectification_verify(task_id=task.pk, actor=people["sf_leader"], comment="已到位")
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_at is not None
    assert task.events.last().comment == "已到位"
    told = set(
        Notification.objects.filter(title__startswith="整改任务已销号").values_list(
            "recipient", flat=True
        )
    )
    assert told == {sj_clerk.pk, sj_leader.pk}


def test_reopen_counts_and_tells_the_unit_the_reason(
    task, move, people, django_capture_on_commit_callbacks
):
    move(task, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        rectification_reopen(task_id=task.pk, actor=people["jw_clerk"], reason="案卷仍缺记录")
    task.refresh_from_db()
    assert (task.status, task.reopen_count, task.submitted_at) == ("open", 1, None)
    titles = set(
        Notification.objects.filter(recipient=people["sj_clerk"]).values_list("title", flat=True)
    )
    assert (
        "整改任务退回重新整改：行政处罚案卷整改（理由：案卷仍缺记录；30日内重新整改并报告）"
        in titles
    )
    assert task.events.last().comment == "案卷仍缺记录"


def test_every_move_is_audited_with_ids_and_statuses_only(task, move, people):
    rectification_report(task_id=task.pk, actor=people["sj_clerk"], text="SECRET-TEXT-1")
    move(task, "submitted")
    rectification_reopen(task_id=task.pk, actor=people["jw_clerk"], reason="SECRET-REASON-2")
    entries = AuditEntry.objects.filter(object_type="inspections.rectification").order_by("seq")
    assert [e.action for e in entries] == [
        "rectification.create",
        "rectification.report",
        "rectification.submit",
        "rectification.reopen",
    ]
    assert all(e.tier == 2 for e in entries)
    reopen = entries.last()
    assert reopen.payload["status"] == "open" and reopen.payload["previous"] == "submitted"
    assert "SECRET" not in str([e.payload for e in entries])


# --- Clocks (DOMAIN.md "Time limits": rectification, 30 days).


def test_default_period_is_the_parameter_and_counts_in_days(task):
    clock = clocks_of(task).get()
    parameter = current_parameter("rectification")
    assert parameter is not None and parameter.amount == 30
    assert (task.period_days, clock.period_amount, clock.state) == (30, 30, "running")
    assert clock.start_date == timezone.localdate()
    assert clock.due_date == due_for(parameter, clock.start_date).date


def test_a_changed_parameter_governs_new_tasks(make_task, sysadmin):
    time_limit_change(
        key="rectification", amount=20, unit="days", basis="县规定", reason="缩短", actor=sysadmin
    )
    assert make_task().period_days == 20


def test_a_task_may_have_its_own_period(make_task):
    task = make_task(period_days=15)
    clock = clocks_of(task).get()
    assert (task.period_days, clock.amount) == (15, 15)
    assert clock.due_date >= timezone.localdate() + datetime.timedelta(days=15)


def test_submission_in_time_meets_the_clock(task, move):
    move(task, "submitted")
    assert clocks_of(task).get().state == ClockState.MET


def test_late_submission_misses_the_clock_for_good(task, move, jw_clerk):
    backdate(task, started=40, due=10)
    move(task, "submitted")
    clock = clocks_of(task).get()
    assert (clock.state, clock.finished_on) == (ClockState.MISSED, timezone.localdate())
    assert task.events.get(transition="submit").data["clocks"] == ["missed"]


def test_reopen_starts_a_new_clock_with_its_own_period(task, move, jw_clerk):
    move(task, "submitted")
    rectification_reopen(task_id=task.pk, actor=jw_clerk, reason="未到位", period_days=10)
    first, second = clocks_of(task)
    assert first.state == ClockState.MET
    assert (second.state, second.amount, second.start_date) == (
        ClockState.RUNNING,
        10,
        timezone.localdate(),
    )
    assert task.events.last().data == {"period_days": 10, "reopen_count": 1, "clock": second.pk}


def test_reopen_without_a_period_keeps_the_tasks_own(make_task, move, jw_clerk):
    task = make_task(period_days=12)
    move(task, "submitted")
    rectification_reopen(task_id=task.pk, actor=jw_clerk, reason="未到位")
    assert clocks_of(task).last().amount == 12


def test_cancel_cancels_the_clock(task, move):
    move(task, "cancelled")
    clock = clocks_of(task).get()
    assert clock.state == ClockState.CANCELLED
    assert Clock.objects.filter(state__in=["running", "overdue"]).count() == 0
