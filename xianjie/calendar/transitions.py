"""The moves of a deadline clock. A met clock stays met and a missed one stays missed (DOMAIN.md):
neither has any move out. A cancelled clock (its obligation lapsed) has none either.

`recount` / `recount_overdue` follow a calendar correction: the due date is recomputed and the
clock is running or overdue by the new date; a paused clock stays paused.
"""

from __future__ import annotations

from xianjie.core.statemachine import TransitionTable

from .models import ClockState

CLOCK_TRANSITIONS: TransitionTable = {
    ClockState.RUNNING: {
        "pause": ClockState.PAUSED,
        "finish_met": ClockState.MET,
        "finish_missed": ClockState.MISSED,
        "cancel": ClockState.CANCELLED,
        "overdue": ClockState.OVERDUE,
        "recount": ClockState.RUNNING,
        "recount_overdue": ClockState.OVERDUE,
    },
    ClockState.OVERDUE: {
        # A supplement may be requested after the due date; the pause still counts.
        "pause": ClockState.PAUSED,
        # Work done on time but recorded after the sweep marked the clock overdue.
        "finish_met": ClockState.MET,
        "finish_missed": ClockState.MISSED,
        "cancel": ClockState.CANCELLED,
        "recount": ClockState.RUNNING,
        "recount_overdue": ClockState.OVERDUE,
    },
    ClockState.PAUSED: {
        "resume": ClockState.RUNNING,
        "resume_overdue": ClockState.OVERDUE,
        "finish_met": ClockState.MET,
        "finish_missed": ClockState.MISSED,
        "cancel": ClockState.CANCELLED,
        "recount": ClockState.PAUSED,
        "recount_overdue": ClockState.PAUSED,
    },
    ClockState.MET: {},
    ClockState.MISSED: {},
    ClockState.CANCELLED: {},
}

#: Chinese names of the moves, for the 409 message.
TRANSITION_LABELS = {
    "pause": "暂停",
    "resume": "恢复计时",
    "resume_overdue": "恢复计时",
    "finish_met": "办结",
    "finish_missed": "办结",
    "overdue": "标记逾期",
    "cancel": "撤销",
    "recount": "重新计算",
    "recount_overdue": "重新计算",
}
