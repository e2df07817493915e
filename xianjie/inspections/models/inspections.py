"""Joint rule-of-law inspections (联合法治督查, 第八条): the plan, its units and teams.

A plan is tier 2 (重要信息): its organising orgs and its inspectors see all of it; an inspected
unit sees the plan and its own part once the inspection is under way (a random spot check is not
announced to the units drawn).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet

from ..transitions import InspectionStatus, InspectionTransition


class InspectionMethod(models.TextChoices):
    SPECIAL = "special", "专项检查"
    RANDOM = "random", "随机抽查"


class Inspection(models.Model):
    region = models.ForeignKey(
        "accounts.Region", verbose_name="行政区划", related_name="+", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("督查名称", max_length=100)
    method = models.CharField("检查方式", max_length=10, choices=InspectionMethod.choices)
    topic = models.TextField("检查主题和内容", blank=True)
    organisers = models.ManyToManyField("accounts.Org", verbose_name="组织单位", related_name="+")
    planned_start = models.DateField("计划开始日期")
    planned_end = models.DateField("计划结束日期")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
        db_index=True,
    )
    report_summary = models.TextField("检查情况报告", blank=True)
    started_on = models.DateField("开始日期", null=True, blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "联合法治督查"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


class InspectionUnit(models.Model):
    """An inspected unit (被检查单位) and its team (检查组): chosen by hand for a special
    inspection, or by the accepted draw of a random one."""

    inspection = models.ForeignKey(Inspection, related_name="units", on_delete=models.CASCADE)
    org = models.ForeignKey(
        "accounts.Org", verbose_name="被检查单位", related_name="+", on_delete=models.PROTECT
    )
    draw = models.ForeignKey(
        "Draw",
        verbose_name="抽取批次",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="检查人员", related_name="+", blank=True
    )
    position = models.PositiveSmallIntegerField("序号", default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "被检查单位"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "org"], name="inspection_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.org_id}"


class ConflictDeclaration(models.Model):
    """回避申报: an inspector declares a conflict of interest with a unit before the draw, so the
    draw never sends them there (their own org is excluded without a declaration)."""

    inspection = models.ForeignKey(Inspection, related_name="conflicts", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人员",
        related_name="+",
        on_delete=models.PROTECT,
    )
    org = models.ForeignKey(
        "accounts.Org", verbose_name="回避单位", related_name="+", on_delete=models.PROTECT
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user", "org"], name="conflict_declared_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}↔{self.org_id}"


class InspectionEvent(models.Model):
    """The inspection's history: one row per transition and per draw, shown as its timeline."""

    inspection = models.ForeignKey(Inspection, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", related_name="+", on_delete=models.PROTECT
    )
    actor_org = models.ForeignKey(
        "accounts.Org", verbose_name="操作单位", related_name="+", on_delete=models.PROTECT
    )
    transition = models.CharField("操作", max_length=24)
    from_status = models.CharField(
        "原状态", max_length=12, choices=InspectionStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=12, choices=InspectionStatus.choices)
    comment = models.TextField("说明", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = "督查记录"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.transition}"


#: Names of the inspection events that are not status transitions.
EVENT_LABELS = {
    **dict(InspectionTransition.choices),
    "update": "修改计划",
    "draw_prepare": "公布抽取种子摘要",
    "draw_run": "随机抽取",
    "units_set": "确定被检查单位和检查组",
}
