"""The page of one referral (第十一条 tier 3): its content, clocks, timeline and files, and the
acts the user may take now — and the handlers of those acts and of file uploads.

Every rendering of the page is an audit entry (`referral.view`), including the one that shows a
refusal, because it shows the content again. The acts go through `referral_transition`; a
refusal comes back on the same page: the form of the act open with its messages, the 第四条
items still missing on a submission, or a plain note when the status changed meanwhile (409).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xianjie.calendar.selectors import clock_light, work_calendar
from xianjie.catalog.models import ViolationCode
from xianjie.core.errors import Conflict, FileTooLarge, InvalidInput, ServiceError
from xianjie.core.pages import service_page as referral_page

from ..evidence import ACCEPTED_LABELS, evidence_listing, evidence_upload, refuse_oversized_request
from ..forms import EvidenceUploadForm, TransitionForm
from ..models import DisposalMethod, EvidenceRole, Referral
from ..origins import referral_followups, referral_origins
from ..permissions import may_edit_draft, upload_roles
from ..selectors import (
    duplicate_warnings,
    get_referral_for_user,
    referral_clocks,
    referral_content,
    referral_events,
)
from ..services import FIELDS, referral_transition, transitions_for
from ..services.viewing import referral_view_record
from ..transitions import Direction, Status, Transition, status_label
from ._common import problem_list

T = Transition
#: Copies of the viewer's name, org and time tiled over the page (a deterrent to photographs).
WATERMARK_TILES = 24
CHANGED = "当前状态已变化（可能已由他人办理），请查看最新状态后再操作。"


def consequence(name: str, referral: Referral) -> str:
    """What an irreversible act does, said before it is done (ARCHITECTURE.md)."""
    if name == T.APPROVE:
        body = (
            "纪检监察机关" if referral.direction == Direction.TO_DISCIPLINE else "行政执法监督机构"
        )
        return f"确认后将编发文号并正式移送{body}（{referral.receiver_org.name}），不能撤销。"
    consequences: dict[str, str] = {
        T.RETURN: "确认后将退回移送单位并告知退回理由，不能撤销。",
        T.FORWARD: "确认后将转办至所选单位，本件随即终结，不能撤销。",
        T.FEEDBACK: "确认后将向移送单位书面反馈处理结果，反馈后不能修改。",
        T.WITHDRAW: "确认后本件移送即撤回，不能恢复。",
        T.CLOSE: "确认后本件即办结，不能再办理。",
    }
    return consequences.get(name, "")


def _letters(items: list[Any]) -> list[tuple[str, str]]:
    return [
        (str(item.id), item.filename) for item in items if item.role == EvidenceRole.FEEDBACK_LETTER
    ]


def _moves(
    user: Any, referral: Referral, letters: list[tuple[str, str]], bound: TransitionForm | None
) -> list[dict[str, Any]]:
    moves = []
    for name, label in transitions_for(user, referral):
        if bound is not None and bound.name == name:
            form = bound
        else:
            form = TransitionForm(name=name, referral=referral, user=user, letters=letters)
        moves.append(
            {
                "name": name,
                "label": label,
                "form": form,
                "open": form is bound,
                "confirm": consequence(name, referral),
                "danger": name in (T.RETURN, T.WITHDRAW, T.REJECT),
            }
        )
    return moves


def _clocks(referral: Referral) -> list[dict[str, Any]]:
    today, calendar = timezone.localdate(), work_calendar()
    rows = []
    for clock in referral_clocks(referral):
        light = clock_light(clock, today=today, calendar=calendar)
        rows.append({"clock": clock, "light": str(light), "light_label": light.label})
    return rows


def render_detail(
    request: HttpRequest,
    referral_id: Any,
    *,
    status: int = 200,
    bound: TransitionForm | None = None,
    problems: dict[str, list[str]] | None = None,
    error: str = "",
    upload_form: EvidenceUploadForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    referral = get_referral_for_user(user, referral_id)
    referral_view_record(referral=referral, actor=user)
    content = referral_content(referral)
    files = evidence_listing(referral, user)
    roles = upload_roles(user, referral)
    visible = Referral.objects.restrict(user, "view")
    now = timezone.localtime()
    context = {
        "referral": referral,
        "status_label": status_label(referral.direction, referral.status),
        "is_sender": referral.sender_org_id == user.org_id,
        "content": content,
        "codes": ViolationCode.objects.restrict(user, "view")
        .filter(code__in=content.codes)
        .order_by("sort_order", "code"),
        "disposal_label": DisposalMethod(referral.disposal_method).label
        if referral.disposal_method
        else "",
        "events": [
            {
                "event": e,
                "to_label": status_label(referral.direction, e.to_status),
                "method_label": DisposalMethod(e.data["method"]).label
                if e.data.get("method") in DisposalMethod.values
                else "",
            }
            for e in referral_events(referral)
        ],
        "clocks": _clocks(referral),
        "files": files,
        "upload_form": upload_form or (EvidenceUploadForm(roles=roles) if roles else None),
        "duplicates": duplicate_warnings(user, referral) if referral.status == Status.DRAFT else [],
        "moves": _moves(user, referral, _letters(files), bound),
        "may_edit": referral.status == Status.DRAFT and may_edit_draft(user, referral),
        "problems": problem_list(problems or {}),
        "error": error,
        "forwards": visible.filter(forwarded_from=referral),
        "origin": visible.filter(pk=referral.forwarded_from_id).first()
        if referral.forwarded_from_id
        else None,
        "origins": referral_origins(referral, user),
        "followups": referral_followups(referral, user),
        "feedback_file": next((f for f in files if f.id == referral.feedback_document_id), None),
        "accepted_types": ACCEPTED_LABELS,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "watermark": f"{user.display_name} {user.org.name} {now:%Y-%m-%d %H:%M}",
        "watermark_tiles": range(WATERMARK_TILES),
    }
    return render(request, "referrals/detail.html", context, status=status)


@referral_page("GET")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@referral_page("POST")
def referral_move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one transition from the page; on refusal, the page again with the reasons."""
    user: Any = request.user
    if name not in FIELDS:
        raise Http404
    referral = get_referral_for_user(user, pk)
    letters = _letters(evidence_listing(referral, user)) if name == T.FEEDBACK else []
    form = TransitionForm(request.POST, name=name, referral=referral, user=user, letters=letters)
    if not form.is_valid():
        return render_detail(request, pk, status=400, bound=form)
    try:
        referral_transition(referral_id=pk, name=name, actor=user, **form.cleaned_data)
    except Conflict as refusal:
        return render_detail(request, pk, status=409, error=f"{CHANGED}（{refusal.detail}）")
    except InvalidInput as refusal:
        if name == T.SUBMIT:
            return render_detail(request, pk, status=400, problems=refusal.errors)
        for key, texts in refusal.errors.items():
            for text in texts:
                form.add_error(key if key in form.fields else None, text)
        return render_detail(request, pk, status=400, bound=form)
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    messages.success(request, f"已办理：{T(name).label}。")
    return redirect("referrals:detail", pk=pk)


@referral_page("POST")
def referral_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one file (evidence, supplement or feedback letter, as the status allows)."""
    user: Any = request.user
    referral = get_referral_for_user(user, pk)
    try:
        # Before the body is read for the form: a declared size beyond the limit is 413 at once.
        refuse_oversized_request(request)
    except FileTooLarge as refusal:
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    roles = upload_roles(user, referral)
    form = EvidenceUploadForm(request.POST, request.FILES, roles=roles)
    try:
        evidence_upload(
            referral=referral,
            actor=user,
            file=request.FILES.get("file"),
            role=request.POST.get("role") or EvidenceRole.EVIDENCE,
            description=request.POST.get("description", ""),
        )
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        if not roles or not refusal.errors:
            # Not the user's to upload, or not in this status (403, 409): no field to blame.
            return render_detail(request, pk, status=refusal.status, error=refusal.detail)
        for key, texts in refusal.errors.items():
            for text in texts:
                form.add_error(key if key in form.fields else None, text)
        return render_detail(request, pk, status=refusal.status, upload_form=form)
    messages.success(request, "文件已加密保存。")
    return redirect(reverse("referrals:detail", args=[pk]) + "#evidence")
