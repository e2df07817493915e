"""Counting working days on the seeded calendar, checked against the published schedules."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.utils import timezone

from xianjie.calendar import selectors
from xianjie.calendar.counting import (
    Day,
    WorkCalendar,
    parse_count,
    parse_date,
)
from xianjie.calendar.models import CalendarDay, CalendarYear
from xianjie.calendar.selectors import add_days, add_workdays, day_status, is_workday
from xianjie.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def dates(first: str, last: str) -> list[date]:
    current, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while current <= end:
        out.append(current)
        current += timedelta(days=1)
    return out


def test_make_up_saturday_2026_02_14_is_a_workday():
    assert is_workday(date(2026, 2, 14))
    assert day_status(date(2026, 2, 14)) == "workday"
    assert selectors.work_calendar().day(date(2026, 2, 14)) == Day(True, "makeup", "春节")


def test_national_day_2026_october_1_to_7_are_rest_days():
    assert [day_status(d) for d in dates("2026-10-01", "2026-10-07")] == ["restday"] * 7
    assert day_status(date(2026, 10, 8)) == "workday"
    # The make-up days of that holiday: Sunday 20 September and Saturday 10 October.
    assert is_workday(date(2026, 9, 20)) and is_workday(date(2026, 10, 10))


def test_national_day_2025_october_1_to_8_are_rest_days():
    assert not any(is_workday(d) for d in dates("2025-10-01", "2025-10-08"))
    assert is_workday(date(2025, 10, 9))
    assert is_workday(date(2025, 9, 28)) and is_workday(date(2025, 10, 11))


def test_spring_festival_2026_rests_nine_days_between_two_make_up_saturdays():
    assert not any(is_workday(d) for d in dates("2026-02-15", "2026-02-23"))
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))
    assert selectors.work_calendar().day(date(2026, 2, 17)).name == "春节"


def test_seeded_calendar_agrees_with_chinesecalendar_on_every_date_2004_to_2026():
    calendar = selectors.work_calendar()
    disagreements = [
        d
        for d in dates("2004-01-01", "2026-12-31")
        if calendar.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert disagreements == []
    assert set(
        CalendarYear.objects.filter(status="confirmed").values_list("year", flat=True)
    ) == set(range(2004, 2027))


@pytest.mark.article(5)
def test_five_working_day_return_clock_started_2026_09_29_ends_after_national_day():
    # 9-30 is day 1; 10-01..07 rest; 10-08, 10-09, 10-10 (make-up Saturday), 10-12 are days 2-5.
    counted = add_workdays(date(2026, 9, 29), 5)
    assert counted.date == date(2026, 10, 12)
    assert counted.unconfirmed is False


def test_add_workdays_does_not_count_the_start_day():
    assert add_workdays(date(2026, 3, 2), 1).date == date(2026, 3, 3)
    assert add_workdays(date(2026, 3, 6), 1).date == date(2026, 3, 9)  # Friday -> Monday


def test_add_workdays_from_a_rest_day_counts_from_the_next_working_day():
    assert add_workdays(date(2026, 3, 7), 1).date == date(2026, 3, 9)  # Saturday -> Monday


def test_add_workdays_of_zero_is_the_start_day():
    assert add_workdays(date(2026, 10, 3), 0).date == date(2026, 10, 3)


def test_add_workdays_across_spring_festival_counts_make_up_saturdays():
    # 2-12 (Thu) start: 2-13 Fri=1, 2-14 make-up Sat=2, festival 2-15..23, 2-24 Tue=3.
    assert add_workdays(date(2026, 2, 12), 3).date == date(2026, 2, 24)


def test_add_days_ending_on_a_holiday_moves_to_the_next_working_day():
    # 2026-09-01 + 30 = 10-01, National Day; the first working day after is 10-08.
    assert add_days(date(2026, 9, 1), 30).date == date(2026, 10, 8)
    # 2026-01-16 + 30 = 02-15, inside Spring Festival; next working day 02-24.
    assert add_days(date(2026, 1, 16), 30).date == date(2026, 2, 24)


def test_add_days_ending_on_a_make_up_saturday_stays_there():
    # 2026-01-15 + 30 = 2026-02-14, the make-up Saturday.
    assert add_days(date(2026, 1, 15), 30).date == date(2026, 2, 14)


def test_add_days_ending_on_a_workday_is_plain_addition():
    assert add_days(date(2026, 3, 2), 30).date == date(2026, 4, 1)


def test_dates_of_a_year_without_official_data_are_unconfirmed():
    assert day_status(date(2027, 1, 4)) == "unconfirmed"
    assert day_status(date(2027, 1, 2)) == "unconfirmed"  # even a Saturday
    assert day_status(date(2003, 5, 1)) == "unconfirmed"


def test_unconfirmed_year_counts_by_weekdays_and_flags_the_result():
    assert is_workday(date(2027, 1, 1))  # a Friday: no official 元旦 yet
    assert not is_workday(date(2027, 1, 2))
    counted = add_workdays(date(2026, 12, 30), 3)
    assert counted.date == date(2027, 1, 4)
    assert counted.unconfirmed is True


def test_count_inside_a_confirmed_year_is_not_flagged_even_from_an_unconfirmed_start():
    assert add_workdays(date(2026, 3, 2), 5).unconfirmed is False
    # Start day 2026-12-31 is not counted; the days counted are all in 2027.
    assert add_workdays(date(2026, 12, 31), 1).unconfirmed is True
    assert add_days(date(2026, 12, 1), 10).unconfirmed is False


@pytest.mark.parametrize("text", ["20260101", "2026/01/01", "", "明天", "2026-1-1"])
def test_parse_date_refuses_malformed_dates_in_chinese(text):
    with pytest.raises(InvalidInput) as exc:
        parse_date(text)
    assert exc.value.errors == {"date": ["日期格式应为 YYYY-MM-DD，例如 2026-10-08。"]}


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01"])
def test_parse_date_names_a_day_that_does_not_exist(text):
    with pytest.raises(InvalidInput) as exc:
        parse_date(text)
    assert exc.value.errors == {"date": [f"日期无效：{text} 这一天不存在。"]}


@pytest.mark.parametrize("value", [date(1899, 12, 31), date(2101, 1, 1)])
def test_dates_outside_1900_to_2100_are_refused(value):
    with pytest.raises(InvalidInput) as exc:
        day_status(value)
    assert "超出工作日历范围" in exc.value.detail


def test_counting_past_2100_is_refused():
    with pytest.raises(InvalidInput) as exc:
        add_workdays(date(2100, 12, 30), 5)
    assert "超出工作日历范围" in exc.value.detail


@pytest.mark.parametrize("value", ["-1", "abc", "3651", "1.5"])
def test_parse_count_refuses_what_is_not_a_day_count(value):
    with pytest.raises(InvalidInput) as exc:
        parse_count(value)
    assert exc.value.errors == {"n": ["天数应为 0 至 3650 之间的整数。"]}


def test_workdays_between_counts_working_days_after_the_first_date():
    calendar = selectors.work_calendar()
    assert calendar.workdays_between(date(2026, 9, 29), date(2026, 10, 12)) == 5
    assert calendar.workdays_between(date(2026, 10, 12), date(2026, 9, 29)) == -5
    assert calendar.workdays_between(date(2026, 10, 1), date(2026, 10, 7)) == 0


def test_pure_calendar_needs_no_database_rows():
    calendar = WorkCalendar({date(2030, 10, 1): Day(False, "holiday", "国庆节")}, [2030])
    assert calendar.day_status(date(2030, 10, 1)) == "restday"
    assert calendar.day_status(date(2030, 10, 2)) == "workday"
    assert calendar.add_workdays(date(2030, 9, 30), 1).date == date(2030, 10, 2)


def test_snapshot_is_reused_until_the_calendar_stamp_changes(monkeypatch):
    first = selectors.work_calendar()
    # Another process enters a day: it writes the row and touches the year's stamp.
    CalendarDay.objects.create(
        date=date(2026, 3, 3), is_workday=False, kind="rest", name="", source="manual"
    )
    CalendarYear.objects.filter(year=2026).update(updated_at=timezone.now())
    assert selectors.work_calendar() is first  # within the recheck interval
    assert is_workday(date(2026, 3, 3))
    monkeypatch.setattr(selectors, "RECHECK_SECONDS", 0.0)
    assert not is_workday(date(2026, 3, 3))
    assert selectors.work_calendar() is not first
