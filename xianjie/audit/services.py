"""Writing the audit trail. Services call `audit_record` inside their own transaction, so the entry
exists exactly when the change it describes does."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, entry_hash
from .models import AuditEntry, AuditHead

#: Tier 3 content (facts, names, evidence) never goes into a payload; only ids and statuses do.
MAX_PAYLOAD_TEXT = 200


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    tier: int = 1,
    payload: dict[str, Any] | None = None,
    org: Any | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's `transaction.atomic`."""
    payload = payload or {}
    for key, value in payload.items():
        if isinstance(value, str) and len(value) > MAX_PAYLOAD_TEXT:
            raise ValueError(f"audit payload field {key!r} is too long to be metadata")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if org is None and actor is not None:
        org = getattr(actor, "org", None)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        # Stored and hashed in UTC with microseconds so both databases give back the same value.
        at = timezone.now().astimezone(UTC)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=at,
            actor_id=getattr(actor, "pk", None),
            actor_name=str(actor.username) if actor is not None else "",
            org_id=getattr(org, "pk", None),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            tier=tier,
            payload=payload,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(
            seq=entry.seq,
            at=at,
            actor_id=entry.actor_id,
            actor_name=entry.actor_name,
            org_id=entry.org_id,
            action=action,
            object_type=object_type,
            object_id=entry.object_id,
            tier=tier,
            payload=payload,
            prev_hash=head.hash,
        )
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry
