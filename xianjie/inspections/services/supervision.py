"""Supervision notices and decisions (行政执法监督通知书 / 决定书, 第十三条（十）).

第二条 says who supervises whom: the justice bureau, as 行政执法协调监督局, supervises every
enforcement org of its region; a department's legal unit (法制机构) supervises its own department
(its parent org). A clerk or leader of such a body drafts an act; its leader signs it (签发),
which allocates the 文号 and, in the same transaction, creates the rectification task whose clock
is the report deadline. A decision (责令限期履行 / 补正改正 / 撤销 / 确认违法) may follow a
notice that was not carried out in time; a notice that was carried out cannot be escalated.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind, Role
from xianjie.calendar.models import ClockState
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted
from xianjie.core.statemachine import next_status
from xianjie.core.validation import clean_text
from xianjie.documents.numbering import doc_number_allocate

from ..models import ActKind, DecisionType, RectificationKind, SupervisionAct
from ..selectors.supervision import act_task, get_act_for_user, task_clocks
from ..transitions import ACT_TABLE, ActStatus, ActTransition, RectificationStatus
from ._support import audit, clean_period, tell, unit_people
from .rectifications import default_period, rectification_create

AUDIT_LABELS = {
    "supervision_act.create": "监督文书·起草",
    "supervision_act.update": "监督文书·修改草稿",
    "supervision_act.issue": "监督文书·签发",
}

#: The 文号 type of each kind: 文司监通〔2026〕1号, 文司监决〔2026〕1号.
DOC_TYPES = {ActKind.NOTICE: "supervision_notice", ActKind.DECISION: "supervision_decision"}
#: Every act asks for a written report (第十三条（十）: 不执行或者不报告 is A10).
REPORT_CLAUSE = "并于期限内书面报告整改（履行）情况。"

MAX_PROBLEM = 5000
MAX_BASIS = 2000
#: The task's requirement is this text plus REPORT_CLAUSE, within the task's own 5000.
MAX_REQUIREMENT = 4000
EDITABLE = (
    "target_org",
    "problem",
    "basis",
    "requirement",
    "period_days",
    "decision_type",
    "notice",
)


def may_supervise(issuer: Org, target: Org) -> bool:
    """第二条: the justice bureau → any active enforcement org of its region; a department's
    legal unit → its own department only."""
    if target.kind != OrgKind.ENFORCEMENT or not target.is_active:
        return False
    if issuer.kind == OrgKind.JUSTICE:
        return target.region_id == issuer.region_id
    if issuer.kind == OrgKind.DEPT_SUPERVISION:
        return target.pk == issuer.parent_id
    return False


def supervised_orgs(issuer: Org) -> list[Org]:
    """The orgs `issuer` may send an act to (第二条), in the org tree's order."""
    if issuer.kind == OrgKind.JUSTICE:
        orgs = Org.objects.filter(
            kind=OrgKind.ENFORCEMENT, region_id=issuer.region_id, is_active=True
        )
    elif issuer.kind == OrgKind.DEPT_SUPERVISION and issuer.parent_id is not None:
        orgs = Org.objects.filter(pk=issuer.parent_id, kind=OrgKind.ENFORCEMENT, is_active=True)
    else:
        return []
    return list(orgs.order_by("sort_order", "id"))


def may_draft(user: Any) -> bool:
    """A clerk or leader of a supervision body (第二条) drafts acts."""
    return (
        user.org_id is not None
        and user.org.kind in SUPERVISION_KINDS
        and user.has_role(Role.CLERK, Role.LEADER)
    )


def may_edit(user: Any, act: SupervisionAct) -> bool:
    return act.issuer_org_id == user.org_id and user.has_role(Role.CLERK, Role.LEADER)


def may_issue(user: Any, act: SupervisionAct) -> bool:
    """Only the issuing org's leader signs (签发)."""
    return act.issuer_org_id == user.org_id and user.has_role(Role.LEADER)


def escalation_problem(notice: SupervisionAct, *, today: Any = None) -> str:
    """Why `notice` cannot be followed by a decision, or "" when it can: it must be issued and
    one of its task's report deadlines must have lapsed (overdue, or reported late). A notice
    reported on and closed in time was carried out; one still within its period has not been
    ignored yet."""
    if notice.kind != ActKind.NOTICE or notice.status != ActStatus.ISSUED:
        return "只能依据已签发的监督通知书制发监督决定书。"
    task = act_task(notice)
    if task is None:
        return "该通知书没有整改任务。"
    if task.status == RectificationStatus.CANCELLED:
        return "该通知书的整改任务已撤销，不能据此制发监督决定书。"
    today = today or timezone.localdate()
    lapsed = any(
        clock.state in (ClockState.OVERDUE, ClockState.MISSED)
        or (clock.state == ClockState.RUNNING and clock.due_date < today)
        for clock in task_clocks(task)
    )
    if lapsed:
        return ""
    if task.status == RectificationStatus.CLOSED:
        return "该通知书已按期整改销号（已执行），不能据此制发监督决定书。"
    if task.status == RectificationStatus.SUBMITTED:
        return "被监督单位已按期书面报告整改情况，待跟踪检查，不能据此制发监督决定书。"
    return "该通知书的整改期限尚未届满，不能据此制发监督决定书。"


def _id(value: Any) -> int | None:
    """A typed id: a number of sane size, else None (never a crash on what was typed)."""
    text = str(getattr(value, "pk", value) or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _target(value: Any, actor: Any, errors: dict[str, list[str]]) -> Org | None:
    if value in (None, ""):
        errors["target_org"] = ["请选择被监督单位。"]
        return None
    wanted = _id(value)
    org = Org.objects.filter(pk=wanted).first() if wanted is not None else None
    if org is None:
        errors["target_org"] = ["被监督单位不存在。"]
    elif not may_supervise(actor.org, org):
        if actor.org.kind == OrgKind.DEPT_SUPERVISION:
            errors["target_org"] = ["部门法制机构只能对本部门制发监督文书（第二条）。"]
        else:
            errors["target_org"] = ["只能对本行政区划内在用的行政执法机关制发监督文书（第二条）。"]
    return org


def _notice(
    value: Any, actor: Any, target: Org | None, errors: dict[str, list[str]]
) -> SupervisionAct | None:
    if value in (None, ""):
        return None
    wanted = _id(value)
    notice = (
        SupervisionAct.objects.filter(pk=wanted, issuer_org_id=actor.org_id).first()
        if wanted is not None
        else None
    )
    if notice is None or notice.kind != ActKind.NOTICE:
        errors["notice"] = ["未找到本机关制发的该监督通知书。"]
        return None
    if target is not None and notice.target_org_id != target.pk:
        errors["notice"] = ["监督决定书应送达原通知书的被监督单位。"]
    elif problem := escalation_problem(notice):
        errors["notice"] = [problem]
    return notice


def _validated(actor: Any, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Every bad field at once (house rule 6)."""
    errors: dict[str, list[str]] = {}
    if kind not in ActKind.values:
        errors["kind"] = ["文书类别应为行政执法监督通知书或行政执法监督决定书。"]
    target = _target(data.get("target_org"), actor, errors)
    cleaned: dict[str, Any] = {
        "target_org": target,
        "problem": clean_text(
            data.get("problem"),
            field="problem",
            label="存在的问题",
            limit=MAX_PROBLEM,
            errors=errors,
            required=True,
        ),
        "basis": clean_text(
            data.get("basis"),
            field="basis",
            label="依据",
            limit=MAX_BASIS,
            errors=errors,
            required=True,
        ),
        "requirement": clean_text(
            data.get("requirement"),
            field="requirement",
            label="监督意见和要求",
            limit=MAX_REQUIREMENT,
            errors=errors,
            required=True,
        ),
        # DOMAIN.md "Time limits": the rectification parameter (30 days) unless the act sets one.
        "period_days": clean_period(
            data.get("period_days"), field="period_days", errors=errors, default=default_period()
        ),
        "decision_type": str(data.get("decision_type") or "").strip(),
        "notice": None,
    }
    if kind == ActKind.DECISION:
        if not cleaned["decision_type"]:
            errors["decision_type"] = ["请选择决定类型。"]
        elif cleaned["decision_type"] not in DecisionType.values:
            allowed = "、".join(DecisionType.labels)
            errors["decision_type"] = [f"决定类型应为：{allowed}。"]
        cleaned["notice"] = _notice(data.get("notice"), actor, target, errors)
    elif kind == ActKind.NOTICE:
        if cleaned["decision_type"]:
            errors["decision_type"] = ["监督通知书不设决定类型。"]
        if data.get("notice"):
            errors["notice"] = ["监督通知书不依据其他通知书制发。"]
    if errors:
        raise InvalidInput(errors=errors)
    return cleaned


def act_create(
    *,
    actor: Any,
    kind: str,
    target_org: Any,
    problem: str,
    basis: str,
    requirement: str,
    period_days: Any = None,
    decision_type: str = "",
    notice: Any = None,
) -> SupervisionAct:
    """Draft a notice or a decision (第十三条（十）) as a clerk or leader of a supervision body."""
    if not may_draft(actor):
        raise NotPermitted("只有行政执法监督机构（司法局或部门法制机构）可以制发监督文书。")
    data = {
        "target_org": target_org,
        "problem": problem,
        "basis": basis,
        "requirement": requirement,
        "period_days": period_days,
        "decision_type": decision_type,
        "notice": notice,
    }
    cleaned = _validated(actor, str(kind or ""), data)
    with transaction.atomic():
        act = SupervisionAct.objects.create(
            kind=kind, issuer_org_id=actor.org_id, created_by=actor, **cleaned
        )
        audit(
            actor,
            "supervision_act.create",
            act,
            kind=act.kind,
            status=act.status,
            target=act.target_org_id,
            notice=act.notice_id,
        )
    return act


def act_update(*, act_id: int, actor: Any, **data: Any) -> SupervisionAct:
    """Edit a draft; fields not given keep their values. The issuing org only, only while 草稿."""
    visible = get_act_for_user(actor, act_id)
    if not may_edit(actor, visible):
        raise NotPermitted("只有制发机关可以修改监督文书草稿。")
    with transaction.atomic():
        act = SupervisionAct.objects.select_for_update().get(pk=visible.pk)
        if act.status != ActStatus.DRAFT:
            raise Conflict("监督文书已签发，不能修改。")
        merged: dict[str, Any] = {
            "target_org": act.target_org_id,
            "problem": act.problem,
            "basis": act.basis,
            "requirement": act.requirement,
            "period_days": act.period_days,
            "decision_type": act.decision_type,
            "notice": act.notice_id,
        }
        merged.update({key: value for key, value in data.items() if key in EDITABLE})
        cleaned = _validated(actor, act.kind, merged)
        for key, value in cleaned.items():
            setattr(act, key, value)
        act.save(update_fields=list(EDITABLE))
        audit(
            actor,
            "supervision_act.update",
            act,
            status=act.status,
            fields=sorted(key for key in data if key in EDITABLE),
        )
    return act


def _task_requirement(requirement: str) -> str:
    return requirement.rstrip("。；;，,. ") + "，" + REPORT_CLAUSE


def act_issue(*, act_id: int, actor: Any) -> SupervisionAct:
    """签发 (第十三条（十）): the issuing org's leader signs; the act gets its 文号 and the target
    unit a rectification task with the act's period, overseen by the issuing org."""
    visible = get_act_for_user(actor, act_id)
    if not may_issue(actor, visible):
        raise NotPermitted("只有制发机关的审批领导可以签发监督文书。")
    with transaction.atomic():
        act = (
            SupervisionAct.objects.select_for_update(of=("self",))
            .select_related("issuer_org", "target_org")
            .get(pk=visible.pk)
        )
        act.status = next_status(
            ACT_TABLE,
            act.status,
            ActTransition.ISSUE,
            label=ActStatus(act.status).label,
        )
        if not may_supervise(act.issuer_org, act.target_org):
            raise InvalidInput(errors={"target_org": ["被监督单位已不在本机关的监督范围内。"]})
        now = timezone.now()
        act.number = doc_number_allocate(
            org=act.issuer_org,
            doc_type=DOC_TYPES[ActKind(act.kind)],
            year=timezone.localdate().year,
        )
        act.issued_by, act.issued_at = actor, now
        act.save(update_fields=["status", "number", "issued_by", "issued_at"])
        task = rectification_create(
            kind=RectificationKind(act.kind),
            source=act,
            unit=act.target_org,
            overseers=[act.issuer_org],
            title=f"{act.number} {act.get_kind_display()}",
            requirement=_task_requirement(act.requirement),
            basis=act.basis,
            period_days=act.period_days,
            actor=actor,
        )
        audit(
            actor,
            "supervision_act.issue",
            act,
            kind=act.kind,
            status=act.status,
            number=act.number,
            target=act.target_org_id,
            task=task.pk,
            period_days=act.period_days,
        )
        tell(
            unit_people(act.target_org_id),
            f"收到{act.get_kind_display()}：{act.number}（{act.period_days}日内整改并书面报告）",
            reverse("inspections:act_detail", args=[act.pk]),
            kind="supervision_act",
        )
    return act
