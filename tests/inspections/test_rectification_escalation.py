"""逾期督办 (第九条): the calendar's sweep (`xianjie sweep`) marks an overdue rectification clock,
tells the unit's people, the unit's leaders and the overseers' leaders once, and the task is
marked 督办 once; reminders before the due date go to the unit's people only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xianjie.audit.models import AuditEntry
from xianjie.calendar.selectors import clocks_of
from xianjie.inspections.services.rectifications import rectification_reopen
from xianjie.notifications.models import Notification

from .rectification_fixtures import *  # noqa: F403
from .rectification_fixtures import backdate

pytestmark = [pytest.mark.django_db, pytest.mark.article(9), pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def everyone(people):
    """Every persona exists before the sweep, so that nobody is missed for not existing yet."""
    return {name: people[name] for name in PERSONAS}  # noqa: F405


def sweep() -> None:
    call_command("sweep", stdout=io.StringIO())


def overdue_recipients() -> dict[str, str]:
    return {
        n.recipient.username: n.title
        for n in Notification.objects.filter(kind="clock.overdue").select_related("recipient")
    }


def test_overdue_task_escalated_to_unit_and_overseer_leaders(task, everyone):
    clock = backdate(task, started=40, due=3)
    sweep()
    clock.refresh_from_db()
    assert clock.state == "overdue"
    due = f"{clock.due_date:%Y-%m-%d}"
    title = f"逾期督办：整改任务「行政处罚案卷整改」（第{task.pk}号）整改期限至{due}"
    assert overdue_recipients() == {
        "sj.clerk": title,
        "sj.leader": title,
        "jw.leader": title,
        "sf.leader": title,
    }
    task.refresh_from_db()
    assert task.escalated_at is not None
    event = task.events.get(transition="escalate")
    assert (event.actor, event.from_status, event.to_status) == (None, "open", "open")
    assert event.data == {"clock": clock.pk, "due": clock.due_date.isoformat()}
    audit = AuditEntry.objects.get(action="rectification.escalate")
    assert (audit.actor_id, audit.object_id, audit.payload["clock"]) == (
        None,
        str(task.pk),
        clock.pk,
    )


def test_a_rerun_sends_and_marks_nothing_twice(task, everyone):
    backdate(task, started=40, due=3)
    sweep()
    task.refresh_from_db()
    marked_at = task.escalated_at
    sweep()
    sweep()
    assert Notification.objects.filter(kind="clock.overdue").count() == 4
    task.refresh_from_db()
    assert task.escalated_at == marked_at
    assert task.events.filter(transition="escalate").count() == 1
    assert AuditEntry.objects.filter(action="rectification.escalate").count() == 1


def test_a_new_member_told_later_does_not_mark_the_task_again(task, everyone, county):
    from tests.factories import make_user

    backdate(task, started=40, due=3)
    sweep()
    make_user("sj.leader2", county["sj"], "leader")
    sweep()
    assert "sj.leader2" in overdue_recipients()
    assert task.events.filter(transition="escalate").count() == 1


def test_a_reopened_task_overdue_again_is_escalated_again(task, move, everyone):
    backdate(task, started=40, due=3)
    sweep()
    task.refresh_from_db()
    first_mark = task.escalated_at
    move(task, "submitted")
    rectification_reopen(task_id=task.pk, actor=everyone["jw_clerk"], reason="未到位")
    backdate(task, started=20, due=1)
    sweep()
    task.refresh_from_db()
    assert task.escalated_at == first_mark
    assert task.events.filter(transition="escalate").count() == 2
    assert Notification.objects.filter(kind="clock.overdue").count() == 8


def test_tasks_submitted_or_running_are_not_escalated(make_task, move, everyone):
    late = make_task(title="已按期提交")
    backdate(late, started=40, due=3)
    move(late, "submitted")
    running = make_task(title="期限未到")
    sweep()
    assert Notification.objects.filter(kind="clock.overdue").count() == 0
    for task in (late, running):
        task.refresh_from_db()
        assert task.escalated_at is None
    assert clocks_of(late).get().state == "missed"


def test_due_soon_reminder_goes_to_the_units_people_only(task, everyone):
    clock = clocks_of(task).get()
    clock.due_date = timezone.localdate() + datetime.timedelta(days=1)
    clock.save(update_fields=["due_date"])
    sweep()
    reminded = set(
        Notification.objects.filter(kind="clock.due_soon").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"sj.clerk", "sj.leader"}
    assert Notification.objects.filter(kind="clock.overdue").count() == 0
