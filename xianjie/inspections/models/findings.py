"""Problems found by an inspection (督查发现问题, 第九条).

A finding is tier 2, seen by the organisers, the unit's team and the unit itself. A finding that
names an officer's possible misconduct is tier 3 (涉案类保密信息): only the organising orgs see
it. Descriptions, bases and names are stored encrypted under the finding's own data key either
way, so that a finding raised to tier 3 has nothing in clear to clean up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"


class Finding(models.Model):
    inspection = models.ForeignKey(
        "Inspection", verbose_name="督查", related_name="findings", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "accounts.Org", verbose_name="被检查单位", related_name="+", on_delete=models.PROTECT
    )
    sequence = models.PositiveSmallIntegerField("问题序号")
    tier = models.PositiveSmallIntegerField("密级层级", default=2)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    violation_codes = models.ManyToManyField(
        "catalog.ViolationCode", verbose_name="问题类型", related_name="+", blank=True
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        verbose_name="涉及执法人员",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    wrapped_key = models.TextField("数据密钥（已封装）")
    title_enc = models.TextField("问题概述（密文）")
    description_enc = models.TextField("问题描述（密文）")
    basis_enc = models.TextField("依据（密文）", blank=True)
    officer_name_enc = models.TextField("涉及人员姓名（密文）", blank=True)
    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name="移送线索",
        null=True,
        blank=True,
        related_name="origin_finding",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "督查发现问题"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "sequence"], name="finding_sequence_once"
            ),
            models.CheckConstraint(condition=models.Q(tier__in=[2, 3]), name="finding_tier_2_or_3"),
        ]

    def __str__(self) -> str:
        return f"问题{self.sequence}"


class FindingEvent(models.Model):
    """What was done with a finding: recorded, a file attached, a task or a referral made."""

    finding = models.ForeignKey(Finding, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", related_name="+", on_delete=models.PROTECT
    )
    action = models.CharField("操作", max_length=24)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = "问题处理记录"
        verbose_name_plural = verbose_name
        ordering = ["finding_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.action}"
