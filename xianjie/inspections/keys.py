"""Master key rotation for the inspection app: re-wrap the data key of every finding, draw and
file (第十一条: keys rotatable).

The sealed fields, a draw's sealed seed and the encrypted files stay as they are — they are
encrypted under each row's own data key, which does not change; only its wrapping depends on the
master key. The app has no blind indexes to recompute.
"""

from __future__ import annotations

from django.db import models

from xianjie.core import crypto

from .models import Attachment, Draw, Finding

#: Every model of the app that holds a wrapped data key.
KEY_HOLDERS: tuple[type[models.Model], ...] = (Finding, Draw, Attachment)


def rewrap_inspection_keys(old: crypto.MasterKey, new: crypto.MasterKey) -> int:
    count = 0
    for model in KEY_HOLDERS:
        rows = model._default_manager.select_for_update().only("pk", "wrapped_key")
        for row in rows.iterator():
            row.wrapped_key = crypto.rewrap_data_key(row.wrapped_key, old, new)  # type: ignore[attr-defined]
            row.save(update_fields=["wrapped_key"])
            count += 1
    return count
