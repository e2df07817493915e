"""Seed the State Council holiday schedules of 2004–2026 from the `chinesecalendar` package.

One row per holiday date (weekend days inside a holiday period included, so the grid names them)
and per make-up working day (调休上班); every other date follows the weekday rule. The years are
marked confirmed; later years stay unconfirmed until an administrator enters their notice.
"""

from datetime import date, timedelta

import chinese_calendar
from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026

# The names the State Council notices use.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("calendar", "CalendarDay")
    CalendarYear = apps.get_model("calendar", "CalendarYear")
    rows = []
    current, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    while current <= last:
        is_holiday, name = chinese_calendar.get_holiday_detail(current)
        if name is not None:
            rows.append(
                CalendarDay(
                    date=current,
                    is_workday=not is_holiday,
                    kind="holiday" if is_holiday else "makeup",
                    name=NAMES.get(name, name),
                    source="seeded",
                )
            )
        current += timedelta(days=1)
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    CalendarYear.objects.bulk_create(
        CalendarYear(year=year, status="confirmed", source="seeded", notice="")
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    )


def unseed(apps, schema_editor):
    apps.get_model("calendar", "CalendarDay").objects.filter(source="seeded").delete()
    apps.get_model("calendar", "CalendarYear").objects.filter(source="seeded").delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
