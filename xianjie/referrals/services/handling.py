"""Handling a received referral: disposal, return, forwarding, supplements, written feedback, and
the sender's revision or closing (第五条, 第七条)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind, Role
from xianjie.core.errors import InvalidInput

from ..models import DisposalMethod, Evidence, EvidenceRole, Referral
from ..sealing import seal
from ..transitions import Direction
from . import clocks
from ._support import tell
from .path import T, as_pk, check_fields, checked_text, run_move


def referral_dispose(*, referral_id: Any, actor: Any, method: str, comment: str = "") -> Referral:
    """The commission's leader decides how to dispose of a lead (第五条; 监察法实施条例: 谈话函询,
    初步核实, 暂存待查, 予以了结, or 立案审查调查). Taking it up settles jurisdiction."""
    if method not in DisposalMethod.values:
        raise InvalidInput(
            errors={"method": ["请选择处置方式：" + "、".join(DisposalMethod.labels) + "。"]}
        )

    def effect(referral: Referral) -> list[str]:
        referral.disposal_method = method
        clocks.finish(referral, actor, clocks.DISPOSAL, clocks.RETURN_OR_FORWARD)
        clocks.start(referral, clocks.FEEDBACK, actor)
        tell(
            referral,
            referral.sender_org_id,
            f"已作出处置（{DisposalMethod(method).label}）：{referral.number}",
        )
        return ["disposal_method"]

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.DISPOSE,
        comment=checked_text(comment, field="comment", what="处置意见", required=False),
        effect=effect,
        data={"method": method},
    )


def referral_return(*, referral_id: Any, actor: Any, reason: str) -> Referral:
    """第五条: a lead outside the commission's jurisdiction is returned *with reasons*."""
    reason = checked_text(reason, field="reason", what="退回理由", required=True)

    def effect(referral: Referral) -> list[str]:
        referral.return_reason_enc = seal(referral, "return_reason", reason)
        clocks.finish(referral, actor, clocks.RETURN_OR_FORWARD, clocks.DISPOSAL)
        clocks.cancel(referral, actor, "已退回移送单位")
        tell(
            referral, referral.sender_org_id, f"已退回：{referral.number}", Role.CLERK, Role.LEADER
        )
        return ["return_reason_enc"]

    return run_move(
        referral_id=referral_id, actor=actor, transition=T.RETURN, comment=reason, effect=effect
    )


def _forward_target(referral: Referral, target_org: Any) -> Org:
    target = Org.objects.filter(pk=target_org, is_active=True).first()
    if target is None:
        raise InvalidInput(errors={"target_org": ["请选择有管辖权的接收单位。"]})
    wanted = (
        {OrgKind.DISCIPLINE} if referral.direction == Direction.TO_DISCIPLINE else SUPERVISION_KINDS
    )
    if target.kind not in wanted or target.pk in (referral.sender_org_id, referral.receiver_org_id):
        raise InvalidInput(errors={"target_org": ["转办对象应为其他有管辖权的同类机关。"]})
    return target


def referral_forward(*, referral_id: Any, actor: Any, target_org: Any, reason: str) -> Referral:
    """Forward (转办) to the competent org with reasons: a new referral goes to it, carrying the
    content and evidence; the original ends as 已转办 (监察法实施条例: within 5 working days)."""
    from .forwarding import copy_for_forward

    def target_id() -> int:
        if (found := as_pk(target_org)) is None:
            raise InvalidInput(errors={"target_org": ["请选择有管辖权的接收单位。"]})
        return found

    reason, target_pk = check_fields(
        lambda: checked_text(reason, field="reason", what="转办理由", required=True), target_id
    )

    def effect(referral: Referral) -> list[str]:
        target = _forward_target(referral, target_pk)
        clocks.finish(referral, actor, clocks.RETURN_OR_FORWARD, clocks.DISPOSAL)
        clocks.cancel(referral, actor, "已转办")
        forwarded = copy_for_forward(referral, target=target, actor=actor, reason=reason)
        tell(
            referral, referral.sender_org_id, f"已转办：{referral.number}", Role.CLERK, Role.LEADER
        )
        tell(forwarded, target.pk, f"待签收（转办）：{forwarded.number}", Role.CLERK, Role.LEADER)
        return []

    referral = run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.FORWARD,
        comment=reason,
        effect=effect,
        data={"target_org": target_pk},
    )
    return referral


def referral_request_supplement(*, referral_id: Any, actor: Any, what: str) -> Referral:
    """Ask the sender for more material; every clock stops until it arrives (DOMAIN.md)."""
    what = checked_text(what, field="what", what="需补充的材料", required=True)

    def effect(referral: Referral) -> list[str]:
        clocks.pause_all(referral, actor, "等待补充材料")
        tell(referral, referral.sender_org_id, f"请补充材料：{referral.number}")
        return ["resume_status"]

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.REQUEST_SUPPLEMENT,
        comment=what,
        effect=effect,
    )


def referral_supplement(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """The sender supplies the material: the referral returns to where it was, clocks resume."""

    def effect(referral: Referral) -> list[str]:
        requested = referral.events.filter(transition=T.REQUEST_SUPPLEMENT).order_by("-at").first()
        files = Evidence.objects.filter(referral=referral, role=EvidenceRole.SUPPLEMENT)
        if requested is not None:
            files = files.filter(uploaded_at__gte=requested.at)
        if not comment.strip() and not files.exists():
            raise InvalidInput(errors={"comment": ["请上传补充材料或填写补充说明。"]})
        referral.resume_status = ""
        clocks.resume_all(referral, actor, "已补充材料")
        tell(
            referral,
            referral.receiver_org_id,
            f"已补充材料：{referral.number}",
            Role.CLERK,
            Role.LEADER,
        )
        return ["resume_status"]

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.SUPPLEMENT,
        comment=checked_text(comment, field="comment", what="补充说明", required=False),
        effect=effect,
    )


def referral_feedback(*, referral_id: Any, actor: Any, result: str, document: Any) -> Referral:
    """Written feedback of the result (第五条 反馈; 第七条 书面反馈核查及处置结果): a result
    and a document — an uploaded signed letter — never a status alone."""

    def document_id() -> int:
        if (found := as_pk(document)) is None:
            raise InvalidInput(errors={"document": ["请上传并选择书面反馈函。"]})
        return found

    result, document_pk = check_fields(
        lambda: checked_text(result, field="result", what="处理结果", required=True), document_id
    )

    def effect(referral: Referral) -> list[str]:
        letter = Evidence.objects.filter(
            pk=document_pk, referral=referral, role=EvidenceRole.FEEDBACK_LETTER
        ).first()
        if letter is None:
            raise InvalidInput(errors={"document": ["反馈函应为本件已上传的反馈文书。"]})
        referral.result_enc = seal(referral, "result", result)
        referral.feedback_document = letter
        clocks.finish(referral, actor, clocks.FEEDBACK)
        tell(
            referral,
            referral.sender_org_id,
            f"已书面反馈：{referral.number}",
            Role.CLERK,
            Role.LEADER,
        )
        return ["result_enc", "feedback_document"]

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.FEEDBACK,
        effect=effect,
        data={"document": document_pk},
    )


def referral_revise(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """A returned referral goes back to draft to be corrected and sent again (or to the right
    body: the receiver may be changed while it is a draft)."""

    def effect(referral: Referral) -> list[str]:
        # Unsent again: no receiver sees it until it is sent again (第十一条) — least of all
        # another body it is now addressed to.
        referral.sent_at = None
        return ["sent_at"]

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.REVISE,
        comment=checked_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )


def referral_close(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    def effect(referral: Referral) -> list[str]:
        referral.closed_at = timezone.now()
        return ["closed_at"]

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.CLOSE,
        comment=checked_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )
