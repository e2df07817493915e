"""The auditor's pages (等保 2.0 三员: only the 审计管理员 reads the logs): the audit log and the
login log with filters in the URL and pagination, their Excel exports, and the button that
verifies the chain. Everything else is refused with 403 before a row is read.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from xianjie.access.restrict import has_access
from xianjie.access.tiers import Action
from xianjie.core.errors import InvalidInput

from . import selectors, services
from .forms import AuditEntryFilterForm, DayRangeForm, LoginEventFilterForm
from .labels import action_choices, action_label, channel_label, object_type_label, tier_label
from .models import AuditEntry, LoginEvent

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refuse_unless_allowed(request: HttpRequest, model: type[Model], action: str) -> None:
    if not has_access(request.user, model, action):
        raise PermissionDenied


def _page(request: HttpRequest, form: DayRangeForm, select: Callable[..., Any]) -> Any:
    rows = select(request.user, **form.filters()) if form.is_valid() else []
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _render_entries(request: HttpRequest, form: AuditEntryFilterForm, status: int) -> HttpResponse:
    page = _page(request, form, selectors.audit_entries)
    rows = [
        {
            "entry": entry,
            "action_label": action_label(entry.action),
            "object_type_label": object_type_label(entry.object_type),
            "tier_label": tier_label(entry.tier),
        }
        for entry in page
    ]
    context = {"form": form, "page_obj": page, "rows": rows, "actions": action_choices()}
    return render(request, "audit/entries.html", context, status=status)


def _render_login_events(
    request: HttpRequest, form: LoginEventFilterForm, status: int
) -> HttpResponse:
    page = _page(request, form, selectors.login_events)
    rows = [{"event": event, "channel_label": channel_label(event.channel)} for event in page]
    return render(
        request,
        "audit/login_events.html",
        {"form": form, "page_obj": page, "rows": rows},
        status=status,
    )


@login_required
@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    _refuse_unless_allowed(request, AuditEntry, Action.VIEW)
    form = AuditEntryFilterForm(request.GET)
    return _render_entries(request, form, 200 if form.is_valid() else 400)


@login_required
@require_GET
def login_events(request: HttpRequest) -> HttpResponse:
    _refuse_unless_allowed(request, LoginEvent, Action.VIEW)
    form = LoginEventFilterForm(request.GET)
    return _render_login_events(request, form, 200 if form.is_valid() else 400)


def _xlsx(content: bytes, name: str) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return FileResponse(
        BytesIO(content), as_attachment=True, filename=f"{name}-{stamp}.xlsx", content_type=XLSX
    )


@login_required
@require_GET
def entries_export(request: HttpRequest) -> HttpResponseBase:
    _refuse_unless_allowed(request, AuditEntry, Action.EXPORT)
    form = AuditEntryFilterForm(request.GET)
    if not form.is_valid():
        return _render_entries(request, form, 400)
    try:
        content = services.audit_entries_export(filters=form.filters(), actor=request.user)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return _render_entries(request, form, 400)
    return _xlsx(content, "审计日志")


@login_required
@require_GET
def login_events_export(request: HttpRequest) -> HttpResponseBase:
    _refuse_unless_allowed(request, LoginEvent, Action.EXPORT)
    form = LoginEventFilterForm(request.GET)
    if not form.is_valid():
        return _render_login_events(request, form, 400)
    try:
        content = services.login_events_export(filters=form.filters(), actor=request.user)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return _render_login_events(request, form, 400)
    return _xlsx(content, "登录日志")


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _refuse_unless_allowed(request, AuditEntry, Action.VIEW)
    report = services.audit_chain_verify(actor=request.user)
    (messages.success if report.ok else messages.error)(request, report.message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("audit:entries")
    return redirect(back)
