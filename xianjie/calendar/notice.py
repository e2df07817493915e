"""Reading a year's holiday notice (国务院办公厅关于某年部分节假日安排的通知) typed line by line.

Holidays: one line per holiday or period, `2027-01-01 元旦` or `2027-10-01至2027-10-07 国庆节`
(`至`, `~` or `..` between the dates). Make-up working days (调休上班): one date per line,
optionally followed by the holiday it makes up for, `2027-02-20 春节`. Blank lines are skipped.
Every bad line is reported as 「第N行：…」 so the administrator can fix all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKDAY_NAMES = "一二三四五六日"
#: A holiday period of the State Council schedule is at most 8–9 days; allow some slack.
MAX_PERIOD_DAYS = 15
MAX_NAME_LENGTH = 30

_DATE_CHARS = r"[\d/年月日-]+"
_RANGE = re.compile(
    rf"^(?P<first>{_DATE_CHARS})\s*(?:至|~|～|\.\.)\s*(?P<last>{_DATE_CHARS})\s*(?P<name>.*)$"
)
_SINGLE = re.compile(rf"^(?P<first>{_DATE_CHARS})\s*(?P<name>.*)$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ParsedNotice:
    #: date -> holiday name
    holidays: dict[date, str] = field(default_factory=dict)
    #: date -> the holiday the make-up day belongs to (may be empty)
    makeup_days: dict[date, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, field_name: str, line_no: int, message: str) -> None:
        self.errors.setdefault(field_name, []).append(f"第{line_no}行：{message}")


def _to_date(text: str) -> date | None:
    if not _ISO.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _clean_name(raw: str | None) -> str:
    return (raw or "").strip(" \t,，、;；")


def parse_notice(year: int, holidays_text: str, makeup_text: str) -> ParsedNotice:
    """Parse both lists for `year`; `errors` maps "holidays" / "makeup_days" to line messages."""
    result = ParsedNotice()
    holiday_line: dict[date, int] = {}
    for line_no, raw in enumerate((holidays_text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _RANGE.match(line) or _SINGLE.match(line)
        first = _to_date(match.group("first")) if match else None
        last_text = match.groupdict().get("last") if match else None
        last = _to_date(last_text) if last_text else first
        if match is None or first is None or last is None:
            result.error("holidays", line_no, "日期格式应为 YYYY-MM-DD")
            continue
        name = _clean_name(match.group("name"))
        problems = []
        if not name:
            problems.append("缺少节日名称，例如“2027-01-01 元旦”")
        elif len(name) > MAX_NAME_LENGTH:
            problems.append(f"节日名称不应超过{MAX_NAME_LENGTH}个字")
        if first.year != year or last.year != year:
            problems.append(f"日期应在{year}年内")
        if last < first:
            problems.append("结束日期早于开始日期")
        elif (last - first).days + 1 > MAX_PERIOD_DAYS:
            problems.append(f"一段假期不应超过{MAX_PERIOD_DAYS}天")
        if problems:
            for problem in problems:
                result.error("holidays", line_no, problem)
            continue
        current = first
        while current <= last:
            if current in holiday_line:
                result.error(
                    "holidays",
                    line_no,
                    f"{current.isoformat()} 已在第{holiday_line[current]}行列出",
                )
            else:
                holiday_line[current] = line_no
                result.holidays[current] = name
            current += timedelta(days=1)
    if not holiday_line and "holidays" not in result.errors:
        result.errors["holidays"] = ["请至少填写一行放假安排。"]

    makeup_line: dict[date, int] = {}
    for line_no, raw in enumerate((makeup_text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _SINGLE.match(line)
        day = _to_date(match.group("first")) if match else None
        if match is None or day is None:
            result.error("makeup_days", line_no, "日期格式应为 YYYY-MM-DD")
            continue
        name = _clean_name(match.group("name"))
        if day.year != year:
            result.error("makeup_days", line_no, f"日期应在{year}年内")
        elif day.weekday() < 5:
            weekday = WEEKDAY_NAMES[day.weekday()]
            result.error(
                "makeup_days",
                line_no,
                f"{day.isoformat()} 是星期{weekday}，本来就是工作日，不必列为调休上班日",
            )
        elif day in holiday_line:
            result.error(
                "makeup_days",
                line_no,
                f"{day.isoformat()} 已在放假安排第{holiday_line[day]}行列为放假日期",
            )
        elif day in makeup_line:
            result.error(
                "makeup_days", line_no, f"{day.isoformat()} 已在第{makeup_line[day]}行列出"
            )
        elif len(name) > MAX_NAME_LENGTH:
            result.error("makeup_days", line_no, f"名称不应超过{MAX_NAME_LENGTH}个字")
        else:
            makeup_line[day] = line_no
            result.makeup_days[day] = name
    return result


def format_holidays(holidays: dict[date, str]) -> str:
    """The inverse of parsing: consecutive days of one name become one `first至last name` line."""
    lines: list[str] = []
    days = sorted(holidays)
    index = 0
    while index < len(days):
        first = last = days[index]
        name = holidays[first]
        while (
            index + 1 < len(days)
            and days[index + 1] == last + timedelta(days=1)
            and holidays[days[index + 1]] == name
        ):
            index += 1
            last = days[index]
        span = first.isoformat() if first == last else f"{first.isoformat()}至{last.isoformat()}"
        lines.append(f"{span} {name}")
        index += 1
    return "\n".join(lines)


def format_makeup_days(makeup_days: dict[date, str]) -> str:
    return "\n".join(
        f"{day.isoformat()} {makeup_days[day]}".rstrip() for day in sorted(makeup_days)
    )
