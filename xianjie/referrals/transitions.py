"""The referral state machine of DOMAIN.md, one table for both directions (第三条 to 第七条).

Transitions are data: `TABLE[status][transition] -> next status`. The two places where the
directions differ are spelled out beside the table: receipt of a fault (to_supervision) starts
verification at once (第七条 立即), and disposal by the four methods or 立案 exists only for leads
to the commission (第五条 and 监察法实施条例).
"""

from __future__ import annotations

from django.db import models

from xianjie.core.errors import Conflict


class Direction(models.TextChoices):
    TO_DISCIPLINE = "to_discipline", "移送纪检监察机关"
    TO_SUPERVISION = "to_supervision", "移送行政执法监督机构"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING_APPROVAL = "pending_approval", "待审批"
    SENT = "sent", "已移送"
    RECEIVED = "received", "已签收"
    AWAITING_SUPPLEMENT = "awaiting_supplement", "待补充材料"
    HANDLING = "handling", "办理中"
    FED_BACK = "fed_back", "已反馈"
    CLOSED = "closed", "已办结"
    RETURNED = "returned", "已退回"
    FORWARDED = "forwarded", "已转办"
    WITHDRAWN = "withdrawn", "已撤回"


class Transition(models.TextChoices):
    CREATE = "create", "登记"
    SUBMIT = "submit", "提交审批"
    APPROVE = "approve", "批准移送"
    REJECT = "reject", "退回修改"
    WITHDRAW = "withdraw", "撤回"
    RECEIVE = "receive", "签收"
    DISPOSE = "dispose", "处置"
    RETURN = "return", "退回"
    FORWARD = "forward", "转办"
    REQUEST_SUPPLEMENT = "request_supplement", "要求补充材料"
    SUPPLEMENT = "supplement", "补充材料"
    FEEDBACK = "feedback", "书面反馈"
    REVISE = "revise", "修改后重新移送"
    CLOSE = "close", "办结"


S, T = Status, Transition

#: The one table. `supplement` returns to the status saved when the supplement was requested.
TABLE: dict[str, dict[str, str]] = {
    S.DRAFT: {T.SUBMIT: S.PENDING_APPROVAL},
    S.PENDING_APPROVAL: {T.APPROVE: S.SENT, T.REJECT: S.DRAFT},
    S.SENT: {T.WITHDRAW: S.WITHDRAWN, T.RECEIVE: S.RECEIVED},
    S.RECEIVED: {
        T.DISPOSE: S.HANDLING,
        T.RETURN: S.RETURNED,
        T.FORWARD: S.FORWARDED,
        T.REQUEST_SUPPLEMENT: S.AWAITING_SUPPLEMENT,
    },
    S.HANDLING: {
        T.RETURN: S.RETURNED,
        T.FORWARD: S.FORWARDED,
        T.REQUEST_SUPPLEMENT: S.AWAITING_SUPPLEMENT,
        T.FEEDBACK: S.FED_BACK,
    },
    S.AWAITING_SUPPLEMENT: {T.SUPPLEMENT: S.HANDLING},
    S.RETURNED: {T.REVISE: S.DRAFT, T.CLOSE: S.CLOSED},
    S.FED_BACK: {T.CLOSE: S.CLOSED},
    S.CLOSED: {},
    S.FORWARDED: {},
    S.WITHDRAWN: {},
}

#: Statuses in which a referral is still open (counted as "open" for duplicate warnings).
OPEN_STATUSES = frozenset(
    {S.DRAFT, S.PENDING_APPROVAL, S.SENT, S.RECEIVED, S.AWAITING_SUPPLEMENT, S.HANDLING}
)


def table_for(direction: str) -> dict[str, dict[str, str]]:
    """The table as it applies to one direction.

    第七条: a fault sent to a supervision body is under verification (核查) the moment it is
    received, so `receive` leads straight to `handling` and there is no separate disposal.
    """
    if direction == Direction.TO_DISCIPLINE:
        return TABLE
    adjusted = {status: dict(moves) for status, moves in TABLE.items()}
    adjusted[S.SENT][T.RECEIVE] = S.HANDLING
    del adjusted[S.RECEIVED][T.DISPOSE]
    return adjusted


def target_status(direction: str, status: str, transition: str, *, resume_to: str = "") -> str:
    """The status after `transition`, or Conflict (409) when the table does not allow it; the
    message names both in Chinese (the user sees it)."""
    moves = table_for(direction).get(status, {})
    if transition not in moves:
        move = Transition(transition).label if transition in Transition.values else transition
        raise Conflict(f"当前状态（{status_label(direction, status)}）下不能“{move}”。")
    if transition == T.SUPPLEMENT and resume_to:
        return resume_to
    return moves[transition]


def status_label(direction: str, status: str) -> str:
    """Chinese label; `handling` of a fault reads 核查中 (第七条 核查)."""
    if status == S.HANDLING and direction == Direction.TO_SUPERVISION:
        return "核查中"
    return Status(status).label
