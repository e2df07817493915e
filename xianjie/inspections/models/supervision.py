"""Supervision notices and decisions (行政执法监督通知书 / 决定书, 第十三条（十）), and the A10
flag of an enforcement org that did not carry one out.

The justice bureau (行政执法协调监督局) issues to any enforcement org of its region; a
department's legal unit (部门法制机构) to its own department. Issuing allocates the 文号 and
creates the rectification task whose clock is the report deadline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet

from ..transitions import ActStatus


class ActKind(models.TextChoices):
    NOTICE = "notice", "行政执法监督通知书"
    DECISION = "decision", "行政执法监督决定书"


class DecisionType(models.TextChoices):
    FULFIL = "fulfil", "责令限期履行"
    CORRECT = "correct", "责令补正、改正"
    REVOKE = "revoke", "撤销"
    CONFIRM_ILLEGAL = "confirm_illegal", "确认违法"


class SupervisionAct(models.Model):
    kind = models.CharField("文书类别", max_length=10, choices=ActKind.choices)
    decision_type = models.CharField(
        "决定类型", max_length=16, choices=DecisionType.choices, blank=True
    )
    notice = models.ForeignKey(
        "self",
        verbose_name="未履行的监督通知书",
        null=True,
        blank=True,
        related_name="decisions",
        on_delete=models.PROTECT,
    )
    number = models.CharField("文号", max_length=40, blank=True)
    issuer_org = models.ForeignKey(
        "accounts.Org", verbose_name="制发机关", related_name="+", on_delete=models.PROTECT
    )
    target_org = models.ForeignKey(
        "accounts.Org", verbose_name="被监督单位", related_name="+", on_delete=models.PROTECT
    )
    problem = models.TextField("存在的问题")
    basis = models.TextField("依据")
    requirement = models.TextField("监督意见和要求")
    period_days = models.PositiveSmallIntegerField("整改（履行）期限（日）")
    status = models.CharField(
        "状态", max_length=10, choices=ActStatus.choices, default=ActStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政执法监督文书"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="act_number_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="notice", decision_type="")
                    | (models.Q(kind="decision") & ~models.Q(decision_type=""))
                ),
                name="act_decision_type_for_decisions",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 #{self.pk}"


class FlagStatus(models.TextChoices):
    OPEN = "open", "待处理"
    REFERRED = "referred", "已移送"
    DISMISSED = "dismissed", "已撤销"


class ComplianceFlag(models.Model):
    """A10 (第十三条（十）): the unit did not report on a notice or decision by its deadline."""

    act = models.OneToOneField(
        SupervisionAct, verbose_name="监督文书", related_name="flag", on_delete=models.PROTECT
    )
    org = models.ForeignKey(
        "accounts.Org", verbose_name="被标记单位", related_name="+", on_delete=models.PROTECT
    )
    code = models.CharField("问题类型代码", max_length=10, default="A10")
    due_date = models.DateField("报告期限")
    flagged_at = models.DateTimeField("标记时间")
    status = models.CharField(
        "状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name="移送线索",
        null=True,
        blank=True,
        related_name="origin_flag",
        on_delete=models.PROTECT,
    )
    reason = models.CharField("撤销理由", max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "A10违规标记"
        verbose_name_plural = verbose_name
        ordering = ["-flagged_at", "-id"]

    def __str__(self) -> str:
        return f"A10 {self.act}"
