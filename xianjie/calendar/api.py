"""GET /calendar/workdays (CONTRACT.md): counting working days by the official calendar."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xianjie.core.api import READ_ERRORS, ErrorOut

from . import selectors
from .counting import MAX_COUNT, UNCONFIRMED, parse_date

router = Router(tags=["工作日历"])


class WorkdaysOut(Schema):
    start: dt.date
    n: int = Field(description="工作日数")
    date: dt.date = Field(description="起算日之后第 n 个工作日（起算日不计入）")
    unconfirmed: bool = Field(description="计算经过尚未录入官方节假日安排的年份（按星期计算）")


class DayStatusOut(Schema):
    start: dt.date
    status: str = Field(description="workday、restday 或 unconfirmed（该年度官方安排未录入）")
    is_workday: bool = Field(description="按日历（未确认年度按星期一至星期五）是否为工作日")
    unconfirmed: bool
    kind: str = Field(
        description="holiday 法定节假日、makeup 调休上班、rest 休息日、workday 工作日"
    )
    name: str = Field(description="节日名称，例如 国庆节")


START = Query(..., description="起算日期 YYYY-MM-DD")
N = Query(None, ge=0, le=MAX_COUNT, description="工作日数；省略时返回起算日期当天的状态")


@router.get(
    "/calendar/workdays",
    response={200: WorkdaysOut | DayStatusOut, 400: ErrorOut, **READ_ERRORS},
    summary="工作日计算",
    description="带 `n` 时返回起算日之后第 n 个工作日；只带 `start` 时返回该日是否为工作日。",
)
def workdays(
    request: HttpRequest,
    start: dt.date = START,
    n: int | None = N,
) -> WorkdaysOut | DayStatusOut:
    parse_date(start, field="start", label="起算日期")
    calendar = selectors.work_calendar()
    if n is not None:
        counted = calendar.add_workdays(start, n)
        return WorkdaysOut(start=start, n=n, date=counted.date, unconfirmed=counted.unconfirmed)
    status = calendar.day_status(start)
    day = calendar.day(start)
    return DayStatusOut(
        start=start,
        status=status,
        is_workday=day.is_workday,
        unconfirmed=status == UNCONFIRMED,
        kind=day.kind,
        name=day.name,
    )
