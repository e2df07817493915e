"""/findings (CONTRACT.md "Other resources"): problems found by inspections (第九条), their
evidence files, the rectification task and the referral each may become.

Whatever the caller may not see answers 404, never 403 (第十一条): a tier 3 finding (naming an
officer) exists only for the organisers. A referral made of a finding is shown only to the
referral's parties.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from xianjie.calendar.selectors import clocks_of
from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.referrals.evidence import MAX_DESCRIPTION_CHARS
from xianjie.referrals.transitions import status_label

from ..models import Attachment, Finding, Rectification, Severity
from ..sealing import unseal
from ..selectors.findings import (
    finding_content,
    finding_events,
    finding_list,
    finding_referral,
    finding_task,
    get_finding_for_user,
    open_task,
)
from ..services.attachments import attachment_items, refuse_oversized_upload
from ..services.findings import (
    EVENT_LABELS,
    finding_attach,
    finding_create,
    finding_rectification_create,
    finding_referral_create,
    finding_view_record,
)

router = Router(tags=["联合法治督查与整改"])

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}
#: A finding's file: multipart `file` and an optional `description` (no `role`, unlike evidence).
ATTACHMENT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "文件"},
                    "description": {
                        "type": "string",
                        "maxLength": MAX_DESCRIPTION_CHARS,
                        "description": "说明（选填）",
                    },
                },
            }
        }
    },
}


class OrgRef(Schema):
    id: int
    name: str


class FindingListOut(Schema):
    id: int
    inspection: int
    inspection_title: str
    sequence: int
    unit: OrgRef
    severity: str
    severity_label: str
    tier: int = Field(
        ..., description="2 重要信息；3 涉案保密信息（涉及具体执法人员，仅组织单位可见）"
    )
    title: str
    has_task: bool
    created_at: datetime

    @staticmethod
    def resolve_inspection(obj: Finding) -> int:
        return obj.inspection_id

    @staticmethod
    def resolve_inspection_title(obj: Finding) -> str:
        return obj.inspection.title

    @staticmethod
    def resolve_severity_label(obj: Finding) -> str:
        return obj.get_severity_display()

    @staticmethod
    def resolve_title(obj: Finding) -> str:
        return unseal(obj, "title", obj.title_enc)


class AttachmentOut(Schema):
    id: int
    filename: str
    description: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    url: str


class TaskOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    period_days: int
    due_date: date | None


class ReferralRef(Schema):
    id: int
    number: str
    direction: str
    status: str
    status_label: str


class EventOut(Schema):
    at: datetime
    actor: str
    action: str
    label: str


class FindingOut(Schema):
    id: int
    inspection: int
    inspection_title: str
    sequence: int
    unit: OrgRef
    severity: str
    severity_label: str
    tier: int
    title: str
    description: str
    basis: str
    officer: int | None
    officer_name: str
    violation_codes: list[str]
    attachments: list[AttachmentOut]
    has_task: bool
    task: TaskOut | None = Field(None, description="整改任务（仅被检查单位和跟踪检查单位可见）")
    referral: ReferralRef | None = Field(None, description="移送的线索（仅移送双方可见）")
    events: list[EventOut]
    created_at: datetime


class FindingIn(Schema):
    inspection: int = Field(..., description="督查编号")
    unit: int | None = Field(None, description="被检查单位（机构编号）")
    severity: str = Field("", description="general 一般；serious 严重")
    title: str = Field("", description="问题概述")
    description: str = Field("", description="问题描述")
    basis: str = Field("", description="依据（法规名称及条款）")
    violation_codes: list[str] = Field(default_factory=list, description="问题类型代码")
    officer: int | None = Field(None, description="涉及的执法人员（执法人员库编号）")
    officer_name: str = Field("", description="涉及人员姓名（不在执法人员库中时）")


class RectificationIn(Schema):
    requirement: str = Field("", description="整改要求")
    title: str = Field("", description="任务名称，不填则使用问题概述")
    period_days: int | None = Field(None, description="整改期限（日），不填则为默认期限")


def _task(task: Rectification | None) -> dict[str, Any] | None:
    if task is None:
        return None
    clock = clocks_of(task).order_by("-id").first()
    return {
        "id": task.pk,
        "title": task.title,
        "status": task.status,
        "status_label": task.get_status_display(),
        "period_days": task.period_days,
        "due_date": clock.due_date if clock is not None else None,
    }


def _detail(finding: Finding, user: Any) -> dict[str, Any]:
    content = finding_content(finding)
    referral = finding_referral(finding, user)
    files = Attachment.objects.restrict(user, "view").filter(finding=finding)
    return {
        "id": finding.pk,
        "inspection": finding.inspection_id,
        "inspection_title": finding.inspection.title,
        "sequence": finding.sequence,
        "unit": finding.unit,
        "severity": finding.severity,
        "severity_label": finding.get_severity_display(),
        "tier": finding.tier,
        "title": content.title,
        "description": content.description,
        "basis": content.basis,
        "officer": finding.officer_id,
        "officer_name": content.officer_name,
        "violation_codes": content.codes,
        "attachments": attachment_items(files.select_related("uploaded_by")),
        "has_task": open_task(finding) is not None,
        "task": _task(finding_task(finding, user)),
        "referral": {
            "id": referral.pk,
            "number": referral.number,
            "direction": referral.direction,
            "status": referral.status,
            "status_label": status_label(referral.direction, referral.status),
        }
        if referral is not None
        else None,
        "events": [
            {
                "at": e.at,
                "actor": e.actor.display_name,
                "action": e.action,
                "label": EVENT_LABELS.get(e.action, e.action),
            }
            for e in finding_events(finding, user)
        ],
        "created_at": finding.created_at,
    }


INSPECTION = Query(None, description="督查编号")
UNIT = Query(None, description="被检查单位（机构编号）")
SEVERITY = Query(None, description="严重程度")
TIER = Query(None, ge=2, le=3, description="密级层级：2 或 3")
HAS_TASK = Query(None, description="true：已下达整改任务；false：未下达")


@router.get(
    "/findings",
    response={200: list[FindingListOut], **READ_ERRORS},
    summary="督查发现问题列表",
    description="组织单位看到全部问题；检查组和被检查单位只看到不涉及具体人员的问题（第十一条）。",
)
@paginate(PagePagination)
def finding_index(
    request: HttpRequest,
    inspection: int | None = INSPECTION,
    unit: int | None = UNIT,
    severity: Severity | None = SEVERITY,
    tier: int | None = TIER,
    has_task: bool | None = HAS_TASK,
) -> QuerySet[Finding]:
    filters = {
        "inspection": inspection,
        "unit": unit,
        "severity": severity,
        "tier": tier,
        "has_task": has_task,
    }
    return finding_list(api_user(request), filters)


@router.post(
    "/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    summary="登记督查发现的问题",
    description="组织单位的登记员、审批领导或该单位检查组成员登记，督查须在检查中或已报告问题"
    "（否则 409）。填写涉及的执法人员（officer 或 officer_name）的问题为涉案保密信息，仅组织"
    "单位可见。",
)
def finding_add(request: HttpRequest, payload: FindingIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    data = payload.model_dump()
    finding = finding_create(inspection_id=data.pop("inspection"), actor=user, **data)
    created = Finding.objects.select_related("inspection", "unit").get(pk=finding.pk)
    return Status(201, _detail(created, user))


@router.get(
    "/findings/{finding_id}",
    response={200: FindingOut, **DETAIL_ERRORS},
    summary="督查发现问题详情",
    description="涉案保密的问题每次查看都记入审计日志（第十一条）。",
)
def finding_show(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    user = api_user(request)
    finding = get_finding_for_user(user, finding_id)
    finding_view_record(finding=finding, actor=user)
    return _detail(finding, user)


@router.post(
    "/findings/{finding_id}/attachments",
    response={201: AttachmentOut, 413: ErrorOut, 415: ErrorOut, **WRITE_ERRORS},
    summary="上传问题的证据材料",
    description="multipart/form-data：file、description。组织单位和该单位检查组成员在督查结束前"
    "上传；按文件内容识别类型，其他类型 415；超过大小上限 413。",
    openapi_extra={"requestBody": ATTACHMENT_BODY},
)
def finding_upload(request: HttpRequest, finding_id: int) -> Status[Any]:
    user = api_user(request)
    get_finding_for_user(user, finding_id)
    refuse_oversized_upload(request, files=1)
    attachment = finding_attach(
        finding_id=finding_id,
        actor=user,
        file=request.FILES.get("file"),
        description=request.POST.get("description", ""),
    )
    return Status(201, attachment_items([attachment])[0])


@router.post(
    "/findings/{finding_id}/rectification",
    response={201: TaskOut, **WRITE_ERRORS},
    summary="下达整改任务",
    description="督查组织单位下达，由组织单位跟踪检查；每个问题一个任务（已有未撤销的任务 409）。"
    "期限默认为“整改”时限（30日）。",
)
def finding_rectify(request: HttpRequest, finding_id: int, payload: RectificationIn) -> Status[Any]:
    task = finding_rectification_create(
        finding_id=finding_id, actor=api_user(request), **payload.model_dump()
    )
    return Status(201, _task(task))


@router.post(
    "/findings/{finding_id}/referral",
    response={201: ReferralRef, **WRITE_ERRORS},
    summary="严重问题移送线索",
    description="第九条：组织单位的登记员将严重问题生成线索移送草稿（预填问题内容、复制证据材料），"
    "再按线索移送流程提交审批。一般问题或已移送的问题 409。",
)
def finding_refer(request: HttpRequest, finding_id: int) -> Status[Any]:
    referral = finding_referral_create(finding_id=finding_id, actor=api_user(request))
    return Status(
        201,
        {
            "id": referral.pk,
            "number": referral.number,
            "direction": referral.direction,
            "status": referral.status,
            "status_label": status_label(referral.direction, referral.status),
        },
    )
