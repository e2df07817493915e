"""Pages of supervision notices and decisions and of the A10 flags (第十三条（十）).

The list and page of an act (laid out like the printed 行政执法监督通知书 / 决定书), drafting and
editing, signing (签发) by the issuing org's leader; the list and page of a flag, with 移送纪检
监察机关 for the issuing org's clerk and 撤销标记 for its leader. What the user may not see is
404, an act that is not theirs 403; a refusal of a service comes back on the same page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from xianjie.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from xianjie.core.pages import service_page as supervision_page
from xianjie.referrals.models import Referral

from ..forms.supervision import ActFilterForm, ActForm, DismissForm, FlagFilterForm
from ..models import ActKind, FlagStatus, SupervisionAct
from ..selectors.supervision import (
    act_deadline,
    act_list,
    act_view,
    attach_deadlines,
    flag_list,
    get_act_for_user,
    get_flag_for_user,
)
from ..services.flags import flag_dismiss, flag_refer, may_dismiss, may_refer
from ..services.supervision import (
    act_create,
    act_issue,
    act_update,
    escalation_problem,
    may_draft,
    may_edit,
    may_issue,
)
from ..transitions import ActStatus

PAGE_SIZE = 20
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"


def _place(form: Any, refusal: ServiceError) -> None:
    """Each of the service's messages beside its field; the rest above the form."""
    if not refusal.errors:
        form.add_error(None, refusal.detail)
    for key, texts in refusal.errors.items():
        for text in texts:
            form.add_error(key if key in form.fields else None, text)


# --- Acts -----------------------------------------------------------------------------------


@supervision_page("GET")
def act_index(request: HttpRequest) -> HttpResponse:
    """行政执法监督文书: the acts the user may see (三员 and outsiders: none)."""
    user: Any = request.user
    form = ActFilterForm(request.GET, user=user)
    page = Paginator(act_list(user, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "acts": attach_deadlines(list(page)),
        "may_create": may_draft(user),
    }
    return render(request, "inspections/act_list.html", context)


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or ActKind.NOTICE
    if kind not in ActKind.values:
        raise Http404
    return kind


def _render_form(
    request: HttpRequest, form: ActForm, act: SupervisionAct | None, notice: Any = None
) -> HttpResponse:
    context = {
        "form": form,
        "act": act,
        "kind_label": ActKind(form.kind).label,
        "kind": form.kind,
        "notice": notice,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/act_form.html", context, status=status)


@supervision_page("GET", "POST")
def act_new(request: HttpRequest) -> HttpResponse:
    """起草监督通知书 / 决定书 (第二条: a supervision body's clerk or leader). A decision started
    from a notice's page comes pre-filled with that notice's unit, problem and basis."""
    user: Any = request.user
    if not may_draft(user):
        raise PermissionDenied
    kind = _kind(request)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        notice = None
        if kind == ActKind.DECISION and request.GET.get("notice"):
            notice = get_act_for_user(user, request.GET["notice"])
            initial = {
                "notice": str(notice.pk),
                "target_org": str(notice.target_org_id),
                "problem": notice.problem,
                "basis": notice.basis,
            }
        return _render_form(request, ActForm(initial=initial, user=user, kind=kind), None, notice)
    form = ActForm(request.POST, user=user, kind=kind)
    if not form.is_valid():
        return _render_form(request, form, None)
    try:
        act = act_create(actor=user, kind=kind, **form.service_fields())
    except ServiceError as refusal:
        _place(form, refusal)
        return _render_form(request, form, None)
    messages.success(request, "草稿已保存。核对无误后请本机关审批领导签发。")
    return redirect("inspections:act_detail", pk=act.pk)


@supervision_page("GET", "POST")
def act_change(request: HttpRequest, pk: int) -> HttpResponse:
    """修改草稿: the issuing org only, and only while it is a draft."""
    user: Any = request.user
    act = get_act_for_user(user, pk)
    if not may_edit(user, act):
        raise PermissionDenied
    if act.status != ActStatus.DRAFT:
        messages.error(request, "监督文书已签发，不能修改。")
        return redirect("inspections:act_detail", pk=act.pk)
    if request.method == "GET":
        initial = {
            "target_org": str(act.target_org_id),
            "decision_type": act.decision_type,
            "notice": str(act.notice_id or ""),
            "problem": act.problem,
            "basis": act.basis,
            "requirement": act.requirement,
            "period_days": act.period_days,
        }
        return _render_form(request, ActForm(initial=initial, user=user, kind=act.kind), act)
    form = ActForm(request.POST, user=user, kind=act.kind)
    if not form.is_valid():
        return _render_form(request, form, act)
    try:
        act_update(act_id=act.pk, actor=user, **form.service_fields())
    except Conflict as refusal:
        messages.error(request, refusal.detail)
        return redirect("inspections:act_detail", pk=act.pk)
    except ServiceError as refusal:
        _place(form, refusal)
        return _render_form(request, form, act)
    messages.success(request, "草稿已保存。")
    return redirect("inspections:act_detail", pk=act.pk)


def issue_consequence(act: SupervisionAct) -> str:
    """What signing does, said before it is done (ARCHITECTURE.md: irreversible acts)."""
    return (
        f"确认签发后将编发文号，正式送达{act.target_org.name}，并下达整改（履行）任务、开始计算"
        f"{act.period_days}日的报告期限；签发后不能修改或撤回。"
    )


def render_act(
    request: HttpRequest, pk: Any, *, status: int = 200, error: str = "", problems: Any = None
) -> HttpResponse:
    user: Any = request.user
    act = get_act_for_user(user, pk)
    view = act_view(user, act)
    is_issuer = act.issuer_org_id == user.org_id
    escalate = (
        act.kind == ActKind.NOTICE
        and act.status == ActStatus.ISSUED
        and is_issuer
        and may_draft(user)
        and not escalation_problem(act)
    )
    context = {
        "act": act,
        "view": view,
        "is_issuer": is_issuer,
        "may_edit": act.status == ActStatus.DRAFT and may_edit(user, act),
        "may_issue": act.status == ActStatus.DRAFT and may_issue(user, act),
        "issue_confirm": issue_consequence(act),
        "may_escalate": escalate,
        "error": error,
        "problems": [msg for texts in (problems or {}).values() for msg in texts],
    }
    return render(request, "inspections/act_detail.html", context, status=status)


@supervision_page("GET")
def act_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_act(request, pk)


@supervision_page("POST")
def act_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """签发: the issuing org's leader; on refusal, the page again with the reasons."""
    user: Any = request.user
    try:
        act = act_issue(act_id=pk, actor=user)
    except Conflict as refusal:
        return render_act(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except (NotFound, NotPermitted):
        raise
    except ServiceError as refusal:
        return render_act(
            request, pk, status=refusal.status, error=refusal.detail, problems=refusal.errors
        )
    messages.success(request, f"已签发：{act.number}。整改（履行）任务已下达并开始计时。")
    return redirect("inspections:act_detail", pk=pk)


# --- Flags ----------------------------------------------------------------------------------


@supervision_page("GET")
def flag_index(request: HttpRequest) -> HttpResponse:
    """A10标记: flags of the acts of the user's org (and, for the justice bureau, of its region)."""
    user: Any = request.user
    form = FlagFilterForm(request.GET)
    page = Paginator(flag_list(user, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/flag_list.html", {"form": form, "page_obj": page})


def render_flag(
    request: HttpRequest,
    pk: Any,
    *,
    status: int = 200,
    error: str = "",
    dismiss_form: DismissForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    flag = get_flag_for_user(user, pk)
    is_open = flag.status == FlagStatus.OPEN
    context = {
        "flag": flag,
        "act": flag.act,
        "deadline": act_deadline(flag.act),
        "referral": Referral.objects.restrict(user, "view").filter(pk=flag.referral_id).first()
        if flag.referral_id
        else None,
        "may_refer": is_open and may_refer(user, flag),
        "may_dismiss": is_open and may_dismiss(user, flag),
        "dismiss_form": dismiss_form or DismissForm(),
        "refer_confirm": (
            "确认后将生成向纪检监察机关移送问题线索的草稿（违法违纪行为 A10，附监督文书及履行"
            "情况），本标记即转为“已移送”，不能撤销；草稿须核对后提交审批才正式移送。"
        ),
        "error": error,
    }
    return render(request, "inspections/flag_detail.html", context, status=status)


@supervision_page("GET")
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_flag(request, pk)


@supervision_page("POST")
def flag_to_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """移送纪检监察机关: the issuing org's clerk; the draft lead opens for checking."""
    user: Any = request.user
    try:
        referral = flag_refer(flag_id=pk, actor=user)
    except Conflict as refusal:
        return render_flag(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except (NotFound, NotPermitted):
        raise
    except ServiceError as refusal:
        details = [msg for texts in refusal.errors.values() for msg in texts] or [refusal.detail]
        return render_flag(request, pk, status=refusal.status, error="；".join(details))
    messages.success(
        request, "已生成移送草稿并附监督文书及履行情况。请核对内容后提交审批（第四条）。"
    )
    return redirect("referrals:detail", pk=referral.pk)


@supervision_page("POST")
def flag_close(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销标记: the issuing org's leader, with the reason."""
    user: Any = request.user
    form = DismissForm(request.POST)
    if not form.is_valid():
        flag = get_flag_for_user(user, pk)
        if not may_dismiss(user, flag):
            raise PermissionDenied
        return render_flag(request, pk, status=400, dismiss_form=form)
    try:
        flag_dismiss(flag_id=pk, actor=user, reason=form.cleaned_data["reason"])
    except Conflict as refusal:
        return render_flag(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except (NotFound, NotPermitted):
        raise
    except ServiceError as refusal:
        _place(form, refusal)
        return render_flag(request, pk, status=refusal.status, dismiss_form=form)
    messages.success(request, "已撤销标记。")
    return redirect("inspections:flag_detail", pk=pk)


urlpatterns = [
    path("supervision/", act_index, name="act_list"),
    path("supervision/new/", act_new, name="act_create"),
    path("supervision/<int:pk>/", act_detail, name="act_detail"),
    path("supervision/<int:pk>/edit/", act_change, name="act_edit"),
    path("supervision/<int:pk>/issue/", act_sign, name="act_issue"),
    path("flags/", flag_index, name="flag_list"),
    path("flags/<int:pk>/", flag_detail, name="flag_detail"),
    path("flags/<int:pk>/refer/", flag_to_referral, name="flag_refer"),
    path("flags/<int:pk>/dismiss/", flag_close, name="flag_dismiss"),
]
