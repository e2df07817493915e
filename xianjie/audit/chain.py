"""The canonical encoding and SM3 hash of an audit entry.

One definition serves writing and verifying, so the two can never drift apart.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
_SEP = "\x1f"


def canonical_payload(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
    encoded = _SEP.join(
        (
            str(seq),
            at.isoformat(timespec="microseconds"),
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
    return hashlib.new("sm3", encoded.encode("utf-8")).hexdigest()
