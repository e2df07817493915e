"""Using a grant (第十一条 严格审批共享): the one place that decides whether a grant opens its item.

A grant is an approved access request of the *requesting user* whose period has not ended and
that was not revoked. It opens exactly its item — `grant_open` hands back that one item via its
grantable, never a queryset — so a grant can never widen into lists or counts of other items,
which keep going through the items' own policies. Expiry is checked here against the clock, so a
grant closes at `expires_at` even before the sweep marks it expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xianjie.audit.services import audit_record
from xianjie.core.errors import NotFound

from .grantables import Grantable, grantable
from .models import AccessRequest, AccessUse, RequestStatus
from .restrict import get_object_for_user
from .tiers import Action, Tier


@dataclass(frozen=True)
class OpenGrant:
    grant: AccessRequest
    grantable: Grantable
    item: Any


def live_grants() -> Any:
    """Granted requests whose period is still running, at this moment."""
    return AccessRequest.objects.filter(status=RequestStatus.GRANTED, expires_at__gt=timezone.now())


def grant_open(*, request_id: Any, user: Any) -> OpenGrant:
    """The item of `user`'s own live grant `request_id`; NotFound (404) for anything else — a
    grant of someone else, a refused, revoked or expired one, or an item that no longer exists."""
    grant = get_object_for_user(
        live_grants().select_related("owner_org", "requester_org"),
        user,
        Action.VIEW,
        pk=request_id,
        requester_id=getattr(user, "pk", None),
    )
    kind = grantable(grant.kind)
    item = kind.get(grant.object_id) if kind is not None else None
    if kind is None or item is None:
        raise NotFound()
    return OpenGrant(grant=grant, grantable=kind, item=item)


def grant_use_record(*, opened: OpenGrant, user: Any, use: str, what: str) -> AccessUse:
    """One read under a grant: a row of the owner's reader log and an audit entry, written before
    anything is shown or served."""
    grant = opened.grant
    with transaction.atomic():
        row = AccessUse.objects.create(
            request=grant, user=user, at=timezone.now(), use=use, what=what[:200]
        )
        audit_record(
            actor=user,
            action="access.grant_use",
            obj=grant,
            tier=Tier.CASE_SECRET,
            payload={
                "kind": grant.kind,
                "object_id": grant.object_id,
                "reference": grant.reference,
                "use": use,
                # The reader log row, not its text: a file name is case content.
                "access_use": row.pk,
            },
        )
    return row
