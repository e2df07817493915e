"""The finding pages (督查发现问题, 第九条): the list, recording a finding, and its page with its
evidence, its rectification task and — for a serious one — its referral.

A finding the user may not see is 404, never 403 (第十一条); an act that is not theirs is 403.
A tier 3 finding (naming an officer) is labelled 涉案保密, carries the viewer's watermark, and
every opening of it is an audit entry. Refusals of the services come back on the same page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.catalog.models import ViolationCode
from xianjie.core.errors import FileTooLarge, InvalidInput, ServiceError
from xianjie.core.pages import service_page as finding_page
from xianjie.referrals.evidence import ACCEPTED_LABELS
from xianjie.referrals.transitions import status_label

from ..forms.findings import AttachmentForm, FindingFilterForm, FindingForm, RectificationForm
from ..models import Attachment, Finding, Inspection, Severity
from ..selectors.findings import (
    finding_content,
    finding_events,
    finding_list,
    finding_referral,
    finding_task,
    finding_titles,
    get_finding_for_user,
    is_organiser,
    may_record,
    may_refer,
    open_task,
    recordable_units,
    referral_known,
)
from ..services.attachments import attachment_items, refuse_oversized_upload
from ..services.findings import (
    EVENT_LABELS,
    RECORDING_STATUSES,
    finding_attach,
    finding_create,
    finding_rectification_create,
    finding_referral_create,
    finding_view_record,
)
from ..services.rectifications import default_period

PAGE_SIZE = 20
#: Copies of the viewer's name, org and time tiled over a tier 3 page (against photographs).
WATERMARK_TILES = 24


def _put_back(form: Any, refusal: ServiceError) -> None:
    for key, texts in refusal.errors.items():
        for text in texts:
            form.add_error(key if key in form.fields else None, text)


@finding_page("GET")
def finding_index(request: HttpRequest) -> HttpResponse:
    """督查发现问题: every finding the user may see (三员 and outsiders: none)."""
    user: Any = request.user
    form = FindingFilterForm(request.GET, user=user)
    filters = form.filters()
    page = Paginator(finding_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    titles = finding_titles(list(page))
    visible = Inspection.objects.restrict(user, "view")
    inspection = (
        visible.filter(pk=filters["inspection"]).first() if "inspection" in filters else None
    )
    context = {
        "form": form,
        "page_obj": page,
        "rows": [{"finding": f, "title": titles[f.pk]} for f in page],
        "record_in": inspection
        if inspection is not None
        and inspection.status in RECORDING_STATUSES
        and may_record(user, inspection)
        else None,
    }
    return render(request, "inspections/finding_list.html", context)


@finding_page("GET", "POST")
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    """登记问题 for one inspection: its organisers, or an inspector for the units of their team."""
    user: Any = request.user
    inspection = get_object_for_user(Inspection.objects.all(), user, "view", pk=pk)
    if not may_record(user, inspection):
        raise PermissionDenied("只有组织单位和检查组成员可以登记督查发现的问题。")
    units = [row.org for row in recordable_units(user, inspection)]
    form = FindingForm(request.POST or None, user=user, units=units)
    status, error = 200, ""
    if inspection.status not in RECORDING_STATUSES:
        status, error = 409, "督查尚未开始或已经结束，不能登记问题。"
    elif request.method == "POST" and form.is_valid():
        try:
            finding = finding_create(inspection_id=pk, actor=user, **form.service_fields())
        except InvalidInput as refusal:
            _put_back(form, refusal)
            status = 400
        except ServiceError as refusal:
            if refusal.status in (403, 404):
                raise
            status, error = refusal.status, refusal.detail
        else:
            messages.success(request, f"已登记问题{finding.sequence}。")
            if Finding.objects.restrict(user, "view").filter(pk=finding.pk).exists():
                return redirect("inspections:finding_detail", pk=finding.pk)
            # An inspector who names an officer records a tier 3 finding they will not see.
            messages.info(request, "该问题涉及具体人员，属涉案保密信息，仅组织单位可以查看。")
            return redirect(reverse("inspections:finding_list") + f"?inspection={pk}")
    elif request.method == "POST":
        status = 400
    context = {"inspection": inspection, "form": form, "error": error}
    return render(request, "inspections/finding_form.html", context, status=status)


def render_detail(
    request: HttpRequest,
    pk: Any,
    *,
    status: int = 200,
    error: str = "",
    upload_form: AttachmentForm | None = None,
    task_form: RectificationForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    finding = get_finding_for_user(user, pk)
    finding_view_record(finding=finding, actor=user)
    content = finding_content(finding)
    inspection = finding.inspection
    organiser = is_organiser(user, inspection)
    may_upload = inspection.status in RECORDING_STATUSES and may_record(
        user, inspection, finding.unit_id
    )
    live_task = open_task(finding)
    may_task = organiser and live_task is None
    referral = finding_referral(finding, user)
    now = timezone.localtime()
    body = "纪检监察机关" if user.org.is_supervision else "行政执法监督机构"
    files = Attachment.objects.restrict(user, "view").filter(finding=finding)
    context = {
        "finding": finding,
        "inspection": inspection,
        "content": content,
        "codes": ViolationCode.objects.restrict(user, "view")
        .filter(code__in=content.codes)
        .order_by("sort_order"),
        "files": attachment_items(files.select_related("uploaded_by")),
        "upload_form": (upload_form or AttachmentForm()) if may_upload else None,
        "accepted_types": ACCEPTED_LABELS,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "task": finding_task(finding, user),
        "task_exists": live_task is not None,
        "task_form": (task_form or RectificationForm(default_days=default_period()))
        if may_task
        else None,
        "referral": referral,
        "referral_status": status_label(referral.direction, referral.status) if referral else "",
        "referred": referral_known(finding, user),
        "may_refer": may_refer(user, finding)
        and finding.severity == Severity.SERIOUS
        and finding.referral_id is None,
        "refer_confirm": f"确认后将生成向{body}移送的问题线索草稿，预填本问题的内容并复制其证据"
        "材料，经审批后移送；每个问题只能移送一次，不能撤销。",
        "events": [
            {"event": e, "label": EVENT_LABELS.get(e.action, e.action)}
            for e in finding_events(finding, user)
        ],
        "error": error,
        "watermark": f"{user.display_name} {user.org.name} {now:%Y-%m-%d %H:%M}",
        "watermark_tiles": range(WATERMARK_TILES),
    }
    return render(request, "inspections/finding_detail.html", context, status=status)


@finding_page("GET")
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@finding_page("POST")
def finding_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one evidence file of the finding."""
    user: Any = request.user
    get_finding_for_user(user, pk)
    try:
        # Before the body is read: a declared size beyond the limit is 413 at once.
        refuse_oversized_upload(request, files=1)
    except FileTooLarge as refusal:
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        finding_attach(
            finding_id=pk,
            actor=user,
            file=request.FILES.get("file"),
            description=request.POST.get("description", ""),
        )
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        if not refusal.errors:
            return render_detail(request, pk, status=refusal.status, error=refusal.detail)
        _put_back(form, refusal)
        return render_detail(request, pk, status=refusal.status, upload_form=form)
    messages.success(request, "文件已加密保存。")
    return redirect(reverse("inspections:finding_detail", args=[pk]) + "#evidence")


@finding_page("POST")
def finding_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """下达整改任务 (organisers)."""
    user: Any = request.user
    form = RectificationForm(request.POST, default_days=default_period())
    form.is_valid()
    try:
        task = finding_rectification_create(finding_id=pk, actor=user, **form.service_fields())
    except InvalidInput as refusal:
        _put_back(form, refusal)
        return render_detail(request, pk, status=400, task_form=form)
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        return render_detail(request, pk, status=refusal.status, error=refusal.detail)
    messages.success(request, f"已下达整改任务，{task.period_days}日内整改并报告。")
    return redirect(reverse("inspections:finding_detail", args=[pk]) + "#task")


@finding_page("POST")
def finding_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """移送线索: a serious finding becomes a referral draft (第九条 严肃处理)."""
    user: Any = request.user
    try:
        referral = finding_referral_create(finding_id=pk, actor=user)
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        detail = "；".join(text for texts in refusal.errors.values() for text in texts)
        return render_detail(request, pk, status=refusal.status, error=detail or refusal.detail)
    messages.success(request, "已生成线索移送草稿，请核对、补充后提交审批。")
    return redirect("referrals:detail", pk=referral.pk)


urlpatterns = [
    path("findings/", finding_index, name="finding_list"),
    path("<int:pk>/findings/new/", finding_new, name="finding_create"),
    path("findings/<int:pk>/", finding_detail, name="finding_detail"),
    path("findings/<int:pk>/attachments/", finding_upload, name="finding_attach"),
    path("findings/<int:pk>/rectification/", finding_rectify, name="finding_rectification"),
    path("findings/<int:pk>/referral/", finding_refer, name="finding_referral"),
]
