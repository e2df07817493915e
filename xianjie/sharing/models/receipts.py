"""Read receipts (已阅回执) for shared items and typical cases: one row per reader, written the
first time the reader opens the page, so the publisher sees who in the scope has read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReadReceipt(models.Model):
    item = models.ForeignKey(
        "SharedItem", null=True, blank=True, related_name="receipts", on_delete=models.CASCADE
    )
    lesson = models.ForeignKey(
        "Lesson", null=True, blank=True, related_name="receipts", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="阅读人", related_name="+", on_delete=models.PROTECT
    )
    org = models.ForeignKey(
        "accounts.Org", verbose_name="阅读人单位", related_name="+", on_delete=models.PROTECT
    )
    read_at = models.DateTimeField("首次阅读时间")

    class Meta:
        verbose_name = "阅读回执"
        verbose_name_plural = verbose_name
        ordering = ["read_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(item__isnull=False, lesson__isnull=True)
                    | Q(item__isnull=True, lesson__isnull=False)
                ),
                name="receipt_one_target",
            ),
            models.UniqueConstraint(fields=["item", "user"], name="receipt_once_per_item"),
            models.UniqueConstraint(fields=["lesson", "user"], name="receipt_once_per_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.read_at:%Y-%m-%d %H:%M}"
