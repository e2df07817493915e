"""Master key rotation for the sharing app: re-wrap the data key of every attachment of a shared
item or a typical case (第十一条: keys rotatable).

The encrypted files stay as they are — each is encrypted under its own data key, which does not
change; only the key's wrapping depends on the master key. The app has no sealed fields and no
blind indexes.
"""

from __future__ import annotations

from xianjie.core import crypto

from .models import SharedFile


def rewrap_sharing_keys(old: crypto.MasterKey, new: crypto.MasterKey) -> int:
    count = 0
    for row in SharedFile.objects.select_for_update().only("pk", "wrapped_key").iterator():
        row.wrapped_key = crypto.rewrap_data_key(row.wrapped_key, old, new)
        row.save(update_fields=["wrapped_key"])
        count += 1
    return count
