"""The deadline clocks of a referral on the working-day calendar (DOMAIN.md "Time limits"),
through the National Day and Spring Festival holidays of 2026 with their make-up days.

2026: 10-01..10-07 are holidays and Saturday 10-10 is a working day; 02-15..02-23 are holidays
and Saturday 02-14 is a working day. The start day is not counted.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xianjie.calendar.models import ClockState
from xianjie.calendar.selectors import Light, clock_light
from xianjie.calendar.services import clocks_refresh
from xianjie.referrals.selectors import referral_clocks, referral_list
from xianjie.referrals.services import clocks as kinds
from xianjie.referrals.transitions import Status, status_label

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=TZ)


def d(day: str) -> date:
    return date.fromisoformat(day)


def clocks(referral) -> dict[str, tuple[str, date, date]]:
    """kind -> (state, start date, due date) of the latest clock of each kind."""
    return {c.kind: (c.state, c.start_date, c.due_date) for c in referral_clocks(referral)}


@pytest.fixture
def travel():
    with time_machine.travel(at("2026-09-29"), tick=False) as traveller:
        yield lambda day: traveller.move_to(at(day))


def sent_on(flow, travel, day, direction="to_discipline"):
    travel(day)
    return flow.to_status("sent", direction)


@pytest.mark.article(5)
def test_receipt_clock_is_three_working_days_across_national_day(flow, travel):
    lead = sent_on(flow, travel, "2026-09-29")
    # 09-30, then 10-08 and 10-09 after the holiday.
    assert clocks(lead) == {kinds.RECEIVE: (ClockState.RUNNING, d("2026-09-29"), d("2026-10-09"))}


@pytest.mark.article(5)
def test_receipt_clock_counts_the_spring_festival_make_up_saturday(flow, travel):
    lead = sent_on(flow, travel, "2026-02-12")
    # 02-13, Saturday 02-14 (调休上班), then 02-24 after the holiday.
    assert clocks(lead)[kinds.RECEIVE][2] == d("2026-02-24")

    travel("2026-02-14")
    received = flow.do(lead, "receive")
    assert clocks(received)[kinds.RECEIVE][0] == ClockState.MET
    # Received on the make-up Saturday 02-14: 02-24..02-27 and the make-up Saturday 02-28.
    assert clocks(received)[kinds.RETURN_OR_FORWARD][2] == d("2026-02-28")


@pytest.mark.article(7)
def test_a_faults_verification_starts_at_receipt(flow, travel):
    """第七条 立即: receipt is due within one working day of sending, and receiving it starts
    verification (核查中) and the written-feedback clock at once."""
    fault = sent_on(flow, travel, "2026-09-29", "to_supervision")
    assert clocks(fault) == {
        kinds.VERIFY_START: (ClockState.RUNNING, d("2026-09-29"), d("2026-09-30"))
    }

    travel("2026-09-30")
    handling = flow.do(fault, "receive")

    assert status_label(handling.direction, handling.status) == "核查中"
    assert clocks(handling) == {
        kinds.VERIFY_START: (ClockState.MET, d("2026-09-29"), d("2026-09-30")),
        # 30 days from receipt: 10-30, a Friday.
        kinds.FEEDBACK: (ClockState.RUNNING, d("2026-09-30"), d("2026-10-30")),
    }


@pytest.mark.article(7)
def test_a_fault_received_after_the_holiday_missed_immediate_verification(flow, travel):
    fault = sent_on(flow, travel, "2026-09-30", "to_supervision")
    assert clocks(fault)[kinds.VERIFY_START][2] == d("2026-10-08")

    travel("2026-10-09")
    handling = flow.do(fault, "receive")

    assert clocks(handling)[kinds.VERIFY_START][0] == ClockState.MISSED
    assert clocks(handling)[kinds.FEEDBACK][0] == ClockState.RUNNING


@pytest.mark.article(5)
@pytest.mark.parametrize(
    ("move", "day", "state"),
    [
        ("return", "2026-10-09", ClockState.MET),
        ("return", "2026-10-13", ClockState.MET),
        ("return", "2026-10-14", ClockState.MISSED),
        ("forward", "2026-10-09", ClockState.MET),
        ("forward", "2026-10-14", ClockState.MISSED),
    ],
)
def test_return_or_forward_clock_runs_five_working_days_over_national_day(
    flow, travel, move, day, state
):
    """Received 09-30: 10-08, 10-09, Saturday 10-10, 10-12 and 10-13 — due 10-13."""
    lead = sent_on(flow, travel, "2026-09-29")
    travel("2026-09-30")
    received = flow.do(lead, "receive")
    assert clocks(received)[kinds.RETURN_OR_FORWARD] == (
        ClockState.RUNNING,
        d("2026-09-30"),
        d("2026-10-13"),
    )
    assert clocks(received)[kinds.DISPOSAL][2] == d("2026-10-30")

    travel(day)
    done = flow.do(received, move)

    assert clocks(done)[kinds.RETURN_OR_FORWARD][0] == state
    assert done.status == (Status.RETURNED if move == "return" else Status.FORWARDED)


@pytest.mark.article(5)
def test_feedback_clock_of_a_lead_starts_at_disposal(flow, travel):
    lead = sent_on(flow, travel, "2026-09-29")
    travel("2026-09-30")
    received = flow.do(lead, "receive")
    travel("2026-10-09")
    handling = flow.do(received, "dispose")

    found = clocks(handling)
    assert found[kinds.DISPOSAL][0] == ClockState.MET
    assert found[kinds.RETURN_OR_FORWARD][0] == ClockState.MET
    # 30 days after 10-09 is Sunday 11-08: due the next working day.
    assert found[kinds.FEEDBACK] == (ClockState.RUNNING, d("2026-10-09"), d("2026-11-09"))

    travel("2026-11-09")
    assert clocks(flow.do(handling, "feedback"))[kinds.FEEDBACK][0] == ClockState.MET


@pytest.mark.article(5)
def test_a_supplement_pauses_every_clock_and_moves_the_due_dates(flow, travel):
    lead = sent_on(flow, travel, "2026-09-29")
    travel("2026-09-30")
    received = flow.do(lead, "receive")
    travel("2026-10-09")
    waiting = flow.do(received, "request_supplement")
    assert {state for state, _, _ in clocks(waiting).values() if state != ClockState.MET} == {
        ClockState.PAUSED
    }

    # A paused clock is not swept as overdue, though its old due date (10-13) has passed.
    travel("2026-10-14")
    clocks_refresh()
    assert clocks(waiting)[kinds.RETURN_OR_FORWARD][0] == ClockState.PAUSED
    assert not referral_list(flow.people["jw_clerk"], {"overdue": True}).filter(pk=lead.pk)

    resumed = flow.do(waiting, "supplement")

    # Paused (10-09, 10-14]: Saturday 10-10, 10-12, 10-13, 10-14 — four working days.
    found = clocks(resumed)
    assert found[kinds.RETURN_OR_FORWARD] == (ClockState.RUNNING, d("2026-09-30"), d("2026-10-19"))
    assert found[kinds.DISPOSAL] == (ClockState.RUNNING, d("2026-09-30"), d("2026-11-05"))
    assert {c.paused_workdays for c in referral_clocks(resumed) if c.kind != kinds.RECEIVE} == {4}


@pytest.mark.article(7)
def test_a_supplement_pauses_a_faults_feedback_clock(flow, travel):
    fault = sent_on(flow, travel, "2026-09-29", "to_supervision")
    travel("2026-09-30")
    handling = flow.do(fault, "receive")
    travel("2026-10-12")
    waiting = flow.do(handling, "request_supplement")
    assert clocks(waiting)[kinds.FEEDBACK][0] == ClockState.PAUSED

    travel("2026-10-16")
    resumed = flow.do(waiting, "supplement")

    # (10-12, 10-16]: four working days after 10-30 → 11-05.
    assert clocks(resumed)[kinds.FEEDBACK] == (ClockState.RUNNING, d("2026-09-30"), d("2026-11-05"))


@pytest.mark.article(5)
def test_a_missed_clock_stays_missed_after_the_work_is_done(flow, travel):
    lead = sent_on(flow, travel, "2026-09-29")
    travel("2026-10-12")
    received = flow.do(lead, "receive")
    assert clocks(received)[kinds.RECEIVE][0] == ClockState.MISSED

    closed = flow.walk(received, ["dispose", "feedback", "close"])
    clocks_refresh()

    receipt = next(c for c in referral_clocks(closed) if c.kind == kinds.RECEIVE)
    assert (receipt.state, receipt.finished_on) == (ClockState.MISSED, d("2026-10-12"))
    assert clock_light(receipt) == Light.RED


@pytest.mark.article(5)
def test_the_sweep_marks_overdue_and_the_list_filter_finds_it(flow, travel):
    late = sent_on(flow, travel, "2026-09-29")
    travel("2026-10-09")
    on_time = flow.to_status("sent")

    travel("2026-10-12")
    assert clocks_refresh() >= 1

    assert clocks(late)[kinds.RECEIVE][0] == ClockState.OVERDUE
    assert clocks(on_time)[kinds.RECEIVE][0] == ClockState.RUNNING
    for name in ("jw_clerk", "sf_clerk"):
        overdue = referral_list(flow.people[name], {"overdue": True})
        assert [r.pk for r in overdue] == [late.pk]
    # Overdue is still tier 3: nobody else learns of it.
    assert not referral_list(flow.people["outsider"], {"overdue": True}).exists()

    received = flow.do(late, "receive")
    assert clocks(received)[kinds.RECEIVE][0] == ClockState.MISSED


@pytest.mark.article(5)
def test_withdrawing_cancels_the_receipt_clock(flow, travel):
    lead = sent_on(flow, travel, "2026-09-29")
    travel("2026-09-30")
    withdrawn = flow.do(lead, "withdraw")

    (receipt,) = referral_clocks(withdrawn)
    assert (receipt.state, receipt.finished_on) == (ClockState.CANCELLED, d("2026-09-30"))
    assert clock_light(receipt) == Light.GREY


@pytest.mark.article(5)
@pytest.mark.parametrize("move", ["return", "forward"])
def test_leaving_handling_cancels_the_feedback_clock(flow, travel, move):
    handling = flow.to_status("handling")
    done = flow.do(handling, move)
    feedback = next(c for c in referral_clocks(done) if c.kind == kinds.FEEDBACK)
    assert feedback.state == ClockState.CANCELLED
