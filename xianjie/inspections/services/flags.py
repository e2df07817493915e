"""A10 flags (第十三条（十）: 不执行或者不报告《行政执法监督通知书》和《行政执法监督决定书》).

The sweep flags the target unit of every issued act whose report deadline passed without the
unit's written report (the task's `submit`): once per act, whatever happens later. The issuing
org then either turns the flag into a referral to the commission in one step — a draft lead
pre-filled with the act, the missed deadline and the history, the evidence document attached —
which its clerk checks and submits as any other lead (第四条), or its leader dismisses the flag
with a reason (e.g. the delay was justified).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xianjie.accounts.models import Org, OrgKind, Role
from xianjie.calendar.models import Clock, ClockState
from xianjie.core.errors import InvalidInput, NotPermitted
from xianjie.core.statemachine import next_status
from xianjie.core.validation import clean_text
from xianjie.referrals.evidence import evidence_upload
from xianjie.referrals.models import EvidenceRole, Referral, Source, SubjectKind
from xianjie.referrals.services import referral_create
from xianjie.referrals.transitions import Direction

from ..flag_evidence import FILENAME, cn_date, cn_time, flag_evidence_docx
from ..models import ComplianceFlag, FlagStatus, Rectification, SupervisionAct
from ..selectors.supervision import (
    TaskHistory,
    act_task,
    get_flag_for_user,
    submitted_between,
    task_history,
)
from ..transitions import (
    ActStatus,
    FlagTransition,
    RectificationStatus,
    RectificationTransition,
)
from ._support import audit, people, tell
from .rectifications import CLOCK_KIND

AUDIT_LABELS = {
    "compliance_flag.raise": "A10标记·标记未按期报告",
    "compliance_flag.refer": "A10标记·移送纪检监察机关",
    "compliance_flag.dismiss": "A10标记·撤销标记",
}

FLAG_TABLE: dict[str, dict[str, str]] = {
    FlagStatus.OPEN: {
        FlagTransition.REFER: FlagStatus.REFERRED,
        FlagTransition.DISMISS: FlagStatus.DISMISSED,
    },
    FlagStatus.REFERRED: {},
    FlagStatus.DISMISSED: {},
}

CODE = "A10"
NORM = {
    "name": "《文水县行政执法监督与纪检监察监督工作衔接机制（试行）》",
    "clause": "第十三条第（十）项",
}
MAX_REASON = 200


def _lapsed_clocks(today: Any) -> Any:
    """Report deadlines of issued, unflagged acts that have passed: marked overdue by the sweep,
    finished late, or past due and not yet marked."""
    act_type = ContentType.objects.get_for_model(SupervisionAct)
    unflagged = SupervisionAct.objects.filter(status=ActStatus.ISSUED, flag__isnull=True)
    tasks = Rectification.objects.filter(
        source_type=act_type, source_id__in=unflagged.values("pk")
    ).exclude(status=RectificationStatus.CANCELLED)
    return (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Rectification),
            object_id__in=tasks.values("pk"),
            kind=CLOCK_KIND,
        )
        .filter(
            Q(state__in=(ClockState.OVERDUE, ClockState.MISSED))
            | Q(state=ClockState.RUNNING, due_date__lt=today)
        )
        .order_by("due_date", "id")
    )


def flags_raise(*, today: Any = None) -> int:
    """第十三条（十）: flag (A10) every unit that did not submit its written report on an issued
    notice or decision by the report deadline. Idempotent — one flag per act, ever — so the sweep
    may run any number of times; returns how many flags were raised."""
    today = today or timezone.localdate()
    raised = 0
    for clock in _lapsed_clocks(today):
        task = Rectification.objects.get(pk=clock.object_id)
        if submitted_between(task, clock.start_date, clock.due_date):
            continue
        with transaction.atomic():
            # The act's row lock makes two sweeps at once raise one flag, not two.
            act = (
                SupervisionAct.objects.select_for_update(of=("self",))
                .select_related("target_org")
                .get(pk=task.source_id)
            )
            if ComplianceFlag.objects.filter(act=act).exists():
                continue
            flag = ComplianceFlag.objects.create(
                act=act,
                org=act.target_org,
                code=CODE,
                due_date=clock.due_date,
                flagged_at=timezone.now(),
            )
            audit(
                None,
                "compliance_flag.raise",
                flag,
                act=act.pk,
                number=act.number,
                org=act.target_org_id,
                due=clock.due_date.isoformat(),
                status=flag.status,
            )
            tell(
                people([act.issuer_org_id], Role.CLERK, Role.LEADER),
                f"A10标记：{act.target_org.name}未按期书面报告{act.number}的整改（履行）情况",
                reverse("inspections:flag_detail", args=[flag.pk]),
                kind="compliance_flag",
            )
            raised += 1
    return raised


def _lock(flag_id: int) -> ComplianceFlag:
    return (
        ComplianceFlag.objects.select_for_update(of=("self",))
        .select_related(
            "act", "act__issuer_org", "act__target_org", "act__issued_by", "act__notice"
        )
        .get(pk=flag_id)
    )


def may_refer(user: Any, flag: ComplianceFlag) -> bool:
    """The issuing org's clerk drafts the lead (第四条: a clerk drafts every referral)."""
    return flag.act.issuer_org_id == user.org_id and user.has_role(Role.CLERK)


def may_dismiss(user: Any, flag: ComplianceFlag) -> bool:
    return flag.act.issuer_org_id == user.org_id and user.has_role(Role.LEADER)


def _commission(issuer: Org) -> Org:
    commission = (
        Org.objects.filter(kind=OrgKind.DISCIPLINE, region_id=issuer.region_id, is_active=True)
        .order_by("sort_order", "id")
        .first()
    )
    if commission is None:
        raise InvalidInput(errors={"receiver_org": ["本行政区划内没有在用的纪检监察机关。"]})
    return commission


def _facts(flag: ComplianceFlag, act: SupervisionAct, history: TaskHistory) -> str:
    """The facts of the lead, drawn from the records only: the act, the deadline, the trail."""
    kind = act.get_kind_display()
    lines = [
        f"{act.issuer_org.name}于{cn_date(act.issued_at)}向{act.target_org.name}制发《{kind}》"
        f"（{act.number}），指出存在的问题：{act.problem}",
        f"监督意见和要求：{act.requirement}",
        f"要求于{act.period_days}日内整改（履行）并书面报告，报告期限为{cn_date(flag.due_date)}。"
        f"截至{cn_date(timezone.localdate())}，{act.target_org.name}未在期限内书面报告整改（履行）"
        "情况，涉嫌第十三条第（十）项“不执行或者不报告《行政执法监督通知书》和《行政执法监督"
        "决定书》”。",
        "办理经过：",
        f"{cn_date(act.issued_at)}，{act.number}签发并送达，整改（履行）期限"
        f"{act.period_days}日，到期日{cn_date(flag.due_date)}；",
    ]
    lines += [
        f"{cn_time(event.at)}，{event.get_transition_display()}；"
        for event in history.events
        if event.transition != RectificationTransition.CREATE
    ]
    if history.reports:
        lines += [
            f"{cn_time(report.at)}，收到{report.get_kind_display()}；" for report in history.reports
        ]
    else:
        lines.append("期间未收到被监督单位的任何整改进展或整改（履行）报告。")
    lines.append(f"详见附件《{FILENAME.removesuffix('.docx')}》。")
    return "\n".join(lines)


def flag_refer(*, flag_id: int, actor: Any) -> Referral:
    """Turn an open flag into a draft lead to the commission of the region (第四条, 第十三条（十）),
    pre-filled and with the evidence document attached; the flag becomes 已移送 and points at it.
    The clerk then checks the draft and submits it for approval like any other lead."""
    visible = get_flag_for_user(actor, flag_id)
    if not may_refer(actor, visible):
        raise NotPermitted("只有制发机关的登记员可以将标记移送纪检监察机关。")
    with transaction.atomic():
        flag = _lock(visible.pk)
        status = next_status(
            FLAG_TABLE, flag.status, FlagTransition.REFER, label=FlagStatus(flag.status).label
        )
        act = flag.act
        task = act_task(act)
        if task is None:
            raise InvalidInput(errors={"act": ["该监督文书没有整改任务。"]})
        history = task_history(task)
        referral = referral_create(
            actor=actor,
            direction=Direction.TO_DISCIPLINE,
            receiver_org=_commission(act.issuer_org).pk,
            source=Source.SUPERVISION_CHECK,
            subjects=[{"kind": SubjectKind.AGENCY, "name": act.target_org.name}],
            facts=_facts(flag, act, history),
            norms=[NORM],
            violation_codes=[CODE],
            summary=f"{act.target_org.name}未按期书面报告{act.number}的整改（履行）情况（A10）",
        )
        flag.status, flag.referral = status, referral
        flag.handled_by, flag.handled_at = actor, timezone.now()
        flag.save(update_fields=["status", "referral", "handled_by", "handled_at"])
        audit(
            actor,
            "compliance_flag.refer",
            flag,
            act=act.pk,
            number=act.number,
            status=flag.status,
            referral=referral.pk,
        )
        # Last: a failure of the upload rolls the referral and the flag back with it.
        document = flag_evidence_docx(flag, act, task, history)
        evidence_upload(
            referral=referral,
            actor=actor,
            file=File(io.BytesIO(document), name=FILENAME),
            role=EvidenceRole.EVIDENCE,
            description=f"{act.number}及整改（履行）情况（系统生成）",
        )
    return referral


def flag_dismiss(*, flag_id: int, actor: Any, reason: str) -> ComplianceFlag:
    """The issuing org's leader closes an open flag without a referral, with the reason (e.g. the
    delay was justified); the reason stays on the flag, never in the audit log."""
    visible = get_flag_for_user(actor, flag_id)
    if not may_dismiss(actor, visible):
        raise NotPermitted("只有制发机关的审批领导可以撤销标记。")
    with transaction.atomic():
        flag = _lock(visible.pk)
        status = next_status(
            FLAG_TABLE, flag.status, FlagTransition.DISMISS, label=FlagStatus(flag.status).label
        )
        errors: dict[str, list[str]] = {}
        text = clean_text(
            reason, field="reason", label="撤销理由", limit=MAX_REASON, errors=errors, required=True
        )
        if errors:
            raise InvalidInput(errors=errors)
        flag.status, flag.reason = status, text
        flag.handled_by, flag.handled_at = actor, timezone.now()
        flag.save(update_fields=["status", "reason", "handled_by", "handled_at"])
        audit(
            actor,
            "compliance_flag.dismiss",
            flag,
            act=flag.act_id,
            number=flag.act.number,
            status=flag.status,
        )
        tell(
            people([flag.act.issuer_org_id], Role.CLERK),
            f"A10标记已撤销：{flag.act.number}",
            reverse("inspections:flag_detail", args=[flag.pk]),
            kind="compliance_flag",
        )
    return flag
