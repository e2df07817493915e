"""Writing the audit trail. Services call `audit_record` inside their own transaction, so the entry
exists exactly when the change it describes does.

The auditor's own acts — exporting a log, verifying the chain — are recorded here as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from xianjie.access.restrict import has_access
from xianjie.access.tiers import Action
from xianjie.core.errors import InvalidInput, NotPermitted

from . import exports, selectors
from .chain import GENESIS_HASH, entry_hash
from .models import AuditEntry, AuditHead, LoginEvent
from .verify import ChainReport, verify_chain

#: Tier 3 content (facts, names, evidence) never goes into a payload; only ids and statuses do.
MAX_PAYLOAD_TEXT = 200
#: More rows than this make a workbook nobody reads; the auditor narrows the filters instead.
EXPORT_LIMIT = 100_000


def _check_payload(value: Any, path: str) -> None:
    """Payload values are ids, codes and statuses: short strings, integers, booleans, None, and
    lists or dicts of them. Floats are refused because PostgreSQL's jsonb may re-spell them
    (1e+100 comes back as 1 and a hundred zeros), and the entry would no longer rehash."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"audit payload key {path}{key!r} is not a string")
            _check_payload(item, f"{path}{key}.")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_payload(item, f"{path}{index}.")
    elif isinstance(value, str):
        if len(value) > MAX_PAYLOAD_TEXT:
            raise ValueError(f"audit payload field {path.rstrip('.')!r} is too long to be metadata")
    elif value is not None and not isinstance(value, bool | int):
        raise ValueError(f"audit payload field {path.rstrip('.')!r} holds a {type(value).__name__}")


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
    _check_payload(payload, "")
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


def audit_chain_verify(*, actor: Any | None) -> ChainReport:
    """Walk the chain (`verify_chain`) and record that it was done and what it found.

    `actor` is the auditor on the audit page, or None for the operator of the server running
    `xianjie audit verify`, who reads the database directly anyway.
    """
    if actor is not None and not has_access(actor, AuditEntry, Action.VIEW):
        raise NotPermitted()
    report = verify_chain()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="audit.verify",
            object_type=AuditEntry._meta.label_lower,
            payload={"ok": report.ok, "count": report.count, "bad_seq": report.bad_seq},
        )
    return report


def _export(
    *,
    model: type[AuditEntry] | type[LoginEvent],
    rows: models.QuerySet[Any],
    write: Callable[[models.QuerySet[Any]], bytes],
    filters: Mapping[str, Any],
    actor: Any,
) -> bytes:
    if not has_access(actor, model, Action.EXPORT):
        raise NotPermitted()
    count = rows.count()
    if count > EXPORT_LIMIT:
        raise InvalidInput(
            f"符合条件的记录共 {count} 条，超过单次导出上限 {EXPORT_LIMIT} 条，请缩小筛选范围。"
        )
    workbook = write(rows)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="audit.export",
            object_type=model._meta.label_lower,
            payload={"rows": count, "filters": _filters_payload(filters)},
        )
    return workbook


def _filters_payload(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in filters.items()
        if value not in (None, "")
    }


def audit_entries_export(*, filters: Mapping[str, Any], actor: Any) -> bytes:
    """The audit log as an Excel workbook, with the page's filters applied (`selectors`)."""
    return _export(
        model=AuditEntry,
        rows=selectors.audit_entries(actor, Action.EXPORT, **filters),
        write=exports.audit_entries_workbook,
        filters=filters,
        actor=actor,
    )


def login_events_export(*, filters: Mapping[str, Any], actor: Any) -> bytes:
    """The login log as an Excel workbook, with the page's filters applied (`selectors`)."""
    return _export(
        model=LoginEvent,
        rows=selectors.login_events(actor, Action.EXPORT, **filters),
        write=exports.login_events_workbook,
        filters=filters,
        actor=actor,
    )
