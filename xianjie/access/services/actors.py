"""Who acts on an access request (第十一条 严格审批共享), and when.

Visibility is the access policy's (policies.py): a user who cannot see a request gets 404 before
any of this is asked. For a user who can, these rules decide whether the act is theirs (else
403) and whether the request's status allows it now (else 409):

- the requester withdraws while it waits for an approval;
- a leader of the requester's org approves or refuses first, then a leader of the org that owns
  the item approves or refuses — never the requester, so nobody approves their own request;
- a leader of the owner org revokes a running grant.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xianjie.accounts.models import Role
from xianjie.core.errors import Conflict, NotPermitted
from xianjie.core.statemachine import next_status

from ..models import AccessRequest
from ..transitions import REQUEST_TABLE, RequestStatus, RequestTransition

S, T = RequestStatus, RequestTransition

#: The moves a person makes; `expire` is the sweep's.
USER_TRANSITIONS = (T.APPROVE, T.REJECT, T.WITHDRAW, T.REVOKE)

#: The fields each move takes besides the request and the actor (pages and API).
FIELDS: dict[str, tuple[str, ...]] = {
    T.APPROVE: ("comment",),
    T.REJECT: ("reason",),
    T.WITHDRAW: (),
    T.REVOKE: ("reason",),
}


def _leader_of(user: Any, org_id: int) -> bool:
    return user.org_id is not None and user.org_id == org_id and user.has_role(Role.LEADER)


def approving_org_id(request: AccessRequest) -> int | None:
    """The org whose leader's approval is due now, if any."""
    if request.status == S.PENDING_OWN:
        return request.requester_org_id
    if request.status == S.PENDING_OWNER:
        return request.owner_org_id
    return None


def may_act(user: Any, request: AccessRequest, transition: str) -> bool:
    if user.pk == request.requester_id:
        return transition == T.WITHDRAW
    if transition in (T.APPROVE, T.REJECT):
        due = approving_org_id(request)
        if due is not None:
            return _leader_of(user, due)
        # Decided already: the leaders of either side are told it is too late (409), not 403.
        return _leader_of(user, request.requester_org_id) or _leader_of(user, request.owner_org_id)
    if transition == T.REVOKE:
        return _leader_of(user, request.owner_org_id)
    return False


def is_live(request: AccessRequest) -> bool:
    """A grant whose period is running at this moment (grants.grant_open decides the same)."""
    return (
        request.status == S.GRANTED
        and request.expires_at is not None
        and request.expires_at > timezone.now()
    )


def status_allows(request: AccessRequest, transition: str) -> bool:
    if transition not in REQUEST_TABLE[request.status]:
        return False
    # A grant past its end is closed already, even before the sweep marks it expired.
    return transition != T.REVOKE or is_live(request)


def transitions_for(user: Any, request: AccessRequest) -> list[tuple[str, str]]:
    """The moves `user` may make now, with their Chinese labels (the detail page's buttons)."""
    return [
        (name, T(name).label)
        for name in USER_TRANSITIONS
        if status_allows(request, name) and may_act(user, request, name)
    ]


def require_actor(user: Any, request: AccessRequest, transition: str) -> None:
    if not may_act(user, request, transition):
        raise NotPermitted(f"“{T(transition).label}”不由您办理。")


def require_status(request: AccessRequest, transition: str) -> str:
    """The status after `transition`, or 409 naming the current status in Chinese."""
    label = S(request.status).label
    if request.status == S.GRANTED and transition == T.REVOKE and not is_live(request):
        raise Conflict("该授权已到期关闭，无需收回。")
    try:
        return next_status(REQUEST_TABLE, request.status, transition)
    except Conflict:
        raise Conflict(f"调阅申请当前状态为“{label}”，不能{T(transition).label}。") from None
