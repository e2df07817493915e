"""The reminder sweep: clocks due within 2 working days remind the people responsible, once."""

import datetime as dt

import pytest
from django.core.management import call_command

from xianjie.calendar import reminders
from xianjie.calendar.reminders import REMIND_WORKDAYS, register_clock_owner, send_due_reminders
from xianjie.calendar.services import clock_start
from xianjie.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_clock(jw_clerk, county):
    """A clock on an Org record, with jw.clerk answering for it."""
    from xianjie.accounts.models import Org

    register_clock_owner(
        Org,
        responsible=lambda org, clock: [jw_clerk],
        describe=lambda org, clock: (f"临期提醒：{org.code}", "/"),
    )
    yield clock_start(
        obj=county["sf"], kind="referral.receive", start=dt.date(2026, 9, 29), actor=None
    )
    reminders._owners.pop(Org)


def test_reminder_sent_once_when_due_within_two_workdays(owned_clock, jw_clerk):
    # Due 2026-10-09: 3 working days after 09-29 across National Day; 10-08 is 1 before.
    assert owned_clock.due_date == dt.date(2026, 10, 9)
    assert send_due_reminders(today=dt.date(2026, 9, 29)) == 0
    assert send_due_reminders(today=dt.date(2026, 10, 8)) == 1
    assert send_due_reminders(today=dt.date(2026, 10, 8)) == 0
    (message,) = Notification.objects.filter(recipient=jw_clerk)
    assert message.title == "临期提醒：文司"
    assert REMIND_WORKDAYS == 2


def test_sweep_command_reports_counts(owned_clock, time_machine, capsys):
    time_machine.move_to(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC))
    call_command("sweep")
    out = capsys.readouterr().out
    assert "新标记逾期时限 1" in out
    call_command("sweep")
    assert "新标记逾期时限 0" in capsys.readouterr().out
