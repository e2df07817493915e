"""Entering a year's holiday notice and single days by hand (system administrator only)."""

from datetime import date

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.calendar.models import CalendarDay, CalendarYear, Clock, Source
from xianjie.calendar.notice import format_holidays, parse_notice
from xianjie.calendar.selectors import add_workdays, day_status, is_workday, work_calendar
from xianjie.calendar.services import (
    calendar_day_reset,
    calendar_day_set,
    calendar_year_enter,
    clock_start,
)
from xianjie.core.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db

# An invented 2027 schedule in the shape of a State Council notice.
HOLIDAYS_2027 = """2027-01-01至2027-01-03 元旦
2027-02-06至2027-02-13 春节
2027-04-05 清明节

2027-05-01~2027-05-05 劳动节
2027-10-01..2027-10-07 国庆节
"""
MAKEUP_2027 = """2027-02-20 春节
2027-09-26 国庆节
2027-10-09
"""


def enter_2027(actor, **changes):
    fields = {"year": 2027, "holidays": HOLIDAYS_2027, "makeup_days": MAKEUP_2027, "notice": ""}
    fields.update(changes)
    return calendar_year_enter(actor=actor, **fields)


def test_entering_2027_confirms_the_year_and_changes_counting(sysadmin):
    assert day_status(date(2027, 10, 4)) == "unconfirmed"
    record = enter_2027(sysadmin, notice="国办发明电〔2026〕9号")
    assert record.status == "confirmed" and record.source == Source.MANUAL
    assert record.confirmed_by == sysadmin and record.notice == "国办发明电〔2026〕9号"
    assert day_status(date(2027, 10, 4)) == "restday"
    assert day_status(date(2027, 2, 20)) == "workday"  # make-up Saturday
    assert day_status(date(2027, 3, 1)) == "workday"
    assert work_calendar().day(date(2027, 2, 10)).name == "春节"
    assert CalendarDay.objects.filter(date__year=2027, kind="holiday").count() == 3 + 8 + 1 + 5 + 7
    assert CalendarDay.objects.filter(date__year=2027, kind="makeup").count() == 3
    # 2026-12-30 + 3 working days: 12-31, (元旦 01-01..03), 01-04, 01-05.
    counted = add_workdays(date(2026, 12, 30), 3)
    assert (counted.date, counted.unconfirmed) == (date(2027, 1, 5), False)
    entry = AuditEntry.objects.get(action="calendar.year_enter")
    assert entry.payload["year"] == 2027 and entry.payload["holidays"] == 24


def test_year_entry_names_every_bad_line_and_saves_nothing(sysadmin):
    holidays = "2027-01-01 元旦\n2027-02-06至2027-02-13\n2027年4月5日 清明节\n2026-12-31 元旦"
    makeup = "2027-02-20 春节\n2027-02-24\n2027-01-01\nabc"
    with pytest.raises(InvalidInput) as exc:
        enter_2027(sysadmin, holidays=holidays, makeup_days=makeup)
    assert exc.value.errors == {
        "holidays": [
            "第2行：缺少节日名称，例如“2027-01-01 元旦”",
            "第3行：日期格式应为 YYYY-MM-DD",
            "第4行：日期应在2027年内",
        ],
        "makeup_days": [
            "第2行：2027-02-24 是星期三，本来就是工作日，不必列为调休上班日",
            "第3行：2027-01-01 是星期五，本来就是工作日，不必列为调休上班日",
            "第4行：日期格式应为 YYYY-MM-DD",
        ],
    }
    assert exc.value.detail == "放假安排有6处错误，未作任何修改。"
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action="calendar.year_enter").exists()


def test_year_entry_refuses_overlaps_and_repeats(sysadmin):
    holidays = "2027-10-01至2027-10-07 国庆节\n2027-10-07 国庆节"
    makeup = "2027-10-02 国庆节\n2027-10-09\n2027-10-09"
    with pytest.raises(InvalidInput) as exc:
        enter_2027(sysadmin, holidays=holidays, makeup_days=makeup)
    assert exc.value.errors == {
        "holidays": ["第2行：2027-10-07 已在第1行列出"],
        "makeup_days": [
            "第1行：2027-10-02 已在放假安排第1行列为放假日期",
            "第3行：2027-10-09 已在第2行列出",
        ],
    }


def test_year_entry_needs_at_least_one_holiday(sysadmin):
    with pytest.raises(InvalidInput) as exc:
        enter_2027(sysadmin, holidays="\n\n", makeup_days="")
    assert exc.value.errors == {"holidays": ["请至少填写一行放假安排。"]}


def test_year_entry_refused_to_a_clerk_and_the_other_admins(sj_clerk, secadmin, auditor):
    for user in (sj_clerk, secadmin, auditor):
        with pytest.raises(NotPermitted):
            enter_2027(user)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_reentering_a_seeded_year_replaces_its_rows(sysadmin):
    assert CalendarDay.objects.filter(date__year=2026, source=Source.SEEDED).exists()
    calendar_year_enter(
        year=2026, holidays="2026-10-01至2026-10-03 国庆节", makeup_days="", actor=sysadmin
    )
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", flat=True)) == [
        date(2026, 10, 1),
        date(2026, 10, 2),
        date(2026, 10, 3),
    ]
    assert is_workday(date(2026, 2, 16))  # no Spring Festival in this (wrong) notice
    assert not CalendarDay.objects.filter(date__year=2025, source=Source.MANUAL).exists()


def test_year_entry_recounts_open_clocks_that_cross_the_year(sysadmin, record):
    # Five working days from 2026-12-28 by weekdays: 29, 30, 31, 2027-01-01 (Friday), 01-04.
    clock = clock_start(
        obj=record, kind="referral.return_or_forward", start=date(2026, 12, 28), actor=None
    )
    assert (clock.due_date, clock.due_unconfirmed) == (date(2027, 1, 4), True)
    enter_2027(sysadmin)
    clock.refresh_from_db()
    # With 元旦 2027-01-01..03: 29, 30, 31, 01-04, 01-05.
    assert (clock.due_date, clock.due_unconfirmed) == (date(2027, 1, 5), False)
    assert clock.events.filter(action="recount", due_before=date(2027, 1, 4)).exists()
    assert AuditEntry.objects.get(action="calendar.year_enter").payload["clocks_recounted"] == 1


def test_single_day_set_as_rest_day_counts_at_once_and_keeps_year_status(sysadmin):
    assert is_workday(date(2026, 3, 3))
    row = calendar_day_set(day=date(2026, 3, 3), kind="rest", name="", actor=sysadmin)
    assert (row.is_workday, row.source, row.changed_by) == (False, Source.MANUAL, sysadmin)
    assert day_status(date(2026, 3, 3)) == "restday"
    assert CalendarYear.objects.get(year=2026).status == "confirmed"
    assert AuditEntry.objects.filter(action="calendar.day_set").count() == 1


def test_single_day_in_unconfirmed_year_applies_but_year_stays_unconfirmed(sysadmin):
    calendar_day_set(day=date(2027, 1, 1), kind="holiday", name="元旦", actor=sysadmin)
    assert not is_workday(date(2027, 1, 1))
    assert day_status(date(2027, 1, 1)) == "unconfirmed"
    assert CalendarYear.objects.get(year=2027).status == "unconfirmed"


def test_single_holiday_needs_a_name_and_a_known_kind(sysadmin):
    with pytest.raises(InvalidInput) as exc:
        calendar_day_set(day=date(2026, 3, 3), kind="holiday", name=" ", actor=sysadmin)
    assert exc.value.errors == {"name": ["法定节假日须填写节日名称，例如“国庆节”。"]}
    with pytest.raises(InvalidInput) as exc:
        calendar_day_set(day=date(2026, 3, 3), kind="party", name="", actor=sysadmin)
    assert exc.value.errors == {"kind": ["请选择日期类型。"]}
    assert not CalendarDay.objects.filter(date=date(2026, 3, 3)).exists()


def test_single_day_reset_returns_a_holiday_to_the_weekday_rule(sysadmin):
    calendar_day_reset(day=date(2026, 10, 1), actor=sysadmin)
    assert day_status(date(2026, 10, 1)) == "workday"  # a Thursday by the weekday rule
    with pytest.raises(InvalidInput) as exc:
        calendar_day_reset(day=date(2026, 10, 1), actor=sysadmin)
    assert exc.value.errors == {"day": ["该日期本来就按星期规则计算，无需恢复。"]}
    assert AuditEntry.objects.filter(action="calendar.day_reset").count() == 1


def test_single_day_edit_refused_to_a_leader(jw_leader):
    with pytest.raises(NotPermitted):
        calendar_day_set(day=date(2026, 3, 3), kind="rest", name="", actor=jw_leader)
    with pytest.raises(NotPermitted):
        calendar_day_reset(day=date(2026, 10, 1), actor=jw_leader)
    assert not is_workday(date(2026, 10, 1)) and is_workday(date(2026, 3, 3))


def test_single_day_edit_recounts_clocks_whose_period_contains_it(sysadmin, record):
    clock = clock_start(obj=record, kind="referral.receive", start=date(2026, 3, 2), actor=None)
    assert clock.due_date == date(2026, 3, 5)
    calendar_day_set(day=date(2026, 3, 4), kind="rest", name="", actor=sysadmin)
    assert Clock.objects.get(pk=clock.pk).due_date == date(2026, 3, 6)
    calendar_day_set(day=date(2026, 3, 20), kind="rest", name="", actor=sysadmin)  # after due
    assert Clock.objects.get(pk=clock.pk).due_date == date(2026, 3, 6)


def test_notice_text_round_trips_through_the_edit_form():
    parsed = parse_notice(2027, HOLIDAYS_2027, MAKEUP_2027)
    assert parsed.errors == {}
    again = parse_notice(2027, format_holidays(parsed.holidays), "")
    assert again.holidays == parsed.holidays
    assert format_holidays(parsed.holidays).splitlines()[0] == "2027-01-01至2027-01-03 元旦"
