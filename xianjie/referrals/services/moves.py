"""The transitions by name: the table of services, the fields each takes, and the single entry
point the pages and the API call. The moves themselves live in `sending.py` and `handling.py`,
and the path they all share in `path.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import Referral
from ..permissions import require_actor
from ..transitions import Transition, status_label
from .handling import (
    referral_close,
    referral_dispose,
    referral_feedback,
    referral_forward,
    referral_request_supplement,
    referral_return,
    referral_revise,
    referral_supplement,
)
from .sending import (
    referral_approve,
    referral_receive,
    referral_reject,
    referral_submit,
    referral_withdraw,
)

T = Transition


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
