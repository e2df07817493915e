"""Problems found by an inspection (督查发现问题, 第九条): recorded with their evidence, turned
into a rectification task for the unit (整改, 跟踪检查), and — for a serious violation of law or
discipline — into a referral in one step (第九条 "严肃处理").

Who acts: the organisers' clerks and leaders, and the inspectors of the unit's team, record
findings and attach evidence while the inspection is under way or reported; only the organisers
set rectification tasks; only an organiser's clerk refers a serious finding (the referral is a
draft of that clerk's org, sent through the referral's own approval). A finding that names an
officer (by registry entry or by name) is tier 3 (涉案类保密信息): the policy then shows it to
the organisers only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Officer, Org
from xianjie.catalog.selectors import resolve_codes
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted, merge_errors
from xianjie.core.validation import clean_text
from xianjie.referrals.models import Referral

from ..models import (
    Attachment,
    Finding,
    FindingEvent,
    Inspection,
    Rectification,
    RectificationKind,
    Severity,
)
from ..sealing import new_wrapped_key, seal, unseal
from ..selectors.findings import is_organiser, may_record, may_refer, open_task
from ..transitions import InspectionStatus
from ._support import audit, people, tell
from .attachments import attachment_upload, uploads_guard
from .finding_referrals import draft_referral
from .rectifications import rectification_create

#: A finding naming an officer's possible misconduct is 涉案类保密信息 (第十一条).
TIER_CASE = 3
#: Findings are recorded (and evidence attached) while the inspection is on (第九条).
RECORDING_STATUSES = (InspectionStatus.UNDER_WAY, InspectionStatus.REPORTED)

AUDIT_LABELS = {
    "finding.create": "督查发现问题·登记",
    "finding.view": "督查发现问题·查看涉案保密问题",
    "finding.attach": "督查发现问题·上传证据材料",
    "finding.rectification": "督查发现问题·下达整改任务",
    "finding.referral": "督查发现问题·移送问题线索",
}
#: Names of the finding events on its timeline.
EVENT_LABELS = {
    "create": "登记问题",
    "attach": "上传证据材料",
    "rectification": "下达整改任务",
    "referral": "移送问题线索",
}


# --- Shared steps.


def record_event(finding: Finding, actor: Any, action: str, **data: Any) -> FindingEvent:
    return FindingEvent.objects.create(
        finding=finding, at=timezone.now(), actor=actor, action=action, data=data
    )


def finding_title(finding: Finding) -> str:
    return unseal(finding, "title", finding.title_enc)


def _visible(actor: Any, finding_id: Any) -> Finding:
    return get_object_for_user(
        Finding.objects.select_related("inspection", "unit"), actor, "view", pk=finding_id
    )


def _locked(finding_id: int) -> Finding:
    """The finding row, locked until the transaction ends: of two people setting a task or a
    referral for the same finding at once, the second sees the first one's result."""
    return (
        Finding.objects.select_for_update().select_related("inspection", "unit").get(pk=finding_id)
    )


def _officer(
    value: Any, actor: Any, unit_id: int | None, errors: dict[str, list[str]]
) -> Officer | None:
    if value in (None, ""):
        return None
    wanted = str(getattr(value, "pk", value)).strip()
    officer = None
    if wanted.isascii() and wanted.isdigit():
        officer = (
            Officer.objects.restrict(actor, "view").select_related("org").filter(pk=wanted).first()
        )
    if officer is None:
        errors.setdefault("officer", []).append("执法人员不存在。")
    elif unit_id is not None and unit_id not in (officer.org_id, officer.org.parent_id):
        errors.setdefault("officer", []).append("该执法人员不属于所选被检查单位。")
    return officer


def _unit(value: Any, inspection: Inspection, errors: dict[str, list[str]]) -> Org | None:
    if value in (None, ""):
        errors["unit"] = ["请选择被检查单位。"]
        return None
    wanted = str(getattr(value, "pk", value)).strip()
    unit = None
    if wanted.isascii() and wanted.isdigit():
        row = inspection.units.select_related("org").filter(org_id=wanted).first()
        unit = row.org if row is not None else None
    if unit is None:
        errors["unit"] = ["被检查单位应为本次督查的被检查单位之一。"]
    return unit


# --- The referral of a serious finding (第九条 严肃处理), pre-filled from the finding.

#: "《中华人民共和国行政处罚法》第三十九条第一款" → the law's name and its clause.
# --- Services.


def finding_create(
    *,
    inspection_id: Any,
    actor: Any,
    unit: Any,
    severity: str,
    title: str,
    description: str,
    basis: str = "",
    violation_codes: Iterable[str] = (),
    officer: Any = None,
    officer_name: str = "",
) -> Finding:
    """Record one problem found by the inspection (第九条). Refusals, in this order: 404 the
    inspection is not visible; 403 the user neither organises it nor sits on one of its teams;
    409 the inspection is not under way or reported; 400 every bad field; 403 an inspector
    recording for a unit that is not their team's."""
    inspection = get_object_for_user(Inspection.objects.all(), actor, "view", pk=inspection_id)
    if not may_record(actor, inspection):
        raise NotPermitted("只有组织单位和检查组成员可以登记督查发现的问题。")
    if inspection.status not in RECORDING_STATUSES:
        raise Conflict("督查尚未开始或已经结束，不能登记问题。")
    errors: dict[str, list[str]] = {}
    org = _unit(unit, inspection, errors)
    if severity not in Severity.values:
        errors["severity"] = ["请选择严重程度（一般或严重）。"]
    title = clean_text(
        title, field="title", label="问题概述", limit=100, errors=errors, required=True
    )
    description = clean_text(
        description, field="description", label="问题描述", limit=5000, errors=errors, required=True
    )
    basis = clean_text(basis, field="basis", label="依据", limit=2000, errors=errors)
    named = _officer(officer, actor, org.pk if org else None, errors)
    officer_name = clean_text(
        officer_name or (named.name if named else ""),
        field="officer_name",
        label="涉及人员姓名",
        limit=50,
        errors=errors,
    )
    codes = []
    try:
        codes = resolve_codes(violation_codes or [])
    except InvalidInput as error:
        errors = merge_errors(errors, error.errors)
    if errors or org is None:
        raise InvalidInput(errors=errors)
    if not may_record(actor, inspection, org.pk):
        raise NotPermitted("您不是该单位检查组的成员，不能为其登记问题。")
    tier = TIER_CASE if officer_name else 2
    with transaction.atomic():
        # The inspection row is the lock that numbers its findings one after another.
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.status not in RECORDING_STATUSES:
            raise Conflict("督查尚未开始或已经结束，不能登记问题。")
        last = locked.findings.order_by("-sequence").values_list("sequence", flat=True).first()
        finding = Finding.objects.create(
            inspection=locked,
            unit=org,
            sequence=(last or 0) + 1,
            tier=tier,
            severity=severity,
            officer=named,
            wrapped_key=new_wrapped_key(),
            created_by=actor,
        )
        finding.title_enc = seal(finding, "title", title)
        finding.description_enc = seal(finding, "description", description)
        finding.basis_enc = seal(finding, "basis", basis)
        finding.officer_name_enc = seal(finding, "officer_name", officer_name)
        finding.save(
            update_fields=["title_enc", "description_enc", "basis_enc", "officer_name_enc"]
        )
        finding.violation_codes.set(codes)
        record_event(finding, actor, "create", tier=tier, severity=severity)
        audit(
            actor,
            "finding.create",
            finding,
            tier=tier,
            inspection=locked.pk,
            unit=org.pk,
            sequence=finding.sequence,
            severity=severity,
            codes=[vc.code for vc in codes],
        )
        # The organisers hear of findings their inspectors record; the title names the
        # inspection and the number only, never the finding's content.
        tell(
            people(locked.organisers.values_list("pk", flat=True)).exclude(pk=actor.pk),
            f"《{locked.title}》登记了问题{finding.sequence}",
            reverse("inspections:finding_detail", args=[finding.pk]),
        )
    return finding


def finding_view_record(*, finding: Finding, actor: Any) -> None:
    """第十一条: every view of tier 3 is audited — a finding naming an officer, once per opening.
    Tier 2 findings are not (they are 重要信息, not case material)."""
    if finding.tier == TIER_CASE:
        with transaction.atomic():
            audit(actor, "finding.view", finding, tier=TIER_CASE, sequence=finding.sequence)


def finding_attach(*, finding_id: Any, actor: Any, file: Any, description: str = "") -> Attachment:
    """Keep one evidence file of a finding, encrypted (the people who record findings, while the
    inspection is not closed)."""
    finding = _visible(actor, finding_id)
    if not may_record(actor, finding.inspection, finding.unit_id):
        raise NotPermitted("只有组织单位和该单位检查组成员可以上传证据材料。")
    with uploads_guard(), transaction.atomic():
        locked = _locked(finding.pk)
        if locked.inspection.status not in RECORDING_STATUSES:
            raise Conflict("督查已经结束，不能再上传证据材料。")
        attachment = attachment_upload(
            finding=locked, file=file, description=description, actor=actor
        )
        record_event(locked, actor, "attach", attachment=attachment.pk)
        audit(actor, "finding.attach", locked, tier=locked.tier, attachment=attachment.pk)
    return attachment


def finding_rectification_create(
    *,
    finding_id: Any,
    actor: Any,
    requirement: str,
    title: str = "",
    period_days: Any = None,
) -> Rectification:
    """第九条 督促整改: a task for the unit, checked by the organisers (跟踪检查), with its clock
    — by default the "rectification" time limit (30 days). One per finding; a cancelled task may
    be replaced."""
    finding = _visible(actor, finding_id)
    if not is_organiser(actor, finding.inspection):
        raise NotPermitted("只有督查组织单位可以下达整改任务。")
    with transaction.atomic():
        locked = _locked(finding.pk)
        if open_task(locked) is not None:
            raise Conflict("该问题已下达整改任务。")
        task = rectification_create(
            kind=RectificationKind.FINDING,
            source=locked,
            unit=locked.unit,
            overseers=locked.inspection.organisers.all(),
            title=title or finding_title(locked),
            requirement=requirement,
            basis=unseal(locked, "basis", locked.basis_enc),
            period_days=period_days,
            actor=actor,
        )
        record_event(locked, actor, "rectification", task=task.pk)
        audit(actor, "finding.rectification", locked, tier=locked.tier, task=task.pk)
    return task


def finding_referral_create(*, finding_id: Any, actor: Any) -> Referral:
    """第九条 "严重违法违纪的行为，要依法依规严肃处理": a serious finding becomes a referral
    draft of the actor's org in one step, pre-filled and with the finding's evidence copied
    (referrals.services.drafting checks and seals it); the two are linked both ways."""
    finding = _visible(actor, finding_id)
    if not may_refer(actor, finding):
        raise NotPermitted("只有督查组织单位的登记员可以将问题移送线索。")
    if finding.severity != Severity.SERIOUS:
        raise Conflict("只有严重问题可以移送线索；一般问题请下达整改任务。")
    with transaction.atomic():
        locked = _locked(finding.pk)
        if locked.referral_id is not None:
            raise Conflict("该问题已移送线索。")
        referral = draft_referral(locked, actor)
        locked.referral = referral
        locked.save(update_fields=["referral"])
        record_event(locked, actor, "referral", referral=referral.pk)
        audit(
            actor,
            "finding.referral",
            locked,
            tier=TIER_CASE,
            referral=referral.pk,
            direction=referral.direction,
        )
    return referral
