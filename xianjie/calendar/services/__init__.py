"""Writes of the calendar app: the calendar table, the time-limit parameters and the clocks."""

from .calendar import calendar_day_reset, calendar_day_set, calendar_year_enter
from .clocks import (
    clock_cancel,
    clock_finish,
    clock_pause,
    clock_resume,
    clock_start,
    clocks_recount,
    clocks_refresh,
)
from .parameters import time_limit_change

__all__ = [
    "calendar_day_reset",
    "calendar_day_set",
    "calendar_year_enter",
    "clock_cancel",
    "clock_finish",
    "clock_pause",
    "clock_resume",
    "clock_start",
    "clocks_recount",
    "clocks_refresh",
    "time_limit_change",
]
