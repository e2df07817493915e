"""Reads: the working-day calendar (cached per process), time-limit parameters, clock lights.

The calendar snapshot is loaded once per process and reused by every count. Edits made in this
process drop it at once (services call `forget_calendar`); other processes notice an edit by the
calendar stamp — the latest `CalendarYear.updated_at` and the number of year rows, which every
calendar service touches — checked at most every RECHECK_SECONDS, so an edit reaches every
worker within that time at the cost of one tiny query per process per interval.
"""

from __future__ import annotations

import calendar as pycalendar
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max
from django.utils import timezone

from .counting import Counted, Day, WorkCalendar
from .models import (
    CalendarDay,
    CalendarYear,
    Clock,
    ClockState,
    TimeLimitParameter,
    TimeUnit,
    YearStatus,
)

RECHECK_SECONDS = 30.0
#: A running clock shows yellow when its due date is at most this many working days away.
YELLOW_WORKDAYS = 2


@dataclass
class _Cached:
    calendar: WorkCalendar
    stamp: tuple[Any, int]
    checked: float


_lock = threading.Lock()
_cached: _Cached | None = None


def _stamp() -> tuple[Any, int]:
    row = CalendarYear.objects.aggregate(latest=Max("updated_at"), years=Count("year"))
    return row["latest"], row["years"]


def _load() -> WorkCalendar:
    days = {
        row["date"]: Day(row["is_workday"], row["kind"], row["name"])
        for row in CalendarDay.objects.values("date", "is_workday", "kind", "name")
    }
    confirmed = CalendarYear.objects.filter(status=YearStatus.CONFIRMED).values_list(
        "year", flat=True
    )
    return WorkCalendar(days, confirmed)


def work_calendar() -> WorkCalendar:
    """The calendar snapshot; callers counting many dates should take it once and reuse it."""
    global _cached
    with _lock:
        now = time.monotonic()
        if _cached is not None and now - _cached.checked < RECHECK_SECONDS:
            return _cached.calendar
        stamp = _stamp()
        if _cached is None or _cached.stamp != stamp:
            _cached = _Cached(_load(), stamp, now)
        else:
            _cached.checked = now
        return _cached.calendar


def forget_calendar() -> None:
    """Drop this process's snapshot; the next count reloads it."""
    global _cached
    with _lock:
        _cached = None


# --- The counting rules on the current calendar (DOMAIN.md "Time limits").


def is_workday(value: date) -> bool:
    return work_calendar().is_workday(value)


def day_status(value: date) -> str:
    """`workday`, `restday` or `unconfirmed` (any date of a year without official data)."""
    return work_calendar().day_status(value)


def add_workdays(start: date, n: int) -> Counted:
    """The date `n` working days after `start` (the start day not counted)."""
    return work_calendar().add_workdays(start, n)


def add_days(start: date, n: int) -> Counted:
    """`start` + `n` calendar days, moved to the next working day when that is a rest day."""
    return work_calendar().add_days(start, n)


def due_for(parameter: TimeLimitParameter, start: date) -> Counted:
    """The due date of a period under `parameter` starting on `start`."""
    return due_on_calendar(work_calendar(), parameter, start)


def due_on_calendar(
    calendar: WorkCalendar, parameter: TimeLimitParameter, start: date, amount: int | None = None
) -> Counted:
    """`amount` overrides the rule's period (a document's own 期限), in the rule's unit."""
    amount = parameter.amount if amount is None else amount
    if parameter.unit == TimeUnit.WORKDAYS:
        return calendar.add_workdays(start, amount)
    if parameter.unit == TimeUnit.DAYS:
        return calendar.add_days(start, amount)
    # 立即 (第七条): due the same day it starts.
    return Counted(start, not calendar.is_confirmed_year(start.year))


# --- Calendar pages.


def year_record(year: int) -> CalendarYear:
    """The stored record of `year`, or an unsaved unconfirmed one for a year never touched."""
    return CalendarYear.objects.filter(year=year).first() or CalendarYear(
        year=year, status=YearStatus.UNCONFIRMED
    )


def year_days(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def year_rows(status: str = "") -> list[CalendarYear]:
    """Every stored year plus the years up to next year, newest first, optionally by status."""
    stored = {record.year: record for record in CalendarYear.objects.all()}
    this_year = timezone.localdate().year
    first = min([*stored, this_year])
    last = max([*stored, this_year + 1])
    rows = [
        stored.get(year) or CalendarYear(year=year, status=YearStatus.UNCONFIRMED)
        for year in range(last, first - 1, -1)
    ]
    if status:
        rows = [row for row in rows if row.status == status]
    return rows


# --- Time-limit parameters.


def current_parameter(key: str) -> TimeLimitParameter | None:
    return TimeLimitParameter.objects.filter(key=key).order_by("-version").first()


def current_parameters() -> list[TimeLimitParameter]:
    """The latest version of every key, in key order."""
    latest: dict[str, TimeLimitParameter] = {}
    for parameter in TimeLimitParameter.objects.select_related("changed_by").order_by(
        "key", "-version"
    ):
        latest.setdefault(parameter.key, parameter)
    return list(latest.values())


def parameter_history(key: str) -> list[TimeLimitParameter]:
    return list(
        TimeLimitParameter.objects.filter(key=key).select_related("changed_by").order_by("-version")
    )


# --- Clocks.


class Light(models.TextChoices):
    """红黄绿灯 of a clock (ARCHITECTURE.md, what users expect)."""

    GREEN = "green", "正常"
    YELLOW = "yellow", "即将到期"
    RED = "red", "已逾期"
    GREY = "grey", "已暂停"
    DONE = "done", "按期办结"


def clock_light(
    clock: Clock, *, today: date | None = None, calendar: WorkCalendar | None = None
) -> Light:
    """Green running, yellow due within YELLOW_WORKDAYS working days, red overdue (or finished
    late), grey paused or cancelled, done when met. Pass `calendar` when lighting many clocks at
    once."""
    if clock.state == ClockState.MET:
        return Light.DONE
    if clock.state in (ClockState.PAUSED, ClockState.CANCELLED):
        return Light.GREY
    if clock.state in (ClockState.OVERDUE, ClockState.MISSED):
        return Light.RED
    today = today or timezone.localdate()
    if clock.due_date < today:
        # Past due but not yet marked by the sweep.
        return Light.RED
    calendar = calendar or work_calendar()
    if calendar.workdays_between(today, clock.due_date) <= YELLOW_WORKDAYS:
        return Light.YELLOW
    return Light.GREEN


def clocks_of(obj: models.Model) -> models.QuerySet[Clock]:
    """The clocks of a record the caller has already fetched through its own access check."""
    return (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )
        .select_related("parameter")
        .order_by("start_date", "id")
    )


def clock_list(user: Any) -> models.QuerySet[Clock]:
    """Every clock the user may list (the system administrator only; others go through records)."""
    return Clock.objects.restrict(user, "view").select_related("parameter", "content_type")


# --- The month grid of a year page.

WEEKDAY_HEADERS = ("一", "二", "三", "四", "五", "六", "日")
_MONTHS = pycalendar.Calendar(firstweekday=0)


def month_grid(year: int) -> list[dict[str, Any]]:
    """Twelve months of weeks (Monday first); each cell is None or {date, day, kind, name,
    is_workday}, with the kind the weekday rule gives when the date has no row."""
    calendar = work_calendar()
    months = []
    for month, (weeks,) in enumerate(_MONTHS.yeardatescalendar(year, width=1), start=1):
        rows = []
        for week in weeks:
            row: list[dict[str, Any] | None] = []
            for value in week:
                if value.month != month:
                    row.append(None)
                    continue
                info = calendar.day(value)
                row.append(
                    {
                        "date": value,
                        "day": value.day,
                        "kind": info.kind,
                        "name": info.name,
                        "is_workday": info.is_workday,
                    }
                )
            rows.append(row)
        months.append({"month": month, "weeks": rows})
    return months
