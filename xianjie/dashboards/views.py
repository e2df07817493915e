"""The workbench (工作台): the page every user lands on after logging in."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xianjie.calendar import counting
from xianjie.calendar.selectors import work_calendar
from xianjie.core.dates import cn_date

from .navigation import admin_shortcuts_for
from .workbench import DONE, TODO, work_items

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def day_note(today: date) -> tuple[str, bool]:
    """What the working-day calendar says about `today`, and whether it needs attention: a year
    without the official holiday schedule counts plain weekdays until an administrator enters it."""
    calendar = work_calendar()
    status = calendar.day_status(today)
    if status == counting.UNCONFIRMED:
        return "本年度节假日安排尚未录入，暂按周一至周五计算工作日", True
    day = calendar.day(today)
    if status == counting.WORKDAY:
        return ("工作日" if day.kind != counting.MAKEUP else f"工作日（{day.name}调休上班）"), False
    return (f"休息日（{day.name}）" if day.name else "休息日"), False


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    note, note_warns = day_note(today)
    context = {
        "today_cn": cn_date(today),
        "weekday": WEEKDAYS[today.weekday()],
        "day_note": note,
        "day_note_warns": note_warns,
    }
    if user.is_system_admin_role:  # type: ignore[union-attr]
        # 三员 read no case content: their workbench is their administrative pages.
        context["shortcuts"] = admin_shortcuts_for(user)
    else:
        context["todo"] = work_items(user, TODO)
        context["done"] = work_items(user, DONE)
    return render(request, "dashboards/workbench.html", context)
