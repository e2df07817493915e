"""Sending a referral: submission, the leader's approval or rejection, withdrawal, and receipt."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xianjie.accounts.models import Role
from xianjie.core.errors import InvalidInput
from xianjie.documents.numbering import doc_number_allocate

from ..models import Referral
from ..transitions import Direction
from . import clocks
from ._support import label, tell
from .drafting import submit_problems
from .path import T, checked_text, run_move


def referral_submit(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """Submit a draft for the leader's approval; 第四条's contents must all be there."""

    def effect(referral: Referral) -> list[str]:
        if problems := submit_problems(referral):
            raise InvalidInput("移送材料不完整，请补齐以下内容（第四条）。", errors=problems)
        tell(referral, referral.sender_org_id, f"待审批：线索移送 {label(referral)}", Role.LEADER)
        return []

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.SUBMIT,
        comment=checked_text(comment, field="comment", what="说明", required=False),
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

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.APPROVE,
        comment=checked_text(comment, field="comment", what="审批意见", required=False),
        effect=effect,
    )


def referral_reject(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    def effect(referral: Referral) -> list[str]:
        tell(referral, referral.sender_org_id, f"审批未通过，请修改：{label(referral)}")
        return []

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.REJECT,
        comment=checked_text(comment, field="comment", what="退回修改的意见", required=True),
        effect=effect,
    )


def referral_withdraw(*, referral_id: Any, actor: Any, comment: str = "") -> Referral:
    """Withdrawn before receipt: the receipt clock lapses."""
    reason = checked_text(comment, field="comment", what="撤回理由", required=True)

    def effect(referral: Referral) -> list[str]:
        clocks.cancel(referral, actor, "移送单位已撤回")
        tell(referral, referral.receiver_org_id, f"已撤回：{referral.number}")
        return []

    return run_move(
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

    return run_move(
        referral_id=referral_id,
        actor=actor,
        transition=T.RECEIVE,
        comment=checked_text(comment, field="comment", what="说明", required=False),
        effect=effect,
    )
