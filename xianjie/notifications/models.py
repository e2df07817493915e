"""A message to one user. Texts name records by number only, never tier 3 content (第十一条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Set for messages that must go out once only (reminders): a second send is a no-op.
    dedupe_key = models.CharField("去重键", max_length=200, null=True, blank=True, unique=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title
