"""Sending and reading notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification


def notify(
    *, recipients: Iterable[Any], kind: str, title: str, url: str = "", dedupe_key: str = ""
) -> list[Notification]:
    """Create one message per recipient. With `dedupe_key`, a message already sent is skipped,
    so a reminder sweep that runs twice (or crashes halfway and reruns) sends nothing twice."""
    sent = []
    for user in {u.pk: u for u in recipients}.values():
        key = f"{dedupe_key}:{user.pk}" if dedupe_key else None
        try:
            with transaction.atomic():
                sent.append(
                    Notification.objects.create(
                        recipient=user, kind=kind, title=title, url=url, dedupe_key=key
                    )
                )
        except IntegrityError:
            if key is None:
                raise
    return sent


def notify_on_commit(
    *, recipients: Iterable[Any], kind: str, title: str, url: str = "", dedupe_key: str = ""
) -> None:
    """Send once the caller's transaction commits; a rolled-back change notifies nobody."""
    people = list(recipients)
    transaction.on_commit(
        lambda: notify(recipients=people, kind=kind, title=title, url=url, dedupe_key=dedupe_key)
    )


def notification_mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own messages read (all unread ones when no ids are given)."""
    unread = Notification.objects.restrict(user, "change").filter(read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.restrict(user, "view").filter(read_at__isnull=True).count()
