"""The working-day calendar, the time-limit parameters and the deadline clocks.

- `CalendarDay`: one row per date that differs from, or annotates, the plain weekday rule — a
  holiday (法定节假日, weekend days inside a holiday period included so the grid can name them), a
  make-up working day (调休上班), or a day set by hand. Dates without a row follow Monday–Friday.
- `CalendarYear`: whether a year's official schedule is entered (官方安排已录入); dates of other
  years count by weekdays and are flagged "unconfirmed".
- `TimeLimitParameter`: every limit of DOMAIN.md's table, versioned (a clock keeps its version).
- `Clock`: a deadline attached to any record (referral, rectification, meeting …) by content type.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from xianjie.access.restrict import RestrictedQuerySet

from . import counting


class YearStatus(models.TextChoices):
    CONFIRMED = "confirmed", "官方安排已录入"
    UNCONFIRMED = "unconfirmed", "未确认"


class Source(models.TextChoices):
    SEEDED = "seeded", "系统预置"
    MANUAL = "manual", "手工录入"


class DayKind(models.TextChoices):
    HOLIDAY = counting.HOLIDAY, "法定节假日"
    MAKEUP = counting.MAKEUP, "调休上班"
    REST = counting.REST, "休息日"
    WORKDAY = counting.WORK, "工作日"


#: Kinds that are working days; the others are rest days.
WORKING_KINDS = frozenset({DayKind.MAKEUP, DayKind.WORKDAY})


class CalendarYear(models.Model):
    """Per year: is the official schedule entered? Also the stamp that invalidates caches."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    status = models.CharField(
        "状态", max_length=12, choices=YearStatus.choices, default=YearStatus.UNCONFIRMED
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices, blank=True)
    notice = models.CharField("通知文号", max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    confirmed_at = models.DateTimeField("录入时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = verbose_name
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"

    @property
    def is_confirmed(self) -> bool:
        return self.status == YearStatus.CONFIRMED


class CalendarDay(models.Model):
    date = models.DateField("日期", primary_key=True)
    is_workday = models.BooleanField("是否工作日")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=30, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历例外日期"
        verbose_name_plural = verbose_name
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(is_workday=True, kind__in=["makeup", "workday"])
                    | Q(is_workday=False, kind__in=["holiday", "rest"])
                ),
                name="calendar_day_kind_matches_workday",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class TimeUnit(models.TextChoices):
    WORKDAYS = "workdays", "工作日"
    DAYS = "days", "自然日"
    IMMEDIATE = "immediate", "立即"


class TimeLimitParameter(models.Model):
    """One version of one time limit; the current rule of a key is its highest version."""

    key = models.CharField("参数代码", max_length=64)
    version = models.PositiveIntegerField("版本")
    label = models.CharField("名称", max_length=50)
    amount = models.PositiveSmallIntegerField("期限")
    unit = models.CharField("计算单位", max_length=10, choices=TimeUnit.choices)
    basis = models.CharField("依据", max_length=300)
    reason = models.CharField("修改理由", max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    changed_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "时限参数"
        verbose_name_plural = verbose_name
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="time_limit_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.label}（第{self.version}版）"

    @property
    def display(self) -> str:
        """E.g. 「5个工作日」, 「30日」, 「立即」."""
        if self.unit == TimeUnit.IMMEDIATE:
            return "立即"
        if self.unit == TimeUnit.WORKDAYS:
            return f"{self.amount}个工作日"
        return f"{self.amount}日"


class ClockState(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "已暂停"
    MET = "met", "按期办结"
    OVERDUE = "overdue", "已逾期"
    MISSED = "missed", "逾期办结"
    # The obligation lapsed (e.g. a referral withdrawn before receipt): neither met nor missed.
    CANCELLED = "cancelled", "已撤销"


#: States of a clock that is still counting (or stopped but not finished).
ACTIVE_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.OVERDUE)


class Clock(models.Model):
    """A deadline (时限) of one record: started under one parameter version, never re-read."""

    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", related_name="+", on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField("对象编号")
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField("时限类别", max_length=64)
    parameter = models.ForeignKey(
        TimeLimitParameter, verbose_name="适用规则", related_name="clocks", on_delete=models.PROTECT
    )
    start_date = models.DateField("起算日期")
    # A document may set its own period (a supervision notice's 30 days, or fewer): counted in the
    # rule's unit, recorded here so a recount keeps it.
    amount = models.PositiveSmallIntegerField(
        "本件期限", null=True, blank=True, help_text="文书另定期限时填写；为空时按适用规则。"
    )
    due_date = models.DateField("到期日期")
    due_unconfirmed = models.BooleanField(
        "到期日未经官方日历确认", default=False, help_text="计算经过尚未录入官方安排的年份。"
    )
    state = models.CharField(
        "状态", max_length=10, choices=ClockState.choices, default=ClockState.RUNNING
    )
    paused_on = models.DateField("暂停日期", null=True, blank=True)
    paused_workdays = models.PositiveIntegerField("累计暂停工作日", default=0)
    finished_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = verbose_name
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="clock_target_idx"),
            models.Index(fields=["state", "due_date"], name="clock_state_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(state__in=["running", "paused", "overdue"]),
                name="clock_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} 至 {self.due_date.isoformat()}"

    @property
    def rule_version(self) -> int:
        return self.parameter.version

    @property
    def period_amount(self) -> int:
        return self.amount if self.amount is not None else self.parameter.amount


class ClockAction(models.TextChoices):
    START = "start", "开始计时"
    PAUSE = "pause", "暂停"
    RESUME = "resume", "恢复计时"
    FINISH = "finish", "办结"
    OVERDUE = "overdue", "逾期"
    RECOUNT = "recount", "日历调整重算"
    CANCEL = "cancel", "撤销"


class ClockEvent(models.Model):
    """The history of a clock: each start, pause, resume, finish and overdue mark, with reason."""

    clock = models.ForeignKey(
        Clock, verbose_name="时限", related_name="events", on_delete=models.CASCADE
    )
    action = models.CharField("操作", max_length=10, choices=ClockAction.choices)
    on = models.DateField("日期")
    reason = models.CharField("理由", max_length=200, blank=True)
    due_before = models.DateField("原到期日期", null=True, blank=True)
    due_after = models.DateField("新到期日期", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "时限记录"
        verbose_name_plural = verbose_name
        ordering = ["clock_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.on.isoformat()}"
