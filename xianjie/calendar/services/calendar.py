"""Editing the working-day calendar: a year's official notice entered by hand, or a single day.

Only the system administrator edits the calendar. Each edit bumps the year's stamp (so other
processes reload their snapshot), drops this process's snapshot at once, and recounts the open
clocks whose period crosses the changed dates — the calendar is a fact, so a corrected calendar
corrects their due dates, while each clock keeps its own rule version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xianjie.access.restrict import require_role
from xianjie.accounts.models import Role
from xianjie.audit.services import audit_record
from xianjie.core.errors import InvalidInput

from ..counting import MAX_DATE, MIN_DATE, check_range
from ..models import (
    WORKING_KINDS,
    CalendarDay,
    CalendarYear,
    DayKind,
    Source,
    YearStatus,
)
from ..notice import MAX_NAME_LENGTH, parse_notice
from ..selectors import forget_calendar
from .clocks import clocks_recount

MAX_NOTICE_LENGTH = 100


def _locked_year(year: int) -> CalendarYear:
    record, _ = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"status": YearStatus.UNCONFIRMED}
    )
    return record


def _calendar_changed(first: date, last: date, actor: Any) -> int:
    """Make the change visible to every count, then recount the clocks it touches.

    The recount loads a snapshot of the uncommitted rows; should the transaction roll back, the
    stamp no longer matches and the snapshot is replaced at the next recheck.
    """
    forget_calendar()
    transaction.on_commit(forget_calendar)
    return clocks_recount(first=first, last=last, actor=actor)


def calendar_year_enter(
    *, year: int, holidays: str, makeup_days: str, notice: str = "", actor: Any
) -> CalendarYear:
    """Enter a year's 节假日安排 by hand; replaces that year's rows and marks the year confirmed.

    `holidays` and `makeup_days` are the typed lists (format in notice.py); every bad line is
    reported with its line number and nothing is saved while any line is wrong.
    """
    require_role(actor, Role.SYSADMIN)
    errors: dict[str, list[str]] = {}
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        errors["year"] = ["年度应在1900年至2100年之间。"]
    notice = (notice or "").strip()
    if len(notice) > MAX_NOTICE_LENGTH:
        errors["notice"] = [f"通知文号不应超过{MAX_NOTICE_LENGTH}个字。"]
    parsed = parse_notice(year, holidays, makeup_days) if "year" not in errors else None
    if parsed is not None:
        errors.update(parsed.errors)
    if errors or parsed is None:
        count = sum(len(messages) for messages in errors.values())
        raise InvalidInput(f"放假安排有{count}处错误，未作任何修改。", errors)

    with transaction.atomic():
        record = _locked_year(year)
        replaced, _ = CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    date=day,
                    is_workday=False,
                    kind=DayKind.HOLIDAY,
                    name=name,
                    source=Source.MANUAL,
                    changed_by=actor,
                )
                for day, name in parsed.holidays.items()
            ]
            + [
                CalendarDay(
                    date=day,
                    is_workday=True,
                    kind=DayKind.MAKEUP,
                    name=name,
                    source=Source.MANUAL,
                    changed_by=actor,
                )
                for day, name in parsed.makeup_days.items()
            ]
        )
        record.status = YearStatus.CONFIRMED
        record.source = Source.MANUAL
        record.notice = notice
        record.confirmed_by = actor
        record.confirmed_at = timezone.now()
        record.save(
            update_fields=[
                "status",
                "source",
                "notice",
                "confirmed_by",
                "confirmed_at",
                "updated_at",
            ]
        )
        recounted = _calendar_changed(date(year, 1, 1), date(year, 12, 31), actor)
        audit_record(
            actor=actor,
            action="calendar.year_enter",
            obj=record,
            payload={
                "year": year,
                "holidays": len(parsed.holidays),
                "makeup_days": len(parsed.makeup_days),
                "replaced_rows": replaced,
                "clocks_recounted": recounted,
            },
        )
    return record


def calendar_day_set(*, day: date, kind: str, name: str = "", actor: Any) -> CalendarDay:
    """Set one date by hand: a holiday (named), a make-up working day, a rest day or a working day.

    The year's confirmation is unchanged: correcting one day does not enter a whole notice.
    """
    require_role(actor, Role.SYSADMIN)
    errors: dict[str, list[str]] = {}
    try:
        check_range(day, field="day")
    except InvalidInput as error:
        errors.update(error.errors)
    if kind not in DayKind.values:
        errors["kind"] = ["请选择日期类型。"]
    name = (name or "").strip()
    if kind == DayKind.HOLIDAY and not name:
        errors["name"] = ["法定节假日须填写节日名称，例如“国庆节”。"]
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = [f"名称不应超过{MAX_NAME_LENGTH}个字。"]
    if errors:
        raise InvalidInput(errors=errors)

    with transaction.atomic():
        _locked_year(day.year).save(update_fields=["updated_at"])
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = {"kind": row.kind, "name": row.name} if row else None
        fields = {
            "is_workday": kind in WORKING_KINDS,
            "kind": kind,
            "name": name,
            "source": Source.MANUAL,
            "changed_by": actor,
        }
        if row is None:
            row = CalendarDay.objects.create(date=day, **fields)
        else:
            for field, value in fields.items():
                setattr(row, field, value)
            row.save(update_fields=[*fields, "updated_at"])
        recounted = _calendar_changed(day, day, actor)
        audit_record(
            actor=actor,
            action="calendar.day_set",
            obj=row,
            payload={
                "date": day.isoformat(),
                "kind": kind,
                "before": before["kind"] if before else "",
                "clocks_recounted": recounted,
            },
        )
    return row


def calendar_day_reset(*, day: date, actor: Any) -> None:
    """Remove a date's row so it follows the weekday rule again (Monday–Friday working)."""
    require_role(actor, Role.SYSADMIN)
    check_range(day, field="day")
    with transaction.atomic():
        _locked_year(day.year).save(update_fields=["updated_at"])
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise InvalidInput(errors={"day": ["该日期本来就按星期规则计算，无需恢复。"]})
        kind = row.kind
        row.delete()
        recounted = _calendar_changed(day, day, actor)
        audit_record(
            actor=actor,
            action="calendar.day_reset",
            object_type="calendar.calendarday",
            object_id=day.isoformat(),
            payload={"date": day.isoformat(), "before": kind, "clocks_recounted": recounted},
        )
