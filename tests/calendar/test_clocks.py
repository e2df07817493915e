"""Deadline clocks: start, pause and resume with reasons, met / missed / overdue, lights, access."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.calendar.models import Clock, ClockState
from xianjie.calendar.selectors import Light, clock_light, clock_list, clocks_of
from xianjie.calendar.services import (
    clock_finish,
    clock_pause,
    clock_resume,
    clock_start,
    clocks_refresh,
)
from xianjie.calendar.transitions import CLOCK_TRANSITIONS
from xianjie.core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI)


@pytest.fixture
def today(time_machine):
    """today("2026-03-05") moves the clock of the whole process to that morning."""

    def move(day: str) -> None:
        time_machine.move_to(at(day), tick=False)

    return move


def start(obj, kind="referral.return_or_forward", on="2026-03-02", actor=None):
    return clock_start(obj=obj, kind=kind, start=date.fromisoformat(on), actor=actor)


def test_start_computes_due_under_the_current_rule_and_writes_the_trail(record, sf_clerk):
    clock = start(record, actor=sf_clerk)
    assert clock.target == record
    assert (clock.kind, clock.rule_version, clock.state) == (
        "referral.return_or_forward",
        1,
        "running",
    )
    assert (clock.start_date, clock.due_date) == (date(2026, 3, 2), date(2026, 3, 9))
    assert list(clocks_of(record)) == [clock]
    assert [e.action for e in clock.events.all()] == ["start"]
    entry = AuditEntry.objects.get(action="clock.start")
    assert entry.actor == sf_clerk and entry.payload["due"] == "2026-03-09"


def test_start_refuses_an_unknown_kind_and_a_bad_date(record):
    with pytest.raises(InvalidInput) as exc:
        clock_start(obj=record, kind="referral.nothing", start=date(1899, 1, 1), actor=None)
    assert exc.value.errors == {
        "start": ["起算日期超出工作日历范围（1900年至2100年）。"],
        "kind": ["未知的时限类别：referral.nothing。"],
    }
    assert not Clock.objects.exists()


def test_second_open_clock_of_the_same_kind_is_a_conflict(record, today):
    today("2026-03-02")
    first = start(record)
    with pytest.raises(Conflict):
        start(record)
    start(record, kind="referral.receive")  # another kind is fine
    clock_finish(clock=first, on=date(2026, 3, 2), actor=None)
    assert start(record).state == "running"  # once finished, a new one may start


def test_resume_moves_due_by_the_paused_working_days(record, today, sf_clerk):
    today("2026-03-05")
    clock = start(record)  # due 2026-03-09
    clock_pause(clock=clock, reason="要求补充材料", actor=sf_clerk, on=date(2026, 3, 3))
    clock = clock_resume(clock=clock, reason="已收到补充材料", actor=sf_clerk, on=date(2026, 3, 5))
    # Paused (03-03, 03-05]: 03-04 and 03-05, two working days; 03-09 + 2 = 03-11.
    assert (clock.state, clock.due_date, clock.paused_workdays) == ("running", date(2026, 3, 11), 2)
    assert clock.paused_on is None
    events = [(e.action, e.reason) for e in clock.events.all()]
    assert events == [("start", ""), ("pause", "要求补充材料"), ("resume", "已收到补充材料")]
    resume = clock.events.get(action="resume")
    assert (resume.due_before, resume.due_after) == (date(2026, 3, 9), date(2026, 3, 11))
    assert AuditEntry.objects.filter(action__in=["clock.pause", "clock.resume"]).count() == 2


def test_pause_over_national_day_counts_only_working_days(record, today):
    today("2026-10-09")
    clock = start(record, on="2026-09-28")  # 29, 30, 10-08, 10-09, 10-10 (make-up Saturday)
    assert clock.due_date == date(2026, 10, 10)
    clock_pause(clock=clock, reason="要求补充材料", actor=None, on=date(2026, 9, 30))
    clock = clock_resume(clock=clock, reason="补充材料已到", actor=None, on=date(2026, 10, 9))
    # (09-30, 10-09] holds two working days, 10-08 and 10-09: 10-10 -> 10-12 -> 10-13.
    assert (clock.paused_workdays, clock.due_date) == (2, date(2026, 10, 13))


def test_resume_on_the_pause_day_moves_nothing(record, today):
    today("2026-03-03")
    clock = start(record)
    clock_pause(clock=clock, reason="要求补充材料", actor=None)
    clock = clock_resume(clock=clock, reason="当日补齐", actor=None)
    assert (clock.due_date, clock.paused_workdays) == (date(2026, 3, 9), 0)


def test_pause_and_resume_need_a_reason_and_the_right_state(record, today):
    today("2026-03-03")
    clock = start(record)
    with pytest.raises(InvalidInput) as exc:
        clock_pause(clock=clock, reason="  ", actor=None)
    assert exc.value.errors == {"reason": ["请填写理由。"]}
    with pytest.raises(Conflict) as conflict:
        clock_resume(clock=clock, reason="恢复", actor=None)
    assert conflict.value.detail == "时限当前状态为“计时中”，不能恢复计时。"
    clock_pause(clock=clock, reason="要求补充材料", actor=None)
    with pytest.raises(Conflict):
        clock_pause(clock=clock, reason="再次暂停", actor=None)
    with pytest.raises(InvalidInput) as exc:
        clock_resume(clock=clock, reason="恢复", actor=None, on=date(2026, 3, 2))
    assert exc.value.errors == {"on": ["日期不能早于暂停日期。"]}
    assert Clock.objects.get(pk=clock.pk).state == "paused"


def test_finish_on_or_before_due_is_met_and_stays_met(record, today):
    today("2026-03-20")
    clock = clock_finish(clock=start(record), on=date(2026, 3, 9), actor=None)
    assert (clock.state, clock.finished_on) == ("met", date(2026, 3, 9))
    with pytest.raises(Conflict) as exc:
        clock_finish(clock=clock, on=date(2026, 3, 20), actor=None)
    assert exc.value.detail == "时限已办结（按期办结），办结结果不再改变。"
    assert clocks_refresh() == 0
    assert Clock.objects.get(pk=clock.pk).state == "met"


def test_finish_after_due_is_missed_and_stays_missed(record, today):
    today("2026-03-20")
    clock = clock_finish(clock=start(record), on=date(2026, 3, 10), actor=None)
    assert clock.state == "missed"
    with pytest.raises(Conflict):
        clock_finish(clock=clock, on=date(2026, 3, 9), actor=None)
    with pytest.raises(Conflict):
        clock_pause(clock=clock, reason="补充", actor=None)
    assert Clock.objects.get(pk=clock.pk).state == "missed"


def test_finish_refuses_dates_before_start_or_in_the_future(record, today):
    today("2026-03-05")
    clock = start(record)
    with pytest.raises(InvalidInput) as exc:
        clock_finish(clock=clock, on=date(2026, 3, 1), actor=None)
    assert exc.value.errors == {"on": ["办结日期不能早于起算日期。"]}
    with pytest.raises(InvalidInput) as exc:
        clock_finish(clock=clock, on=date(2026, 3, 6), actor=None)
    assert exc.value.errors == {"on": ["办结日期不能晚于今天。"]}
    assert Clock.objects.get(pk=clock.pk).state == "running"


def test_finish_while_paused_ends_the_pause_first(record, today):
    today("2026-03-12")
    clock = start(record)  # due 03-09
    clock_pause(clock=clock, reason="要求补充材料", actor=None, on=date(2026, 3, 4))
    # Paused (03-04, 03-10]: 4 working days, so due 03-13 and finishing 03-10 is on time.
    clock = clock_finish(clock=clock, on=date(2026, 3, 10), actor=None)
    assert (clock.state, clock.due_date, clock.paused_workdays) == ("met", date(2026, 3, 13), 4)


def test_refresh_marks_running_clocks_past_due_overdue_once(record, other_record, today):
    today("2026-03-10")
    late = start(record)  # due 03-09
    paused = start(other_record)
    clock_pause(clock=paused, reason="要求补充材料", actor=None, on=date(2026, 3, 3))
    on_time = start(record, kind="referral.disposal")  # 30 days
    assert clocks_refresh() == 1
    assert clocks_refresh() == 0  # idempotent
    assert Clock.objects.get(pk=late.pk).state == "overdue"
    assert Clock.objects.get(pk=paused.pk).state == "paused"
    assert Clock.objects.get(pk=on_time.pk).state == "running"
    assert late.events.filter(action="overdue", on=date(2026, 3, 10)).count() == 1
    assert AuditEntry.objects.get(action="clock.overdue").payload == {
        "count": 1,
        "today": "2026-03-10",
    }


def test_refresh_does_not_mark_a_clock_on_its_due_day(record, today):
    today("2026-03-09")
    start(record)
    assert clocks_refresh() == 0


def test_overdue_clock_finished_late_is_missed_but_one_recorded_late_can_be_met(record, today):
    today("2026-03-12")
    clock = start(record)
    clocks_refresh()
    # Done on the due day but recorded after the sweep: met.
    assert clock_finish(clock=clock, on=date(2026, 3, 9), actor=None).state == "met"
    other = start(record)
    assert clocks_refresh(today=date(2026, 3, 12)) == 1
    assert clock_finish(clock=other, on=date(2026, 3, 12), actor=None).state == "missed"


def test_resuming_an_overdue_pause_past_the_new_due_date_is_overdue(record, today):
    today("2026-03-20")
    clock = start(record)
    clocks_refresh()
    clock_pause(clock=clock, reason="要求补充材料", actor=None, on=date(2026, 3, 16))
    clock = clock_resume(clock=clock, reason="补充材料已到", actor=None, on=date(2026, 3, 17))
    assert (clock.state, clock.due_date) == ("overdue", date(2026, 3, 10))


@pytest.mark.parametrize(
    ("on", "light"),
    [
        ("2026-03-02", Light.GREEN),  # 5 working days left
        ("2026-03-05", Light.YELLOW),  # 03-06, 03-09: two working days
        ("2026-03-09", Light.YELLOW),  # due today
        ("2026-03-10", Light.RED),  # past due, before the sweep
    ],
)
def test_light_of_a_running_clock_follows_the_working_days_left(record, today, on, light):
    today(on)
    assert clock_light(start(record)) == light


def test_light_of_paused_overdue_met_and_missed_clocks(record, other_record, today):
    today("2026-03-12")
    paused = clock_pause(
        clock=start(record), reason="要求补充材料", actor=None, on=date(2026, 3, 3)
    )
    assert clock_light(paused) == Light.GREY
    overdue = start(other_record)
    clocks_refresh()
    assert clock_light(Clock.objects.get(pk=overdue.pk)) == Light.RED
    assert clock_light(clock_finish(clock=overdue, on=date(2026, 3, 12), actor=None)) == Light.RED
    met = start(other_record, on="2026-03-11")
    assert clock_light(clock_finish(clock=met, on=date(2026, 3, 12), actor=None)) == Light.DONE


def test_only_the_system_administrator_lists_all_clocks(record, sysadmin, sf_clerk, auditor):
    clock = start(record)
    assert list(clock_list(sysadmin)) == [clock]
    assert list(clock_list(sf_clerk)) == []
    assert list(clock_list(auditor)) == []
    assert not Clock.objects.restrict(sysadmin, "change").exists()


def test_finished_states_have_no_moves_and_every_active_state_can_finish():
    assert CLOCK_TRANSITIONS[ClockState.MET] == {}
    assert CLOCK_TRANSITIONS[ClockState.MISSED] == {}
    for state in (ClockState.RUNNING, ClockState.PAUSED, ClockState.OVERDUE):
        assert CLOCK_TRANSITIONS[state]["finish_missed"] == ClockState.MISSED
        assert CLOCK_TRANSITIONS[state]["finish_met"] == ClockState.MET
