"""The transitions of a referral, one service each (DOMAIN.md state machine, 第四条 to 第七条).

Every move runs the same path (`_move`): fetch the referral through the access policy (404 when
it is not visible), lock its row, check that the act is the user's (403) and that the table allows
it from the current status (409), apply the move's own effects, then write the status-history row
and the audit entry — all in one transaction, notifications after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind, Role
from xianjie.core.errors import InvalidInput
from xianjie.documents.numbering import doc_number_allocate

from ..models import DisposalMethod, Evidence, EvidenceRole, Referral
from ..permissions import require_actor
from ..sealing import seal
from ..transitions import Direction, Transition, status_label, target_status
from . import clocks
from ._support import audit, label, record_event, tell
from .drafting import submit_problems

T = Transition
MAX_COMMENT = 2000
Effect = Callable[[Referral], list[str]]


def _text(value: Any, *, field: str, what: str, required: bool) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(errors={field: [f"请填写{what}。"]})
    if len(text) > MAX_COMMENT:
        raise InvalidInput(errors={field: [f"{what}不应超过{MAX_COMMENT}个字。"]})
    return text


def _pk(value: Any) -> int | None:
    """An id given as a model, a number or its digits (form and API input); None otherwise."""
    text = str(getattr(value, "pk", value) if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _fields(*checks: Callable[[], Any]) -> list[Any]:
    """Run each field check; InvalidInput listing every bad field at once (house rule 1)."""
    values, errors = [], {}
    for check in checks:
        try:
            values.append(check())
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(errors=errors)
    return values


def _move(
    *,
    referral_id: Any,
    actor: Any,
    transition: str,
    comment: str = "",
    effect: Effect | None = None,
    data: dict[str, Any] | None = None,
) -> Referral:
    with transaction.atomic():
        referral = get_object_for_user(
            Referral.objects.select_for_update(of=("self",)), actor, "view", pk=referral_id
        )
        require_actor(actor, referral, transition)
        before = referral.status
        referral.status = target_status(
            referral.direction, before, transition, resume_to=referral.resume_status
        )
        if transition == T.REQUEST_SUPPLEMENT:
            # `supplement` returns to the status the referral had when material was requested.
            referral.resume_status = before
        changed = effect(referral) if effect else []
        referral.save(update_fields=["status", "updated_at", *changed])
        record_event(
            referral=referral,
            actor=actor,
            transition=transition,
            from_status=before,
            comment=comment,
            data=data,
        )
        audit(referral, actor, transition, previous=before, **(data or {}))
    return referral


def referral_submit(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """Submit a draft for the leader's approval; 第四条's contents must all be there."""

    def effect(referral: Referral) -> list[str]:
        if problems := submit_problems(referral):
            raise InvalidInput("移送材料不完整，请补齐以下内容（第四条）。", errors=problems)
        tell(referral, referral.sender_org_id, f"待审批：线索移送 {label(referral)}", Role.LEADER)
        return []

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.SUBMIT,
        comment=_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )


def referral_approve(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """The leader approves: the referral gets its 文号 and goes out; the receipt clock starts."""

    def effect(referral: Referral) -> list[str]:
        if not referral.number:
            referral.number = doc_number_allocate(
                org=referral.sender_org, doc_type="referral", year=timezone.localdate().year
            )
        referral.sent_at = timezone.now()
        first = (
            clocks.RECEIVE if referral.direction == Direction.TO_DISCIPLINE else clocks.VERIFY_START
        )
        clocks.start(referral, first, actor)
        tell(
            referral,
            referral.receiver_org_id,
            f"待签收：{referral.number}",
            Role.CLERK,
            Role.LEADER,
        )
        tell(referral, referral.sender_org_id, f"已批准移送：{referral.number}")
        return ["number", "sent_at"]

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.APPROVE,
        comment=_text(comment, field="comment", what="审批意见", required=False),
        effect=effect,
    )


def referral_reject(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    def effect(referral: Referral) -> list[str]:
        tell(referral, referral.sender_org_id, f"审批未通过，请修改：{label(referral)}")
        return []

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.REJECT,
        comment=_text(comment, field="comment", what="退回修改的意见", required=True),
        effect=effect,
    )


def referral_withdraw(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """Withdrawn before receipt: the receipt clock lapses."""
    reason = _text(comment, field="comment", what="撤回理由", required=True)

    def effect(referral: Referral) -> list[str]:
        clocks.cancel(referral, actor, "移送单位已撤回")
        tell(referral, referral.receiver_org_id, f"已撤回：{referral.number}")
        return []

    return _move(
        referral_id=referral_id, actor=actor, transition=T.WITHDRAW, comment=reason, effect=effect
    )


def referral_receive(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """Receipt (回执). 第五条: the commission then reviews and decides — its disposal and
    jurisdiction clocks start. 第七条: for a fault, receipt starts verification at once (核查中)."""

    def effect(referral: Referral) -> list[str]:
        referral.received_at = timezone.now()
        clocks.finish(referral, actor, clocks.RECEIVE, clocks.VERIFY_START)
        if referral.direction == Direction.TO_DISCIPLINE:
            clocks.start(referral, clocks.RETURN_OR_FORWARD, actor)
            clocks.start(referral, clocks.DISPOSAL, actor)
        else:
            clocks.start(referral, clocks.FEEDBACK, actor)
        tell(referral, referral.sender_org_id, f"对方已签收：{referral.number}")
        return ["received_at"]

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.RECEIVE,
        comment=_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )


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

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.DISPOSE,
        comment=_text(comment, field="comment", what="处置意见", required=False),
        effect=effect,
        data={"method": method},
    )


def referral_return(*, referral_id: Any, actor: Any, reason: str) -> Referral:
    """第五条: a lead outside the commission's jurisdiction is returned *with reasons*."""
    reason = _text(reason, field="reason", what="退回理由", required=True)

    def effect(referral: Referral) -> list[str]:
        referral.return_reason_enc = seal(referral, "return_reason", reason)
        clocks.finish(referral, actor, clocks.RETURN_OR_FORWARD, clocks.DISPOSAL)
        clocks.cancel(referral, actor, "已退回移送单位")
        tell(
            referral, referral.sender_org_id, f"已退回：{referral.number}", Role.CLERK, Role.LEADER
        )
        return ["return_reason_enc"]

    return _move(
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
        if (found := _pk(target_org)) is None:
            raise InvalidInput(errors={"target_org": ["请选择有管辖权的接收单位。"]})
        return found

    reason, target_pk = _fields(
        lambda: _text(reason, field="reason", what="转办理由", required=True), target_id
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

    referral = _move(
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
    what = _text(what, field="what", what="需补充的材料", required=True)

    def effect(referral: Referral) -> list[str]:
        clocks.pause_all(referral, actor, "等待补充材料")
        tell(referral, referral.sender_org_id, f"请补充材料：{referral.number}")
        return ["resume_status"]

    return _move(
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

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.SUPPLEMENT,
        comment=_text(comment, field="comment", what="补充说明", required=False),
        effect=effect,
    )


def referral_feedback(*, referral_id: Any, actor: Any, result: str, document: Any) -> Referral:
    """Written feedback of the result (第五条 反馈; 第七条 书面反馈核查及处置结果): a result
    and a document — an uploaded signed letter — never a status alone."""

    def document_id() -> int:
        if (found := _pk(document)) is None:
            raise InvalidInput(errors={"document": ["请上传并选择书面反馈函。"]})
        return found

    result, document_pk = _fields(
        lambda: _text(result, field="result", what="处理结果", required=True), document_id
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

    return _move(
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

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.REVISE,
        comment=_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )


def referral_close(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    def effect(referral: Referral) -> list[str]:
        referral.closed_at = timezone.now()
        return ["closed_at"]

    return _move(
        referral_id=referral_id,
        actor=actor,
        transition=T.CLOSE,
        comment=_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )


SERVICES: dict[str, Callable[..., Referral]] = {
    T.SUBMIT: referral_submit,
    T.APPROVE: referral_approve,
    T.REJECT: referral_reject,
    T.WITHDRAW: referral_withdraw,
    T.RECEIVE: referral_receive,
    T.DISPOSE: referral_dispose,
    T.RETURN: referral_return,
    T.FORWARD: referral_forward,
    T.REQUEST_SUPPLEMENT: referral_request_supplement,
    T.SUPPLEMENT: referral_supplement,
    T.FEEDBACK: referral_feedback,
    T.REVISE: referral_revise,
    T.CLOSE: referral_close,
}

#: The fields each transition takes besides the referral and the actor.
FIELDS: dict[str, tuple[str, ...]] = {
    T.SUBMIT: ("comment",),
    T.APPROVE: ("comment",),
    T.REJECT: ("comment",),
    T.WITHDRAW: ("comment",),
    T.RECEIVE: ("comment",),
    T.DISPOSE: ("method", "comment"),
    T.RETURN: ("reason",),
    T.FORWARD: ("target_org", "reason"),
    T.REQUEST_SUPPLEMENT: ("what",),
    T.SUPPLEMENT: ("comment",),
    T.FEEDBACK: ("result", "document"),
    T.REVISE: ("comment",),
    T.CLOSE: ("comment",),
}


def referral_transition(*, referral_id: Any, name: str, actor: Any, **fields: Any) -> Referral:
    """Run the transition `name` with the fields it takes (the pages' and the API's entry point).

    Refusals come in the contract's order: an unknown move or an invisible referral is 404, a
    move that is not the user's is 403, and only then are the fields checked (400) — so nothing
    about a referral is answered to someone who may not see it. The move itself re-checks all of
    it under the row lock. A reason given as `comment` (or the reverse) is accepted where the move
    takes only one."""
    from xianjie.core.errors import NotFound

    from ..selectors import get_referral_for_user

    service = SERVICES.get(name)
    if service is None:
        raise NotFound(f"没有名为“{name}”的操作。")
    require_actor(actor, get_referral_for_user(actor, referral_id), name)
    wanted = FIELDS[name]
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    if "reason" in wanted and "reason" not in given and "comment" in given:
        given["reason"] = given.pop("comment")
    if "comment" in wanted and "comment" not in given and "reason" in given:
        given["comment"] = given.pop("reason")
    kwargs = {key: given.get(key, "") for key in wanted}
    return service(referral_id=referral_id, actor=actor, **kwargs)


def transitions_for(user: Any, referral: Referral) -> list[tuple[str, str]]:
    """The moves `user` may press now, with their Chinese labels (the detail page's buttons)."""
    from ..permissions import is_allowed
    from ..transitions import table_for

    moves = table_for(referral.direction).get(referral.status, {})
    return [(name, Transition(name).label) for name in moves if is_allowed(user, referral, name)]


__all__ = [
    "FIELDS",
    "SERVICES",
    "referral_transition",
    "status_label",
    "transitions_for",
]
