"""Rectification tasks (整改, 第九条), one model for every source.

A task is owed by a unit (整改单位) and checked by its overseers (跟踪检查单位): the organisers
of an inspection for a finding, the issuing org for a supervision notice or decision, and — in
later apps — the two sides for a meeting decision or the publisher for a 以案促改 recommendation.
`source` points at whatever created it (a finding, a notice, a decision…); the task itself holds
everything its own pages and clock need. Tier 2: the unit and the overseers see it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet

from ..transitions import RectificationStatus, RectificationTransition


class RectificationKind(models.TextChoices):
    FINDING = "finding", "督查发现问题整改"
    NOTICE = "notice", "行政执法监督通知书"
    DECISION = "decision", "行政执法监督决定书"
    MEETING = "meeting", "联席会议议定事项"
    LESSON = "lesson", "以案促改"


class Rectification(models.Model):
    kind = models.CharField("任务来源", max_length=10, choices=RectificationKind.choices)
    source_type = models.ForeignKey(
        ContentType, verbose_name="来源类型", related_name="+", on_delete=models.PROTECT
    )
    source_id = models.PositiveBigIntegerField("来源编号")
    source = GenericForeignKey("source_type", "source_id")
    unit = models.ForeignKey(
        "accounts.Org", verbose_name="整改单位", related_name="+", on_delete=models.PROTECT
    )
    overseers = models.ManyToManyField(
        "accounts.Org", verbose_name="跟踪检查单位", related_name="+"
    )
    title = models.CharField("任务名称", max_length=100)
    requirement = models.TextField("整改要求")
    basis = models.TextField("依据", blank=True)
    period_days = models.PositiveSmallIntegerField("整改期限（日）")
    status = models.CharField(
        "状态",
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
        db_index=True,
    )
    reopen_count = models.PositiveSmallIntegerField("退回重新整改次数", default=0)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下达人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("下达时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="rectification_unit_idx"),
            models.Index(fields=["source_type", "source_id"], name="rectification_source_idx"),
        ]

    def __str__(self) -> str:
        return f"整改任务{self.pk}"


class ReportKind(models.TextChoices):
    PROGRESS = "progress", "整改进展"
    SUBMISSION = "submission", "整改报告"


class RectificationReport(models.Model):
    """A progress report or the final report of the unit, with its attachments."""

    task = models.ForeignKey(Rectification, related_name="reports", on_delete=models.PROTECT)
    kind = models.CharField("类别", max_length=10, choices=ReportKind.choices)
    text = models.TextField("内容")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告人", related_name="+", on_delete=models.PROTECT
    )
    at = models.DateTimeField("报告时间")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = verbose_name
        ordering = ["task_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.get_kind_display()}"


class RectificationEvent(models.Model):
    task = models.ForeignKey(Rectification, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    transition = models.CharField("操作", max_length=10, choices=RectificationTransition.choices)
    from_status = models.CharField(
        "原状态", max_length=10, choices=RectificationStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=10, choices=RectificationStatus.choices)
    comment = models.TextField("意见", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = verbose_name
        ordering = ["task_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.transition}"
