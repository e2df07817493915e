"""逾期督办: an overdue clock is escalated once to its owner's leaders, and marked by the owner."""

import datetime as dt

import pytest

from xianjie.calendar import reminders
from xianjie.calendar.models import Clock, ClockState
from xianjie.calendar.reminders import register_clock_owner, send_overdue_escalations
from xianjie.calendar.services import clock_finish, clock_start, clocks_refresh
from xianjie.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalated_to(jw_clerk, jw_leader, county):
    """Clocks on Org records: jw.clerk answers for them, jw.leader is told when overdue; the
    list collects the records the owner was told were escalated."""
    from xianjie.accounts.models import Org

    marked: list[tuple[int, int]] = []
    register_clock_owner(
        Org,
        responsible=lambda org, clock: [jw_clerk],
        describe=lambda org, clock: (f"{org.code}的时限", "/"),
        escalate_to=lambda org, clock: [jw_leader],
        on_escalated=lambda org, clock: marked.append((org.pk, clock.pk)),
    )
    yield marked
    reminders._owners.pop(Org)


def _overdue_clock(org):
    clock = clock_start(obj=org, kind="referral.receive", start=dt.date(2026, 9, 29), actor=None)
    clocks_refresh(today=dt.date(2026, 10, 12))
    clock.refresh_from_db()
    assert clock.state == ClockState.OVERDUE
    return clock


def test_overdue_clock_escalated_once_to_responsible_and_leaders(
    escalated_to, county, jw_clerk, jw_leader
):
    clock = _overdue_clock(county["sf"])
    assert send_overdue_escalations() == 2
    assert send_overdue_escalations() == 0
    titles = {n.recipient_id: n.title for n in Notification.objects.filter(kind="clock.overdue")}
    assert titles == {jw_clerk.pk: "逾期督办：文司的时限", jw_leader.pk: "逾期督办：文司的时限"}
    assert escalated_to == [(county["sf"].pk, clock.pk)]


def test_running_and_finished_clocks_not_escalated(escalated_to, county):
    clock_start(obj=county["sf"], kind="referral.receive", start=dt.date(2026, 11, 2), actor=None)
    late = _overdue_clock(county["jw"])
    clock_finish(clock=late, on=dt.date(2026, 10, 13), actor=None)
    assert Clock.objects.get(pk=late.pk).state == ClockState.MISSED
    assert send_overdue_escalations() == 0
    assert escalated_to == []


def test_owner_without_escalation_sends_nothing(county, jw_clerk):
    from xianjie.accounts.models import Org

    register_clock_owner(
        Org, responsible=lambda org, clock: [jw_clerk], describe=lambda org, clock: ("x", "/")
    )
    try:
        _overdue_clock(county["sf"])
        assert send_overdue_escalations() == 0
    finally:
        reminders._owners.pop(Org)


def test_own_period_counts_and_survives_recount(county, sysadmin):
    from xianjie.calendar.services import calendar_day_set

    clock = clock_start(
        obj=county["sf"], kind="rectification", start=dt.date(2026, 9, 25), actor=None, amount=5
    )
    # 5 days from 09-25 is 09-30, a working day.
    assert (clock.amount, clock.due_date) == (5, dt.date(2026, 9, 30))
    assert clock.period_amount == 5
    # 09-30 made a rest day: the period still ends 5 days on, then moves past National Day.
    calendar_day_set(day=dt.date(2026, 9, 30), kind="rest", name="临时调整", actor=sysadmin)
    clock.refresh_from_db()
    assert clock.due_date == dt.date(2026, 10, 8)


def test_own_period_out_of_range_refused(county):
    from xianjie.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        clock_start(
            obj=county["sf"], kind="rectification", start=dt.date(2026, 9, 25), actor=None, amount=0
        )
    assert "amount" in refused.value.errors
    assert not Clock.objects.exists()
