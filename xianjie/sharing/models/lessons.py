"""Typical cases for warning education (典型案例, 第十二条).

A leader of either party prepares one from a closed referral: the product proposes a
de-identified text (deidentify.py), a person reviews it, and it is published as tier 1 or 2 to
chosen units, who leave read receipts and one study record each. A reform recommendation
(以案促改) to the unit where the case happened is a rectification task (kind "lesson") whose
source is the lesson.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xianjie.access.restrict import RestrictedQuerySet


class LessonStatus(models.TextChoices):
    DRAFT = "draft", "草稿（待审核）"
    REVIEWED = "reviewed", "已审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class LessonTransition(models.TextChoices):
    PREPARE = "prepare", "起草"
    EDIT = "edit", "修改"
    REVIEW = "review", "审核通过"
    PUBLISH = "publish", "发布"
    WITHDRAW = "withdraw", "撤回"
    REFORM = "reform", "提出以案促改建议"


class Lesson(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name="来源案件",
        related_name="+",
        on_delete=models.PROTECT,
    )
    title = models.CharField("案例标题", max_length=200)
    #: The de-identified account; never the referral's own (encrypted) text.
    text = models.TextField("案例正文（已脱敏）")
    lessons_learned = models.TextField("警示意义", blank=True)
    #: What the proposal masked, by kind ({"name": 2, "id_card": 1, ...}); never the originals.
    masked_counts = models.JSONField("脱敏统计", default=dict, blank=True)
    violation_codes = models.ManyToManyField(
        "catalog.ViolationCode", verbose_name="违规类型", related_name="+", blank=True
    )
    tier = models.PositiveSmallIntegerField(
        "共享层级", choices=[(1, "一般基础性信息"), (2, "重要信息")], default=1
    )
    #: The units it is published to (study records are owed by each).
    target_orgs = models.ManyToManyField(
        "accounts.Org", verbose_name="发布范围", related_name="+", blank=True
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=LessonStatus.choices,
        default=LessonStatus.DRAFT,
        db_index=True,
    )
    org = models.ForeignKey(
        "accounts.Org", verbose_name="编写单位", related_name="+", on_delete=models.PROTECT
    )
    search_text = models.TextField("检索词", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编写人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = verbose_name
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=[1, 2]), name="lesson_tier_1_or_2"),
        ]

    def __str__(self) -> str:
        return self.title


class LessonEvent(models.Model):
    lesson = models.ForeignKey(Lesson, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", related_name="+", on_delete=models.PROTECT
    )
    transition = models.CharField("操作", max_length=12, choices=LessonTransition.choices)
    from_status = models.CharField(
        "原状态", max_length=10, choices=LessonStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=10, choices=LessonStatus.choices)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "典型案例记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_transition_display()} {self.at:%Y-%m-%d %H:%M}"


class StudyForm(models.TextChoices):
    MEETING = "meeting", "专题会议"
    GROUP_STUDY = "group_study", "集中学习"
    SELF_STUDY = "self_study", "自学"
    OTHER = "other", "其他"


class StudyRecord(models.Model):
    """A unit's record of having studied a published case (学习记录), one per unit."""

    lesson = models.ForeignKey(Lesson, related_name="studies", on_delete=models.PROTECT)
    org = models.ForeignKey(
        "accounts.Org", verbose_name="学习单位", related_name="+", on_delete=models.PROTECT
    )
    studied_on = models.DateField("学习日期")
    form = models.CharField("学习形式", max_length=12, choices=StudyForm.choices)
    attendees = models.PositiveIntegerField("参加人数")
    notes = models.TextField("学习情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "学习记录"
        verbose_name_plural = verbose_name
        ordering = ["lesson_id", "org_id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "org"], name="study_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.studied_on}"
