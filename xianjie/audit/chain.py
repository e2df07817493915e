"""The canonical encoding and SM3 hash of an audit entry.

One definition serves writing and verifying, so the two can never drift apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
_SEP = "\x1f"
# Copying a prepared hash object is cheaper than looking the algorithm up for every entry,
# which matters when verification rehashes the whole chain.
_SM3 = hashlib.new("sm3")


class CanonicalJSONEncoder(json.JSONEncoder):
    """The one JSON spelling a payload is hashed in: sorted keys, no spaces, UTF-8 text.

    The entry's JSONField stores payloads in this spelling too, so on SQLite the stored text is
    already canonical and verification hashes it without decoding it.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        super().__init__(**kwargs)


canonical_payload = CanonicalJSONEncoder().encode


def utc_isoformat(at: datetime) -> str:
    """The time as hashed: UTC with microseconds, e.g. 2026-11-27T13:11:00.123456+00:00."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def fields_hash(fields: Sequence[str]) -> str:
    """SM3 over the entry's fields already spelt as text, in `entry_hash`'s order and spelling
    (verification has the database spell them, and calls this once per entry)."""
    digest = _SM3.copy()
    digest.update(_SEP.join(fields).encode("utf-8"))
    return digest.hexdigest()


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    org_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    tier: int,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    return fields_hash(
        (
            str(seq),
            utc_isoformat(at),
            "" if actor_id is None else str(actor_id),
            actor_name,
            "" if org_id is None else str(org_id),
            action,
            object_type,
            object_id,
            str(tier),
            canonical_payload(payload),
            prev_hash,
        )
    )
