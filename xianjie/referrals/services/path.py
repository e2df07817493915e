"""The one path every referral transition runs (DOMAIN.md state machine, 第四条 to 第七条).

`run_move` fetches the referral through the access policy (404 when it is not visible), locks its
row, checks that the act is the user's (403) and that the table allows it from the current status
(409), applies the move's own effects, then writes the status-history row and the audit entry —
all in one transaction, notifications after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from xianjie.access.restrict import get_object_for_user
from xianjie.core.errors import InvalidInput

from ..models import Referral
from ..permissions import require_actor
from ..transitions import Transition, target_status
from ._support import audit, record_event

T = Transition
MAX_COMMENT = 2000
Effect = Callable[[Referral], list[str]]


def checked_text(value: Any, *, field: str, what: str, required: bool) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(errors={field: [f"请填写{what}。"]})
    if len(text) > MAX_COMMENT:
        raise InvalidInput(errors={field: [f"{what}不应超过{MAX_COMMENT}个字。"]})
    return text


def as_pk(value: Any) -> int | None:
    """An id given as a model, a number or its digits (form and API input); None otherwise."""
    text = str(getattr(value, "pk", value) if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def check_fields(*checks: Callable[[], Any]) -> list[Any]:
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


def run_move(
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
