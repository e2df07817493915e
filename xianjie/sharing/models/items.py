"""Shared items (第十一条): tier 1 一般基础性信息 for the whole region, tier 2 重要信息 for the
scope of orgs (and, optionally, roles) the publisher names. Tier 3 is never a shared item: it is
opened only through an access request (xianjie.access)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xianjie.access.restrict import RestrictedQuerySet


class Category(models.TextChoices):
    POLICY = "policy", "政策法规"
    EXPERIENCE = "experience", "经验做法"
    REQUIREMENT = "requirement", "工作要求"
    INSPECTION_RESULT = "inspection_result", "监督检查结果"
    ACCOUNTABILITY = "accountability", "问责处理情况"
    OTHER = "other", "其他"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class SharedItem(models.Model):
    tier = models.PositiveSmallIntegerField(
        "共享层级", choices=[(1, "一般基础性信息"), (2, "重要信息")]
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    publisher_org = models.ForeignKey(
        "accounts.Org", verbose_name="发布单位", related_name="+", on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "accounts.Region", verbose_name="共享区域", related_name="+", on_delete=models.PROTECT
    )
    #: Tier 2: the orgs that may read it (指定范围共享); empty for tier 1.
    scope_orgs = models.ManyToManyField(
        "accounts.Org", verbose_name="共享范围（单位）", related_name="+", blank=True
    )
    #: Tier 2: only the leaders of those orgs (the role half of 指定范围共享); else every role.
    leaders_only = models.BooleanField("仅限领导阅", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True
    )
    #: jieba tokens of title and body, space-separated with a space at both ends, so that a word
    #: is found by `contains=" word "` on SQLite and PostgreSQL alike (search.py).
    search_text = models.TextField("检索词", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "共享信息"
        verbose_name_plural = verbose_name
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=[1, 2]), name="shared_item_tier_1_or_2"),
        ]

    def __str__(self) -> str:
        return self.title


class SharedFile(models.Model):
    """An attachment of a shared item or of a typical case, encrypted on disk under its own data
    key by the same blob store as referral evidence (one owner per file)."""

    item = models.ForeignKey(
        SharedItem,
        verbose_name="共享信息",
        null=True,
        blank=True,
        related_name="files",
        on_delete=models.PROTECT,
    )
    lesson = models.ForeignKey(
        "Lesson",
        verbose_name="典型案例",
        null=True,
        blank=True,
        related_name="files",
        on_delete=models.PROTECT,
    )
    wrapped_key = models.TextField("数据密钥（已封装）")
    filename = models.CharField("文件名", max_length=200)
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
        verbose_name = "共享附件"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(item__isnull=False, lesson__isnull=True)
                    | Q(item__isnull=True, lesson__isnull=False)
                ),
                name="shared_file_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.filename
