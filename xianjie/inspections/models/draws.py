"""Random draws (随机抽查, 双随机) with a published commitment (DOMAIN.md §3).

Preparing a draw freezes the pools (units with weights, inspectors, declared conflicts) and the
parameters into `pools`, generates a secret seed, and publishes SM3(seed) and SM3(pools) — both
also written to the audit chain. Running it applies the deterministic algorithm of
`inspections.drawing` to the seed and the frozen pools, stores the result and reveals the seed.
Anyone can then re-run it (`xianjie draws verify <id>`). A draw is run once; a redraw is a new
draw with a reason, and the one it replaces is marked superseded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xianjie.access.restrict import RestrictedQuerySet


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", "已公布种子摘要"
    DRAWN = "drawn", "已抽取"
    SUPERSEDED = "superseded", "已作废（重新抽取）"


class Draw(models.Model):
    inspection = models.ForeignKey(
        "Inspection", verbose_name="督查", related_name="draws", on_delete=models.PROTECT
    )
    sequence = models.PositiveSmallIntegerField("抽取批次")
    status = models.CharField(
        "状态", max_length=12, choices=DrawStatus.choices, default=DrawStatus.COMMITTED
    )
    algorithm = models.CharField("抽取算法", max_length=20)
    unit_count = models.PositiveSmallIntegerField("抽取单位数")
    team_size = models.PositiveSmallIntegerField("每组检查人员数")
    pools = models.JSONField("冻结的单位库、人员库和回避关系")
    pool_digest = models.CharField("库摘要（SM3）", max_length=64)
    seed_hash = models.CharField("种子摘要（SM3）", max_length=64)
    wrapped_key = models.TextField("数据密钥（已封装）")
    seed_enc = models.TextField("种子（抽取前密封）")
    seed = models.CharField("种子（抽取后公开）", max_length=64, blank=True)
    result = models.JSONField("抽取结果", default=list, blank=True)
    reason = models.CharField("重新抽取理由", max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="取代的抽取",
        null=True,
        blank=True,
        related_name="replaced_by",
        on_delete=models.PROTECT,
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="准备人", related_name="+", on_delete=models.PROTECT
    )
    prepared_at = models.DateTimeField("公布时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "随机抽取"
        verbose_name_plural = verbose_name
        ordering = ["inspection_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "sequence"], name="draw_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}#第{self.sequence}次抽取"
