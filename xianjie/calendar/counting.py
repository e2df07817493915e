"""Counting working days and periods — pure functions over a calendar snapshot, no database.

The rules (DOMAIN.md "Time limits"):
- working days follow the State Council holiday schedule (国务院办公厅节假日安排), so a make-up
  Saturday (调休上班) is a working day and a holiday weekday is not;
- the start day is not counted (期间开始之日不计算在期间内);
- a period ending on a rest day ends on the next working day (期间届满的最后一日是节假日的，以节假日
  后的第一日为期间届满的日期);
- a date in a year whose official schedule is not entered counts by weekdays (Monday to Friday
  working) and every answer that touched such a year says so ("unconfirmed").

`WorkCalendar` answers from a mapping of the dates that differ from — or annotate — the plain
weekday rule, so one lookup is a dict access; the app keeps one snapshot per process
(selectors.work_calendar) because every clock in the system counts through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from xianjie.core.errors import InvalidInput

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
#: Longest period accepted from users; the policy's limits are a few days to a month.
MAX_COUNT = 3650

WORKDAY = "workday"
RESTDAY = "restday"
UNCONFIRMED = "unconfirmed"

#: Day kinds, mirrored by models.DayKind (kept here so this module needs no Django).
HOLIDAY = "holiday"
MAKEUP = "makeup"
REST = "rest"
WORK = "workday"


@dataclass(frozen=True, slots=True)
class Day:
    """What the calendar says about one date: working or not, and why."""

    is_workday: bool
    kind: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Counted:
    """A computed date, and whether any day counted lies in a year without official data."""

    date: date
    unconfirmed: bool


def parse_date(value: str | date, *, field: str = "date", label: str = "日期") -> date:
    """A date from `YYYY-MM-DD` (or a date), inside 1900–2100; else InvalidInput in Chinese."""
    if isinstance(value, date):
        parsed = value
    else:
        text = (value or "").strip()
        if not _ISO_DATE.match(text):
            message = f"{label}格式应为 YYYY-MM-DD，例如 2026-10-08。"
            raise InvalidInput(message, {field: [message]})
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            message = f"{label}无效：{text} 这一天不存在。"
            raise InvalidInput(message, {field: [message]}) from None
    check_range(parsed, field=field, label=label)
    return parsed


def check_range(value: date, *, field: str = "date", label: str = "日期") -> None:
    if not MIN_DATE <= value <= MAX_DATE:
        message = f"{label}超出工作日历范围（1900年至2100年）。"
        raise InvalidInput(message, {field: [message]})


def parse_count(value: str | int, *, field: str = "n", label: str = "天数") -> int:
    """A whole number of days 0..MAX_COUNT; else InvalidInput in Chinese."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not text.isdigit():
            message = f"{label}应为 0 至 {MAX_COUNT} 之间的整数。"
            raise InvalidInput(message, {field: [message]})
        number = int(text)
    if not 0 <= number <= MAX_COUNT:
        message = f"{label}应为 0 至 {MAX_COUNT} 之间的整数。"
        raise InvalidInput(message, {field: [message]})
    return number


def plain_day(value: date) -> Day:
    """The weekday rule alone: Monday to Friday working, Saturday and Sunday rest."""
    return Day(True, WORK) if value.weekday() < 5 else Day(False, REST)


class WorkCalendar:
    """An immutable snapshot of the calendar table: exceptions by date, and the confirmed years."""

    __slots__ = ("_confirmed", "_days")

    def __init__(self, days: Mapping[date, Day], confirmed_years: Iterable[int]):
        self._days = dict(days)
        self._confirmed = frozenset(confirmed_years)

    def day(self, value: date) -> Day:
        check_range(value)
        return self._days.get(value) or plain_day(value)

    def is_workday(self, value: date) -> bool:
        check_range(value)
        known = self._days.get(value)
        return known.is_workday if known is not None else value.weekday() < 5

    def is_confirmed_year(self, year: int) -> bool:
        return year in self._confirmed

    def day_status(self, value: date) -> str:
        """`workday`, `restday`, or `unconfirmed` for any date of a year without official data."""
        check_range(value)
        if value.year not in self._confirmed:
            return UNCONFIRMED
        return WORKDAY if self.is_workday(value) else RESTDAY

    def _spans_unconfirmed(self, first: date, last: date) -> bool:
        return any(year not in self._confirmed for year in range(first.year, last.year + 1))

    def _step(self, value: date) -> date:
        nxt = value + timedelta(days=1)
        if nxt > MAX_DATE:
            raise InvalidInput(
                "计算结果超出工作日历范围（1900年至2100年）。",
                {"n": ["计算结果超出工作日历范围（1900年至2100年）。"]},
            )
        return nxt

    def next_workday(self, value: date) -> date:
        """`value` itself when it is a working day, else the first working day after it."""
        check_range(value)
        while not self.is_workday(value):
            value = self._step(value)
        return value

    def add_workdays(self, start: date, n: int) -> Counted:
        """The date `n` working days after `start`; the start day is not counted.

        With n = 0 the answer is `start` itself (a period of zero days ends where it begins).
        """
        check_range(start)
        n = parse_count(n)
        current, remaining = start, n
        while remaining:
            current = self._step(current)
            if self.is_workday(current):
                remaining -= 1
        first = start + timedelta(days=1) if n else start
        return Counted(current, self._spans_unconfirmed(first, current))

    def add_days(self, start: date, n: int) -> Counted:
        """`start` + `n` calendar days, moved to the next working day when that is a rest day."""
        check_range(start)
        n = parse_count(n)
        end = start + timedelta(days=n)
        check_range(end, field="n", label="计算结果")
        end = self.next_workday(end)
        first = start + timedelta(days=1) if n else start
        return Counted(end, self._spans_unconfirmed(first, end))

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days after `start` `end` lies.

        Negative when `end` is before `start` (the working days in (end, start], negated).
        """
        check_range(start)
        check_range(end)
        low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
        count, current = 0, low
        while current < high:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return sign * count
