"""Pages of rectification tasks (整改, 第九条): the list, the board by unit and state, the unit's
own view, one task with its reports, files, clocks, history and the moves the user may make, and
the download of an inspection file.

A task the user may not see is 404 — never 403, so its existence is not revealed — and a move
that is not the user's is 403. A refused move comes back on the same page: the move's form open
with its messages and what was typed, or a plain note when the status changed meanwhile (409).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from xianjie.core.errors import Conflict, NotFound, ServiceError
from xianjie.core.pages import service_page as rectification_page
from xianjie.referrals.evidence import ACCEPTED_LABELS, EvidenceCorrupted, download_response

from ..forms.rectifications import MoveForm, RectificationFilterForm
from ..selectors.rectifications import (
    BOARD_STATUSES,
    get_rectification_for_user,
    rectification_board,
    rectification_detail,
    rectification_list,
    rectification_mine,
    task_rows,
)
from ..services.attachments import MAX_FILES, attachment_open, refuse_oversized_upload
from ..services.rectification_actors import FIELDS, require_actor
from ..services.rectifications import SERVICES
from ..transitions import RectificationStatus, RectificationTransition

T = RectificationTransition
PAGE_SIZE = 20
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"
#: Moves that cannot be undone say so before they are made (ARCHITECTURE.md).
CONSEQUENCES: dict[str, str] = {
    T.SUBMIT: "确认后整改报告即提交跟踪检查单位，整改时限随即办结，提交后不能修改。",
    T.VERIFY: "确认后本任务即销号，不能撤销。",
    T.REOPEN: "确认后本任务退回整改单位重新整改，并重新计算整改期限。",
    T.CANCEL: "确认后本任务即撤销，整改时限一并撤销，不能恢复。",
}
DANGER = (T.REOPEN, T.CANCEL)


@rectification_page("GET")
def rectification_index(request: HttpRequest) -> HttpResponse:
    """整改任务: every task the user may see (三员 and outsiders: none), filters in the URL."""
    user: Any = request.user
    form = RectificationFilterForm(request.GET, user=user)
    page = Paginator(rectification_list(user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page_obj": page, "rows": task_rows(page)}
    return render(request, "inspections/rectification_list.html", context)


@rectification_page("GET")
def rectification_board_page(request: HttpRequest) -> HttpResponse:
    """整改看板: units × states, each count a link to the list filtered by it."""
    user: Any = request.user
    list_url = reverse("inspections:rectification_list")

    def link(**query: Any) -> str:
        return f"{list_url}?{urlencode(query)}"

    rows = [
        {
            "unit": row.unit,
            "cells": [
                {"count": n, "url": link(unit=row.unit.pk, status=status)}
                for status, n in row.counts
            ],
            "overdue": row.overdue,
            "overdue_url": link(unit=row.unit.pk, overdue=1),
            "total": row.total,
            "total_url": link(unit=row.unit.pk),
        }
        for row in rectification_board(user)
    ]
    context = {
        "rows": rows,
        "columns": [RectificationStatus(status).label for status in BOARD_STATUSES],
    }
    return render(request, "inspections/rectification_board.html", context)


@rectification_page("GET")
def rectification_mine_page(request: HttpRequest) -> HttpResponse:
    """本单位整改任务: the tasks of the units the user answers for, with deadlines and what to
    do next."""
    user: Any = request.user
    form = RectificationFilterForm(request.GET, user=user, units=False)
    page = Paginator(rectification_mine(user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page_obj": page, "rows": task_rows(page)}
    return render(request, "inspections/rectification_mine.html", context)


def render_detail(
    request: HttpRequest,
    task_id: Any,
    *,
    status: int = 200,
    bound: MoveForm | None = None,
    error: str = "",
) -> HttpResponse:
    user: Any = request.user
    task = get_rectification_for_user(user, task_id)
    detail = rectification_detail(user, task)
    moves = []
    for name, label in detail.moves:
        form = (
            bound
            if bound is not None and bound.name == name
            else MoveForm(name=name, period_days=task.period_days)
        )
        moves.append(
            {
                "name": name,
                "label": label,
                "form": form,
                "open": form is bound,
                "confirm": CONSEQUENCES.get(name, ""),
                "danger": name in DANGER,
                "upload": "files" in form.fields,
            }
        )
    context = {
        "task": task,
        "detail": detail,
        "status_label": RectificationStatus(task.status).label,
        "moves": moves,
        "error": error,
        "accepted_types": ACCEPTED_LABELS,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "max_files": MAX_FILES,
    }
    return render(request, "inspections/rectification_detail.html", context, status=status)


@rectification_page("GET")
def rectification_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@rectification_page("POST")
def rectification_move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Make one move from the page; on refusal, the page again with the reasons."""
    user: Any = request.user
    service = SERVICES.get(name)
    if service is None:
        raise Http404
    task = get_rectification_for_user(user, pk)
    require_actor(user, task, name)
    if "files" in FIELDS[name]:
        try:
            # Before the body is read for the form: a declared size beyond the limit is 413.
            refuse_oversized_upload(request)
        except ServiceError as refusal:
            return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    form = MoveForm(request.POST, request.FILES, name=name, period_days=task.period_days)
    if not form.is_valid():
        return render_detail(request, pk, status=400, bound=form)
    try:
        service(task_id=pk, actor=user, **form.cleaned_data)
    except Conflict as refusal:
        return render_detail(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        if not refusal.errors:
            return render_detail(request, pk, status=refusal.status, error=refusal.detail)
        for key, texts in refusal.errors.items():
            # A file's refusal (413, 415) names `file`; the form's field holds them all.
            field = "files" if key == "file" else key
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return render_detail(request, pk, status=refusal.status, bound=form)
    messages.success(request, f"已办理：{T(name).label}。")
    return redirect("inspections:rectification_detail", pk=pk)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """GET an inspection file: 404 when not the user's to download, a Chinese 409 when it fails
    its integrity check, else the file as an attachment (every download audited)."""
    try:
        opened = attachment_open(attachment_id=pk, actor=request.user)
    except NotFound:
        raise Http404 from None
    except EvidenceCorrupted as refusal:
        return HttpResponse(
            refusal.detail, status=refusal.status, content_type="text/plain; charset=utf-8"
        )
    return download_response(opened)


urlpatterns = [
    path("rectifications/", rectification_index, name="rectification_list"),
    path("rectifications/board/", rectification_board_page, name="rectification_board"),
    path("rectifications/mine/", rectification_mine_page, name="rectification_mine"),
    path("rectifications/<int:pk>/", rectification_detail_page, name="rectification_detail"),
    path("rectifications/<int:pk>/<str:name>/", rectification_move, name="rectification_move"),
    path("attachments/<int:pk>/", attachment_download, name="attachment_download"),
]
