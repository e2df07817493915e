"""Append-only audit entries linked by SM3 hashes, and the login log.

Each entry's hash covers its own fields and the previous entry's hash, so changing, inserting or
removing any entry breaks every link after it; `xianjie audit verify` finds the first break.
The ORM refuses updates and deletes here; a database trigger refuses them too (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet

from .chain import CanonicalJSONEncoder


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(RestrictedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计记录不可修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录不可删除。")


class AuditEntry(models.Model):
    seq = models.BigIntegerField("序号", primary_key=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        db_constraint=False,
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    org = models.ForeignKey(
        "accounts.Org",
        verbose_name="所在机构",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        db_constraint=False,
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    tier = models.PositiveSmallIntegerField("密级层次", default=1)
    payload = models.JSONField("内容", default=dict, blank=True, encoder=CanonicalJSONEncoder)
    prev_hash = models.CharField("前序哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = verbose_name
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审计记录不可修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录不可删除。")


class AuditHead(models.Model):
    """The chain's tip, one row. Locking it serialises appends across processes and servers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.seq}"


class LoginEvent(models.Model):
    """登录日志: every attempt, successful or not (等保 2.0 level 3)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    username = models.CharField("用户名", max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    success = models.BooleanField("成功")
    reason = models.CharField("说明", max_length=100, blank=True)
    ip_address = models.GenericIPAddressField("地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    channel = models.CharField("渠道", max_length=10, default="web")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = verbose_name
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {'成功' if self.success else '失败'}"
