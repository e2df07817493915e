"""Calendar and time-limit pages: anyone logged in reads them, the system administrator edits."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xianjie.access.restrict import require_role
from xianjie.accounts.models import Role
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted, ServiceError

from . import selectors, services
from .counting import MAX_DATE, MIN_DATE
from .forms import DayForm, ParameterForm, YearNoticeForm
from .models import DayKind, YearStatus
from .notice import format_holidays, format_makeup_days

YEARS_PER_PAGE = 20


def _require_sysadmin(request: HttpRequest) -> None:
    try:
        require_role(request.user, Role.SYSADMIN)
    except NotPermitted:
        raise PermissionDenied from None


def _is_sysadmin(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_role(Role.SYSADMIN)


def _checked_year(year: int) -> int:
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise Http404("年度超出工作日历范围。")
    return year


def _show_errors(form: YearNoticeForm | DayForm | ParameterForm, error: ServiceError) -> None:
    """Put a service's errors beside the fields they name; the rest above the form."""
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.detail)


@login_required
def years(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in YearStatus.values:
        status = ""
    page = Paginator(selectors.year_rows(status), YEARS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "calendar/years.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": YearStatus.choices,
            "can_edit": _is_sysadmin(request),
        },
    )


@login_required
def year(request: HttpRequest, year: int) -> HttpResponse:
    record = selectors.year_record(_checked_year(year))
    days = selectors.year_days(year)
    return render(
        request,
        "calendar/year.html",
        {
            "record": record,
            "year": year,
            "months": selectors.month_grid(year),
            "weekdays": selectors.WEEKDAY_HEADERS,
            "holidays": [day for day in days if day.kind == DayKind.HOLIDAY],
            "makeup_days": [day for day in days if day.kind == DayKind.MAKEUP],
            "other_days": [
                day for day in days if day.kind not in (DayKind.HOLIDAY, DayKind.MAKEUP)
            ],
            "can_edit": _is_sysadmin(request),
        },
    )


@login_required
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    _require_sysadmin(request)
    record = selectors.year_record(_checked_year(year))
    if request.method == "POST":
        form = YearNoticeForm(request.POST)
        if form.is_valid():
            try:
                services.calendar_year_enter(
                    year=year,
                    holidays=form.cleaned_data["holidays"],
                    makeup_days=form.cleaned_data["makeup_days"],
                    notice=form.cleaned_data["notice"],
                    actor=request.user,
                )
            except InvalidInput as error:
                _show_errors(form, error)
            else:
                messages.success(request, f"{year}年放假安排已录入。")
                return redirect("calendar:year", year=year)
    else:
        days = selectors.year_days(year)
        form = YearNoticeForm(
            initial={
                "notice": record.notice,
                "holidays": format_holidays(
                    {d.date: d.name for d in days if d.kind == DayKind.HOLIDAY}
                ),
                "makeup_days": format_makeup_days(
                    {d.date: d.name for d in days if d.kind == DayKind.MAKEUP}
                ),
            }
        )
    return render(
        request, "calendar/year_edit.html", {"form": form, "record": record, "year": year}
    )


def _day_saved(request: HttpRequest, value: date) -> HttpResponse:
    messages.success(request, f"{value.isoformat()} 已修改。")
    return redirect("calendar:year", year=value.year)


@login_required
def day_edit(request: HttpRequest, day: str) -> HttpResponse:
    _require_sysadmin(request)
    try:
        value = date.fromisoformat(day)
    except ValueError:
        raise Http404("日期格式应为 YYYY-MM-DD。") from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise Http404("日期超出工作日历范围。")
    current = selectors.work_calendar().day(value)
    if request.method == "POST":
        form = DayForm(request.POST)
        try:
            if "reset" in request.POST:
                services.calendar_day_reset(day=value, actor=request.user)
                return _day_saved(request, value)
            if form.is_valid():
                services.calendar_day_set(
                    day=value,
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    actor=request.user,
                )
                return _day_saved(request, value)
        except InvalidInput as error:
            _show_errors(form, error)
    else:
        form = DayForm(initial={"kind": current.kind, "name": current.name})
    return render(
        request,
        "calendar/day_edit.html",
        {"form": form, "day": value, "current": current, "year": value.year},
    )


@login_required
def parameters(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calendar/parameters.html",
        {"parameters": selectors.current_parameters(), "can_edit": _is_sysadmin(request)},
    )


@login_required
def parameter_edit(request: HttpRequest, key: str) -> HttpResponse:
    _require_sysadmin(request)
    history = selectors.parameter_history(key)
    if not history:
        raise Http404("未找到该时限参数。")
    current = history[0]
    if request.method == "POST":
        form = ParameterForm(request.POST)
        if form.is_valid():
            try:
                services.time_limit_change(key=key, actor=request.user, **form.cleaned_data)
            except (InvalidInput, Conflict) as error:
                _show_errors(form, error)
            except NotFound:
                raise Http404("未找到该时限参数。") from None
            else:
                messages.success(request, f"“{current.label}”已修改，新版本自即日起适用。")
                return redirect("calendar:parameters")
    else:
        form = ParameterForm(
            initial={"amount": current.amount, "unit": current.unit, "basis": current.basis}
        )
    return render(
        request,
        "calendar/parameter_edit.html",
        {"form": form, "current": current, "history": history},
    )
