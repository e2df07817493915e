"""Files of the inspection app (a finding's evidence, a rectification report's attachments),
kept encrypted on disk under their own data key by the same blob store as referral evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xianjie.access.restrict import RestrictedQuerySet


class Attachment(models.Model):
    finding = models.ForeignKey(
        "Finding",
        verbose_name="问题",
        null=True,
        blank=True,
        related_name="attachments",
        on_delete=models.PROTECT,
    )
    report = models.ForeignKey(
        "RectificationReport",
        verbose_name="整改报告",
        null=True,
        blank=True,
        related_name="attachments",
        on_delete=models.PROTECT,
    )
    wrapped_key = models.TextField("数据密钥（已封装）")
    filename_enc = models.TextField("文件名（密文）")
    description_enc = models.TextField("说明（密文）", blank=True)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    blob_name = models.CharField("存储名", max_length=80, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", related_name="+", on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(finding__isnull=False, report__isnull=True)
                    | Q(finding__isnull=True, report__isnull=False)
                ),
                name="attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"附件{self.pk}"
