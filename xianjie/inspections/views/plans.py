"""The pages of joint inspection plans (联合法治督查, 第八条): the list with 第八条's yearly line,
the plan form, the plan with its units, teams, timeline and the moves the user may make, the
units and teams of a 专项检查, the 回避申报, and the record of every year.

A plan the user may not see is 404, never 403, so that its existence is not revealed (第十一条);
a page that is not the user's to use (changing a plan they do not organise) is 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone

from xianjie.accounts.models import Role
from xianjie.core.errors import Conflict, InvalidInput, ServiceError
from xianjie.core.pages import service_page as plan_page

from ..forms.plans import (
    MOVE_FIELDS,
    ConflictForm,
    MoveForm,
    PlanFilterForm,
    PlanForm,
    UnitsForm,
    place_errors,
)
from ..models import ConflictDeclaration, Inspection, InspectionMethod
from ..selectors.findings import may_record
from ..selectors.plans import (
    ORGANISER_KINDS,
    allowed_transitions,
    get_inspection_for_user,
    inspection_events,
    inspection_findings,
    inspection_list,
    inspection_units,
    inspection_year_record,
    inspection_years,
    is_inspector,
    may_change,
    start_problems,
)
from ..services.findings import RECORDING_STATUSES
from ..services.plans import inspection_create, inspection_transition, inspection_update
from ..services.teams import conflict_declare, inspection_units_set
from ..transitions import InspectionStatus, InspectionTransition

IT = InspectionTransition
PAGE_SIZE = 20
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"
#: What an irreversible move does, said before it is done (ARCHITECTURE.md).
CONSEQUENCES: dict[str, str] = {
    IT.START: "确认后将通知被检查单位和检查人员，此后不能再调整计划、被检查单位和检查组。",
    IT.CLOSE: "确认后本次督查即结束，不能再办理。",
    IT.CANCEL: "确认后本督查计划即取消，不能恢复。",
}


def plans_side(user: Any) -> bool:
    """Clerks and leaders of the commission and the supervision bodies: those who plan joint
    inspections and answer for 第八条's yearly obligation."""
    return (
        user.org_id is not None
        and user.org.kind in ORGANISER_KINDS
        and user.has_role(Role.CLERK, Role.LEADER)
    )


@plan_page("GET")
def plan_index(request: HttpRequest) -> HttpResponse:
    """联合法治督查: the plans the user may see, and this year's line of 第八条."""
    user: Any = request.user
    form = PlanFilterForm(request.GET)
    page = Paginator(inspection_list(user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record = None
    if plans_side(user):
        record = inspection_year_record(
            region=user.org.region_id, year=timezone.localdate().year, user=user
        )
    context = {"form": form, "page_obj": page, "record": record, "may_create": plans_side(user)}
    return render(request, "inspections/plan_list.html", context)


@plan_page("GET")
def plan_years(request: HttpRequest) -> HttpResponse:
    """第八条 year by year: joint inspections held, and whether "每年至少一次" was met."""
    user: Any = request.user
    if not plans_side(user):
        raise PermissionDenied
    return render(request, "inspections/plan_years.html", {"records": inspection_years(user=user)})


def _render_form(
    request: HttpRequest, form: PlanForm, inspection: Inspection | None
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"form": form, "inspection": inspection}
    return render(request, "inspections/plan_form.html", context, status=status)


@plan_page("GET", "POST")
def plan_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not plans_side(user):
        raise PermissionDenied
    if request.method == "GET":
        initial = {"year": timezone.localdate().year, "organisers": [str(user.org_id)]}
        return _render_form(request, PlanForm(initial=initial, user=user), None)
    form = PlanForm(request.POST, user=user)
    if form.is_valid():
        try:
            inspection = inspection_create(actor=user, **form.service_fields())
        except ServiceError as refusal:
            place_errors(form, refusal)
        else:
            messages.success(request, "督查计划已制定。")
            return redirect("inspections:plan_detail", pk=inspection.pk)
    return _render_form(request, form, None)


def _organised(request: HttpRequest, pk: int, what: str) -> Inspection | HttpResponse:
    """The plan for a change by its organiser (else 404/403), or the way back to it when it is
    no longer planned."""
    user: Any = request.user
    inspection = get_inspection_for_user(user, pk)
    if not may_change(user, inspection):
        raise PermissionDenied
    if inspection.status != InspectionStatus.PLANNED:
        messages.error(request, f"只有计划中的督查可以{what}。")
        return redirect("inspections:plan_detail", pk=pk)
    return inspection


@plan_page("GET", "POST")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    inspection = _organised(request, pk, "修改")
    if isinstance(inspection, HttpResponse):
        return inspection
    if request.method == "GET":
        form = PlanForm(initial=PlanForm.initial_of(inspection), user=user)
        return _render_form(request, form, inspection)
    form = PlanForm(request.POST, user=user)
    if form.is_valid():
        try:
            inspection_update(inspection_id=pk, actor=user, **form.service_fields())
        except ServiceError as refusal:
            place_errors(form, refusal)
        else:
            messages.success(request, "督查计划已修改。")
            return redirect("inspections:plan_detail", pk=pk)
    return _render_form(request, form, inspection)


@plan_page("GET", "POST")
def plan_units(request: HttpRequest, pk: int) -> HttpResponse:
    """专项检查: the units and the team of each (at least two, with recusal)."""
    user: Any = request.user
    inspection = _organised(request, pk, "调整被检查单位和检查组")
    if isinstance(inspection, HttpResponse):
        return inspection
    if inspection.method != InspectionMethod.SPECIAL:
        messages.error(request, "随机抽查的被检查单位和检查组由随机抽取产生。")
        return redirect("inspections:plan_detail", pk=pk)
    form = UnitsForm(request.POST or None, inspection=inspection)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            inspection_units_set(inspection_id=pk, actor=user, units=form.service_units())
        except ServiceError as refusal:
            form.apply(refusal)
        else:
            messages.success(request, "被检查单位和检查组已确定。")
            return redirect("inspections:plan_detail", pk=pk)
    if form.errors:
        status = 400
    context = {"form": form, "inspection": inspection}
    return render(request, "inspections/plan_units.html", context, status=status)


@plan_page("GET", "POST")
def plan_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """回避申报 for oneself, while the plan is 计划中."""
    user: Any = request.user
    inspection = get_inspection_for_user(user, pk)
    if inspection.status != InspectionStatus.PLANNED:
        messages.error(request, "督查已开始或已取消，不能再申报回避。")
        return redirect("inspections:plan_detail", pk=pk)
    form = ConflictForm(request.POST or None, region_id=inspection.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(inspection_id=pk, actor=user, **form.cleaned_data)
        except ServiceError as refusal:
            place_errors(form, refusal)
        else:
            messages.success(request, "回避申报已登记，确定检查组时将予以回避。")
            return redirect("inspections:plan_detail", pk=pk)
    context = {
        "form": form,
        "inspection": inspection,
        "declared": ConflictDeclaration.objects.filter(inspection=inspection, user=user)
        .select_related("org")
        .order_by("id"),
    }
    status = 400 if form.errors else 200
    return render(request, "inspections/plan_conflict.html", context, status=status)


def _moves(user: Any, inspection: Inspection, bound: MoveForm | None) -> list[dict[str, Any]]:
    moves = []
    for name, label in allowed_transitions(user, inspection):
        form = bound if bound is not None and bound.name == name else MoveForm(name=name)
        moves.append(
            {
                "name": name,
                "label": label,
                "form": form,
                "open": form is bound,
                "confirm": CONSEQUENCES.get(name, ""),
                "danger": name == IT.CANCEL,
                # Said before the click; after a refused click the form itself says it.
                "blockers": start_problems(inspection).get("units", [])
                if name == IT.START and form is not bound
                else [],
            }
        )
    return moves


def render_detail(
    request: HttpRequest,
    pk: Any,
    *,
    status: int = 200,
    bound: MoveForm | None = None,
    error: str = "",
) -> HttpResponse:
    user: Any = request.user
    inspection = get_inspection_for_user(user, pk)
    organiser = may_change(user, inspection)
    inspector = is_inspector(user, inspection)
    planned = inspection.status == InspectionStatus.PLANNED
    conflicts = ConflictDeclaration.objects.filter(inspection=inspection).select_related(
        "user", "org"
    )
    context = {
        "inspection": inspection,
        "organisers": inspection.organisers.order_by("sort_order", "id"),
        "units": inspection_units(user, inspection),
        "events": inspection_events(user, inspection),
        "findings": inspection_findings(user, inspection),
        "moves": _moves(user, inspection, bound),
        "organiser": organiser,
        "may_see_draws": inspection.method == InspectionMethod.RANDOM and (organiser or inspector),
        "may_edit": organiser and planned,
        "may_set_units": organiser and planned and inspection.method == InspectionMethod.SPECIAL,
        "may_declare": planned,
        "may_add_finding": inspection.status in RECORDING_STATUSES and may_record(user, inspection),
        "conflicts": conflicts if organiser else conflicts.filter(user=user),
        "error": error,
    }
    return render(request, "inspections/plan_detail.html", context, status=status)


@plan_page("GET")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@plan_page("POST")
def plan_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one move from the plan's page; a refusal comes back on the same page."""
    user: Any = request.user
    if name not in MOVE_FIELDS:
        raise Http404
    get_inspection_for_user(user, pk)
    form = MoveForm(request.POST, name=name)
    if not form.is_valid():
        return render_detail(request, pk, status=400, bound=form)
    try:
        inspection_transition(inspection_id=pk, actor=user, name=name, **form.cleaned_data)
    except Conflict as refusal:
        return render_detail(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except InvalidInput as refusal:
        place_errors(form, refusal)
        return render_detail(request, pk, status=400, bound=form)
    messages.success(request, f"已办理：{IT(name).label}。")
    return redirect("inspections:plan_detail", pk=pk)


urlpatterns: list[URLPattern] = [
    path("", plan_index, name="list"),
    path("new/", plan_create, name="plan_create"),
    path("years/", plan_years, name="plan_years"),
    path("<int:pk>/", plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("<int:pk>/units/", plan_units, name="plan_units"),
    path("<int:pk>/conflicts/", plan_conflict, name="plan_conflict"),
    path("<int:pk>/transitions/<str:name>/", plan_transition, name="plan_transition"),
]
