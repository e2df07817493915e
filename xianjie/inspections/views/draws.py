"""The pages of random draws (随机抽查, 双随机; 第八条): the draws of an inspection with the form
that prepares one, a draw — its published seed digest before it runs, the frozen pools, the
button that runs it, and afterwards the result and the revealed seed — and its verification.

Only organisers and inspectors of the inspection see its draws; anyone else gets 404, so that a
random spot check stays unannounced to the units (第十一条). Running a draw is for organisers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from xianjie.core.errors import Conflict, InvalidInput
from xianjie.core.pages import service_page as draw_page

from ..forms.draws import DrawFilterForm, DrawPrepareForm
from ..models import Draw, Inspection
from ..selectors.draws import (
    current_draw,
    draw_list,
    draw_pools,
    get_draw_for_user,
    get_inspection_for_draws,
    is_organiser,
    may_prepare,
    may_run,
    pool_candidates,
)
from ..services.draws import draw_prepare, draw_run
from ..verify_draw import draw_verify

PAGE_SIZE = 20
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"
RUN_CONSEQUENCE = (
    "确认后将以抽取前密封的种子和冻结的单位库、人员库进行抽取，抽取结果即为本次督查的"
    "被检查单位和检查组，种子随即公开。每次抽取只能进行一次，不能撤销；重新抽取须另行说明理由。"
)


def _prepare_form(inspection: Inspection, data: Any = None) -> DrawPrepareForm:
    units, inspectors = pool_candidates(inspection)
    redraw = current_draw(inspection) is not None
    return DrawPrepareForm(data, units=units, inspectors=inspectors, redraw=redraw)


def _render_list(
    request: HttpRequest,
    inspection: Inspection,
    *,
    form: DrawPrepareForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    filters = DrawFilterForm(request.GET)
    page = Paginator(draw_list(user, inspection, filters.status_filter()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    preparing = may_prepare(user, inspection)
    context = {
        "inspection": inspection,
        "filters": filters,
        "page_obj": page,
        "form": form or (_prepare_form(inspection) if preparing else None),
        "may_prepare": preparing,
        "current": current_draw(inspection),
        "error": error,
    }
    return render(request, "inspections/draw_list.html", context, status=status)


@draw_page("GET", "POST")
def draw_index(request: HttpRequest, pk: int) -> HttpResponse:
    """随机抽取: the inspection's draws; organisers prepare a new one here."""
    user: Any = request.user
    inspection = get_inspection_for_draws(user, pk)
    if request.method == "GET":
        return _render_list(request, inspection)
    form = _prepare_form(inspection, request.POST)
    if not form.is_valid():
        return _render_list(request, inspection, form=form, status=400)
    try:
        draw = draw_prepare(inspection_id=inspection.pk, actor=user, **form.service_input())
    except InvalidInput as refusal:
        form.place_errors(refusal)
        return _render_list(request, inspection, form=form, status=400)
    except Conflict as refusal:
        return _render_list(request, inspection, error=refusal.detail, status=409)
    messages.success(request, f"已公布第{draw.sequence}次抽取的种子摘要，可以开始抽取。")
    return redirect("inspections:draw_detail", pk=inspection.pk, draw_pk=draw.pk)


def _render_detail(
    request: HttpRequest, draw: Draw, *, error: str = "", status: int = 200
) -> HttpResponse:
    user: Any = request.user
    context = {
        "inspection": draw.inspection,
        "draw": draw,
        "pools": draw_pools(draw),
        "may_run": may_run(user, draw),
        "organiser": is_organiser(user, draw.inspection),
        "confirm": RUN_CONSEQUENCE,
        "error": error,
    }
    return render(request, "inspections/draw_detail.html", context, status=status)


@draw_page("GET")
def draw_detail(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    return _render_detail(request, get_draw_for_user(request.user, pk, draw_pk))


@draw_page("POST")
def draw_start(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    """开始抽取: one run per draw; a refusal comes back on the draw's page."""
    user: Any = request.user
    draw = get_draw_for_user(user, pk, draw_pk)
    try:
        draw_run(draw_id=draw.pk, actor=user)
    except Conflict as refusal:
        fresh = get_draw_for_user(user, pk, draw_pk)
        return _render_detail(request, fresh, error=f"{CHANGED}（{refusal.detail}）", status=409)
    messages.success(request, f"第{draw.sequence}次抽取已完成，种子已公开。")
    return redirect("inspections:draw_detail", pk=pk, draw_pk=draw.pk)


@draw_page("GET")
def draw_check(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    """验证抽取结果: re-run the draw and show each check."""
    draw = get_draw_for_user(request.user, pk, draw_pk)
    context = {"inspection": draw.inspection, "draw": draw, "report": draw_verify(draw)}
    return render(request, "inspections/draw_verify.html", context)


urlpatterns: list[URLPattern] = [
    path("<int:pk>/draws/", draw_index, name="draw_list"),
    path("<int:pk>/draws/<int:draw_pk>/", draw_detail, name="draw_detail"),
    path("<int:pk>/draws/<int:draw_pk>/run/", draw_start, name="draw_run"),
    path("<int:pk>/draws/<int:draw_pk>/verify/", draw_check, name="draw_verify"),
]
