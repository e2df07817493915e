"""Who may act on a referral, by side and role (CONTRACT.md "Who acts").

Visibility is decided by the access policy (policies.py): a user who cannot see a referral gets
404 before any of this is asked. These rules decide, for a user who can see it, whether the act is
theirs (else 403): the sending org's clerk drafts, submits, withdraws, revises, supplements and
closes; its leader approves or rejects; the receiving org's clerk receives and requests
supplements; its leader disposes, returns, forwards and feeds back.
"""

from __future__ import annotations

from typing import Any

from xianjie.accounts.models import Role
from xianjie.core.errors import NotPermitted

from .models import EvidenceRole, Referral
from .transitions import Status, Transition

SENDER = "sender"
RECEIVER = "receiver"

T = Transition

#: transition -> (side, roles that may perform it)
ACTORS: dict[str, tuple[str, frozenset[str]]] = {
    T.SUBMIT: (SENDER, frozenset({Role.CLERK})),
    T.APPROVE: (SENDER, frozenset({Role.LEADER})),
    T.REJECT: (SENDER, frozenset({Role.LEADER})),
    T.WITHDRAW: (SENDER, frozenset({Role.CLERK})),
    T.REVISE: (SENDER, frozenset({Role.CLERK})),
    T.SUPPLEMENT: (SENDER, frozenset({Role.CLERK})),
    T.CLOSE: (SENDER, frozenset({Role.CLERK})),
    T.RECEIVE: (RECEIVER, frozenset({Role.CLERK})),
    T.REQUEST_SUPPLEMENT: (RECEIVER, frozenset({Role.CLERK})),
    T.DISPOSE: (RECEIVER, frozenset({Role.LEADER})),
    T.RETURN: (RECEIVER, frozenset({Role.LEADER})),
    T.FORWARD: (RECEIVER, frozenset({Role.LEADER})),
    T.FEEDBACK: (RECEIVER, frozenset({Role.LEADER})),
}

#: Which files each side may upload, and in which status (CONTRACT.md "Files").
UPLOADS: dict[str, dict[str, frozenset[str]]] = {
    SENDER: {
        Status.DRAFT: frozenset({EvidenceRole.EVIDENCE, EvidenceRole.OTHER}),
        Status.AWAITING_SUPPLEMENT: frozenset({EvidenceRole.SUPPLEMENT}),
    },
    RECEIVER: {
        Status.HANDLING: frozenset({EvidenceRole.FEEDBACK_LETTER}),
    },
}


def side_of(user: Any, referral: Referral) -> str | None:
    if user.org_id is not None and user.org_id == referral.sender_org_id:
        return SENDER
    if user.org_id is not None and user.org_id == referral.receiver_org_id:
        return RECEIVER
    return None


def is_allowed(user: Any, referral: Referral, transition: str) -> bool:
    side, roles = ACTORS[transition]
    return side_of(user, referral) == side and user.has_role(*roles)


def require_actor(user: Any, referral: Referral, transition: str) -> None:
    if not is_allowed(user, referral, transition):
        raise NotPermitted(f"“{Transition(transition).label}”不由您办理。")


def may_edit_draft(user: Any, referral: Referral) -> bool:
    return side_of(user, referral) == SENDER and user.has_role(Role.CLERK)


def upload_roles(user: Any, referral: Referral) -> frozenset[str]:
    """The evidence roles `user` may upload to `referral` now (empty: none)."""
    side = side_of(user, referral)
    if side is None or not user.has_role(Role.CLERK, Role.LEADER):
        return frozenset()
    return UPLOADS[side].get(referral.status, frozenset())
