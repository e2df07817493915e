"""Read receipts (已阅回执) for shared items and typical cases (第十一条, 第十二条).

The detail page calls `receipt_record` after the reader's access was checked; the first opening
writes the receipt, later ones change nothing (a unique constraint makes two concurrent first
openings write one row). The publisher's view of who has read it is `receipt_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianjie.accounts.models import Org

from ..models import Lesson, ReadReceipt, SharedItem


def receipt_record(
    *, user: Any, item: SharedItem | None = None, lesson: Lesson | None = None
) -> bool:
    """Note that `user` has read `item` or `lesson`; True when this was the first reading."""
    if (item is None) == (lesson is None):
        raise ValueError("a receipt is for exactly one item or lesson")
    if user.org_id is None:
        return False
    target: dict[str, Any] = {"item": item} if item is not None else {"lesson": lesson}
    if ReadReceipt.objects.filter(user=user, **target).exists():
        return False
    try:
        with transaction.atomic():
            ReadReceipt.objects.create(
                user=user, org_id=user.org_id, read_at=timezone.now(), **target
            )
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class OrgReceipts:
    org: Org
    readers: list[tuple[str, datetime]]

    @property
    def has_read(self) -> bool:
        return bool(self.readers)


def receipt_summary(
    *, orgs: list[Org], item: SharedItem | None = None, lesson: Lesson | None = None
) -> list[OrgReceipts]:
    """For each org of the scope, who of it has read (name, first reading), oldest first — for
    the publisher's page; call only for a user who may manage the item."""
    target: dict[str, Any] = {"item": item} if item is not None else {"lesson": lesson}
    rows = ReadReceipt.objects.filter(**target).select_related("user").order_by("read_at", "id")
    by_org: dict[int, list[tuple[str, datetime]]] = {}
    for row in rows:
        by_org.setdefault(row.org_id, []).append((row.user.display_name, row.read_at))
    return [OrgReceipts(org=org, readers=by_org.get(org.pk, [])) for org in orgs]
