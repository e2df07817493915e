"""Pages of access requests for tier 3 material (调阅申请, 第十一条 严格审批共享): the list with its
tabs (my requests, awaiting my approval, requests for my org's items), the request form, one
request with its timeline, the moves the user may make and the grant's reader log, and the
owner's reader log over all its items.

A request the user may not see is 404 — never 403, so its existence is not revealed — and a move
that is not the user's is 403. A refused move comes back on the same page: the move's form open
with its messages and what was typed, or a plain note when the status changed meanwhile (409).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import urlencode

from xianjie.accounts.models import Role
from xianjie.core.errors import Conflict, NotPermitted, ServiceError
from xianjie.core.pages import service_page

from ..forms import MoveForm, ReaderLogFilterForm, RequestFilterForm, RequestForm
from ..grantables import grantable, grantable_kinds
from ..models import AccessUse
from ..restrict import has_access
from ..selectors import (
    Scope,
    access_request_detail,
    access_request_list,
    access_requests_to_approve_count,
    get_access_request_for_user,
    kind_label,
    reader_log,
)
from ..services.actors import require_actor
from ..services.requests import SERVICES, access_request_file
from ..transitions import RequestStatus, RequestTransition

T = RequestTransition
PAGE_SIZE = 20
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"
#: Acts that cannot be undone say what follows before they are made (ARCHITECTURE.md).
CONSEQUENCES: dict[str, str] = {
    T.REJECT: "确认后本申请即终结，申请人须重新申请。",
    T.WITHDRAW: "确认后本申请即撤回，不能恢复。",
    T.REVOKE: "确认后授权立即收回，申请人不能再查阅该对象。",
}
DANGER = (T.REJECT, T.REVOKE)


def _may_file(user: Any) -> bool:
    return user.org_id is not None and user.has_role(Role.CLERK, Role.LEADER)


@service_page("GET")
def request_list(request: HttpRequest) -> HttpResponse:
    """调阅申请: the user's tab of the requests they may see, filters in the URL."""
    user: Any = request.user
    form = RequestFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(access_request_list(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [{"request": r, "kind_label": kind_label(r.kind)} for r in page]
    kept = {k: v for k, v in filters.items() if k != "scope"}
    tabs = [
        {
            "scope": scope,
            "label": label,
            "url": f"{request.path}?{urlencode({'scope': scope, **kept})}",
            "active": scope == filters["scope"],
        }
        for scope, label in Scope.CHOICES
    ]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "tabs": tabs,
        "scope": filters["scope"],
        "to_approve": access_requests_to_approve_count(user),
        "may_file": _may_file(user),
    }
    return render(request, "access/request_list.html", context)


def _render_form(request: HttpRequest, form: RequestForm, status: int = 200) -> HttpResponse:
    """The form, with how each kind of item is named (移送线索填写移送文号…)."""
    kinds = [grantable(kind) for kind, _ in grantable_kinds()]
    hints = "；".join(f"{k.label}填写{k.reference_label}" for k in kinds if k is not None)
    context = {"form": form, "hints": hints}
    return render(request, "access/request_new.html", context, status=status)


@service_page("GET", "POST")
def request_new(request: HttpRequest) -> HttpResponse:
    """提出调阅申请 (第十一条): prefilled from ?kind=&reference= (the link on an item's page)."""
    user: Any = request.user
    if not _may_file(user):
        raise NotPermitted("只有各单位的登记员和审批领导可以申请调阅。")
    if request.method == "GET":
        initial = {key: request.GET[key] for key in ("kind", "reference") if key in request.GET}
        return _render_form(request, RequestForm(initial=initial))
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    try:
        created = access_request_file(actor=user, **form.cleaned_data)
    except ServiceError as refusal:
        if refusal.status in (403, 404):
            raise
        for field, texts in refusal.errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        if not refusal.errors:
            form.add_error(None, refusal.detail)
        return _render_form(request, form, status=refusal.status)
    messages.success(request, "调阅申请已提交，待本单位领导审批。")
    return redirect("access:request_detail", pk=created.pk)


def render_detail(
    request: HttpRequest,
    request_id: Any,
    *,
    status: int = 200,
    bound: MoveForm | None = None,
    error: str = "",
) -> HttpResponse:
    user: Any = request.user
    access = get_access_request_for_user(user, request_id)
    detail = access_request_detail(user, access)
    moves = []
    for name, label in detail.moves:
        form = bound if bound is not None and bound.name == name else MoveForm(name=name)
        moves.append(
            {
                "name": name,
                "label": label,
                "form": form,
                "open": form is bound,
                "confirm": _consequence(name, access),
                "danger": name in DANGER,
            }
        )
    context = {"access": access, "detail": detail, "moves": moves, "error": error}
    return render(request, "access/request_detail.html", context, status=status)


def _consequence(name: str, access: Any) -> str:
    if name == T.APPROVE and access.status == RequestStatus.PENDING_OWNER:
        return (
            f"确认后即授权申请人在{access.period_days}日内只读查阅该对象，"
            "查阅情况记入本单位调阅记录。"
        )
    return CONSEQUENCES.get(name, "")


@service_page("GET")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@service_page("POST")
def request_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Make one move from the page; on refusal, the page again with the reasons."""
    user: Any = request.user
    service = SERVICES.get(name)
    if service is None:
        raise Http404
    access = get_access_request_for_user(user, pk)
    require_actor(user, access, name)
    form = MoveForm(request.POST, name=name)
    if not form.is_valid():
        return render_detail(request, pk, status=400, bound=form)
    try:
        service(request_id=pk, actor=user, **form.cleaned_data)
    except Conflict as refusal:
        return render_detail(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except ServiceError as refusal:
        if refusal.status in (403, 404):
            raise
        for field, texts in refusal.errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        if not refusal.errors:
            form.add_error(None, refusal.detail)
        return render_detail(request, pk, status=refusal.status, bound=form)
    messages.success(request, f"已办理：{T(name).label}。")
    return redirect("access:request_detail", pk=pk)


@service_page("GET")
def readers(request: HttpRequest) -> HttpResponse:
    """本单位数据被调阅记录 (第十一条): who read the org's items under grants, when, how, what,
    under which request — filterable by date range, reader and kind."""
    user: Any = request.user
    if user.org_id is None or not has_access(user, AccessUse):
        raise NotPermitted("调阅记录仅供数据所属单位查看。")
    form = ReaderLogFilterForm(request.GET, user=user)
    page = Paginator(reader_log(user, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"use": use, "kind_label": kind_label(use.request.kind)} for use in page]
    context = {"form": form, "page_obj": page, "rows": rows}
    return render(request, "access/readers.html", context)


urlpatterns = [
    path("requests/", request_list, name="request_list"),
    path("requests/new/", request_new, name="request_new"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
    path("requests/<int:pk>/<str:name>/", request_transition, name="request_transition"),
    path("readers/", readers, name="readers"),
]
