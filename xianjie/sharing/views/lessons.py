"""Pages of typical cases for warning education (典型案例, 第十二条).

The case library with search and filters in the URL; the proposal made from a closed referral
with every mask highlighted; a case's page (its reader leaves a read receipt) with the buttons
its viewer may use — edit, review, publish, withdraw for the preparing org, the study record for
a target unit, 以案促改 for the preparing org's leader. What the user may not see is 404, an act
that is not theirs 403; a refusal of a service comes back on the same page with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from xianjie.accounts.models import Role
from xianjie.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from xianjie.core.pages import service_page
from xianjie.referrals.selectors import get_referral_for_user, referral_content
from xianjie.referrals.transitions import Status as ReferralStatus

from ..deidentify import residual_findings
from ..forms.lessons import (
    LessonFilterForm,
    LessonForm,
    PublishForm,
    ReformForm,
    ReviewForm,
    StudyRecordForm,
    WithdrawForm,
)
from ..models import Lesson, LessonStatus
from ..selectors.lesson_texts import count_rows, lesson_proposal, marked_segments, subject_unit
from ..selectors.lessons import get_lesson_for_user, lesson_detail, lesson_list
from ..services.lessons import (
    WORDING,
    lesson_prepare,
    lesson_publish,
    lesson_review,
    lesson_update,
    lesson_withdraw,
    lists_for,
    may_edit,
    may_prepare,
)
from ..services.receipts import receipt_record
from ..services.reforms import lesson_reform, may_reform, reform_units
from ..services.studies import may_study, study_record

PAGE_SIZE = 20
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"
CONFIRM = {
    "review": "确认已逐项核对：正文、标题和警示意义中不再含有姓名、证件号码、电话号码等个人信息。"
    "审核通过后如再修改文字，须重新审核。",
    "publish": "确认发布后，案例将按所选层级共享，所选单位将收到学习通知并须登记学习记录；"
    "发布后不能修改，只能撤回。",
    "withdraw": "确认撤回后，案例将从所有单位的案例库中消失，不能恢复。",
}


def _place(form: Any, refusal: ServiceError) -> None:
    """Each of the service's messages beside its field; the rest above the form."""
    if not refusal.errors:
        form.add_error(None, refusal.detail)
    for key, texts in refusal.errors.items():
        for text in texts:
            form.add_error(key if key in form.fields else None, text)


@service_page("GET")
def lesson_index(request: HttpRequest) -> HttpResponse:
    """案例库: the cases the user may see (三员 and users without an org: none)."""
    user: Any = request.user
    form = LessonFilterForm(request.GET)
    lessons = lesson_list(user, form.filters()).prefetch_related("violation_codes")
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sharing/lesson_list.html", {"form": form, "page_obj": page})


@service_page("GET", "POST")
def lesson_new(request: HttpRequest) -> HttpResponse:
    """编写典型案例: the proposal from a closed referral (GET ?referral=), the draft (POST) —
    for a leader of either party (第十二条)."""
    user: Any = request.user
    referral = get_referral_for_user(user, request.GET.get("referral") or "")
    if not may_prepare(user, referral):
        raise PermissionDenied
    context: dict[str, Any] = {"referral": referral}
    if referral.status != ReferralStatus.CLOSED:
        context["error"] = "只能从已办结的案件编写典型案例。"
        return render(request, "sharing/lesson_prepare.html", context, status=409)
    if request.method == "POST":
        try:
            lesson = lesson_prepare(referral_id=referral.pk, actor=user)
        except ServiceError as refusal:
            context["error"] = refusal.detail
            return render(request, "sharing/lesson_prepare.html", context, status=refusal.status)
        messages.success(request, "已生成案例草稿。请逐项核对脱敏结果，修改后提交审核。")
        return redirect("sharing:lesson_detail", pk=lesson.pk)
    context["proposal"] = lesson_proposal(referral, user)
    return render(request, "sharing/lesson_prepare.html", context)


def _checks(user: Any, lesson: Lesson) -> dict[str, Any]:
    """For the preparing org while the case can still change: the text with its masks marked
    and what still looks identifying, field by field."""
    if not may_edit(user, lesson):
        return {"segments": [(lesson.text, "")], "findings": []}
    lists = lists_for(lesson, user)
    findings = [
        (label, f)
        for name, label in WORDING.items()
        for f in residual_findings(getattr(lesson, name), lists.names, lists.cert_nos)
    ]
    return {"segments": marked_segments(lesson.text, lists), "findings": findings}


def render_detail(
    request: HttpRequest,
    pk: Any,
    *,
    status: int = 200,
    error: str = "",
    open_form: str = "",
    bound: Any = None,
) -> HttpResponse:
    user: Any = request.user
    lesson = get_lesson_for_user(user, pk)
    detail = lesson_detail(user, lesson)
    forms = {
        "review": ReviewForm(),
        "publish": PublishForm(
            initial={
                "tier": str(lesson.tier),
                "target_orgs": [str(o.pk) for o in detail.targets],
            },
            lesson=lesson,
        ),
        "withdraw": WithdrawForm(),
    }
    if open_form and bound is not None:
        forms[open_form] = bound
    context = {
        "lesson": lesson,
        "detail": detail,
        "masked": count_rows(lesson.masked_counts),
        "forms": forms,
        "open_form": open_form,
        "confirm": CONFIRM,
        "error": error,
        **_checks(user, lesson),
    }
    return render(request, "sharing/lesson_detail.html", context, status=status)


@service_page("GET")
def lesson_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One case; a reader from another org leaves a read receipt (已阅) when it is published."""
    user: Any = request.user
    lesson = get_lesson_for_user(user, pk)
    if lesson.status == LessonStatus.PUBLISHED and user.org_id != lesson.org_id:
        receipt_record(user=user, lesson=lesson)
    return render_detail(request, pk)


@service_page("GET", "POST")
def lesson_change(request: HttpRequest, pk: int) -> HttpResponse:
    """修改: the preparing org, while draft or reviewed."""
    user: Any = request.user
    lesson = get_lesson_for_user(user, pk)
    if user.org_id != lesson.org_id:
        raise PermissionDenied
    if not may_edit(user, lesson):
        messages.error(request, f"案例{lesson.get_status_display()}，不能修改。")
        return redirect("sharing:lesson_detail", pk=lesson.pk)
    form = LessonForm(request.POST) if request.method == "POST" else LessonForm.for_lesson(lesson)
    if request.method == "POST" and form.is_valid():
        try:
            lesson_update(lesson_id=lesson.pk, actor=user, **form.cleaned_data)
        except Conflict as refusal:
            messages.error(request, refusal.detail)
            return redirect("sharing:lesson_detail", pk=lesson.pk)
        except ServiceError as refusal:
            _place(form, refusal)
        else:
            messages.success(request, "已保存。")
            return redirect("sharing:lesson_detail", pk=lesson.pk)
    context = {"lesson": lesson, "form": form, "masked": count_rows(lesson.masked_counts)}
    context.update(_checks(user, lesson))
    status = 400 if request.method == "POST" else 200
    return render(request, "sharing/lesson_edit.html", context, status=status)


#: Who of the preparing org performs each move (the services check it again).
ACTORS = {
    "review": (Role.CLERK, Role.LEADER),
    "publish": (Role.LEADER,),
    "withdraw": (Role.LEADER,),
}
MOVES: dict[str, tuple[Any, Any, str]] = {
    "review": (ReviewForm, lesson_review, "已审核通过，可由本单位审批领导发布。"),
    "publish": (PublishForm, lesson_publish, "已发布，发布单位已收到学习通知。"),
    "withdraw": (WithdrawForm, lesson_withdraw, "已撤回。"),
}


@service_page("POST")
def lesson_move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """审核 / 发布 / 撤回; on refusal, the page again with the form open and the reasons."""
    user: Any = request.user
    if name not in MOVES:
        raise Http404
    form_class, service, done = MOVES[name]
    lesson = get_lesson_for_user(user, pk)
    if lesson.org_id != user.org_id or not user.has_role(*ACTORS[name]):
        raise PermissionDenied
    if form_class is PublishForm:
        form = PublishForm(request.POST, lesson=lesson)
    else:
        form = form_class(request.POST)
    if not form.is_valid():
        return render_detail(request, pk, status=400, open_form=name, bound=form)
    try:
        service(lesson_id=pk, actor=user, **form.cleaned_data)
    except Conflict as refusal:
        return render_detail(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except (NotFound, NotPermitted):
        raise
    except ServiceError as refusal:
        _place(form, refusal)
        return render_detail(
            request, pk, status=refusal.status, open_form=name, bound=form, error=refusal.detail
        )
    messages.success(request, done)
    return redirect("sharing:lesson_detail", pk=pk)


@service_page("GET", "POST")
def lesson_study_page(request: HttpRequest, pk: int) -> HttpResponse:
    """登记学习记录: a clerk or leader of a unit the case was published to."""
    user: Any = request.user
    lesson = get_lesson_for_user(user, pk)
    if not may_study(user, lesson):
        raise PermissionDenied
    detail = lesson_detail(user, lesson)
    mine = detail.my_study
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if mine is not None:
            initial = {
                "studied_on": mine.studied_on,
                "form": mine.form,
                "attendees": mine.attendees,
                "notes": mine.notes,
            }
        form = StudyRecordForm(initial=initial)
    else:
        form = StudyRecordForm(request.POST)
        if form.is_valid():
            try:
                study_record(lesson_id=lesson.pk, actor=user, **form.cleaned_data)
            except ServiceError as refusal:
                _place(form, refusal)
            else:
                messages.success(request, "学习记录已登记。")
                return redirect("sharing:lesson_detail", pk=lesson.pk)
    context = {"lesson": lesson, "form": form, "mine": mine}
    return render(request, "sharing/lesson_study.html", context, status=400 if form.errors else 200)


@service_page("GET", "POST")
def lesson_reform_page(request: HttpRequest, pk: int) -> HttpResponse:
    """以案促改: the preparing org's leader sends a reform recommendation to the unit where the
    case happened; it becomes a rectification task with its own deadline."""
    user: Any = request.user
    lesson = get_lesson_for_user(user, pk)
    if not may_reform(user, lesson):
        raise PermissionDenied
    units = reform_units(lesson)
    if request.method == "GET":
        referral = get_referral_for_user(user, lesson.referral_id)
        suggested = subject_unit(referral, referral_content(referral))
        form = ReformForm(initial={"unit": str(suggested.pk) if suggested else ""}, units=units)
    else:
        form = ReformForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = lesson_reform(
                    lesson_id=lesson.pk,
                    unit_id=data["unit"],
                    requirement=data["requirement"],
                    period_days=data["period_days"],
                    actor=user,
                )
            except ServiceError as refusal:
                _place(form, refusal)
            else:
                messages.success(
                    request, f"以案促改建议已下达{task.unit.name}，整改期限{task.period_days}日。"
                )
                return redirect("sharing:lesson_detail", pk=lesson.pk)
    context = {"lesson": lesson, "form": form}
    return render(
        request, "sharing/lesson_reform.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("lessons/", lesson_index, name="lesson_list"),
    path("lessons/prepare/", lesson_new, name="lesson_prepare"),
    path("lessons/<int:pk>/", lesson_page, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", lesson_change, name="lesson_edit"),
    path("lessons/<int:pk>/study/", lesson_study_page, name="lesson_study"),
    path("lessons/<int:pk>/reform/", lesson_reform_page, name="lesson_reform"),
    path("lessons/<int:pk>/<str:name>/", lesson_move, name="lesson_transition"),
]
