"""The state machine of an access request (调阅申请, 第十一条 严格审批共享), as data.

Filed → the requester's own leader approves (pending_own → pending_owner) → the leader of the org
that owns the item approves (pending_owner → granted). Either leader may refuse; the requester
may withdraw while it waits. A grant ends when the owner revokes it or its period runs out
(the sweep's `expire`); every end is final.
"""

from __future__ import annotations

from .models import RequestStatus, RequestTransition

S, T = RequestStatus, RequestTransition

REQUEST_TABLE: dict[str, dict[str, str]] = {
    S.PENDING_OWN: {T.APPROVE: S.PENDING_OWNER, T.REJECT: S.REJECTED, T.WITHDRAW: S.WITHDRAWN},
    S.PENDING_OWNER: {T.APPROVE: S.GRANTED, T.REJECT: S.REJECTED, T.WITHDRAW: S.WITHDRAWN},
    S.GRANTED: {T.REVOKE: S.REVOKED, T.EXPIRE: S.EXPIRED},
    S.REJECTED: {},
    S.WITHDRAWN: {},
    S.REVOKED: {},
    S.EXPIRED: {},
}

#: Waiting for an approval: the requester may still withdraw.
PENDING_STATUSES = (S.PENDING_OWN, S.PENDING_OWNER)
#: Ended for good: refused, withdrawn, revoked or expired.
CLOSED_STATUSES = tuple(status for status, moves in REQUEST_TABLE.items() if not moves)

__all__ = [
    "CLOSED_STATUSES",
    "PENDING_STATUSES",
    "REQUEST_TABLE",
    "RequestStatus",
    "RequestTransition",
]
