"""The violation catalogue (违法违纪行为目录).

第十三条 lists eleven kinds of conduct of an enforcement agency (行政执法机关, codes A01–A11)
and 第十四条 ten kinds of conduct of an enforcement officer (行政执法人员, P01–P10): leads of
these go to the commission (第四条). 第六条 names the enforcement faults (执法过错) the
commission sends back to the supervision side: 执法程序违法 E01, 证据收集不规范 E02,
自由裁量权滥用 E03, and E99 for the rest.
Every referral, finding and statistic is tagged with these codes.
"""

from __future__ import annotations

from django.db import models

from xianjie.access.restrict import RestrictedQuerySet
from xianjie.core.models import TimeStampedModel


class ViolationCategory(models.TextChoices):
    AGENCY = "agency", "行政执法机关"
    PERSONNEL = "personnel", "行政执法人员"
    FAULT = "fault", "执法过错"


#: The article each category comes from (第十三条, 第十四条, 第六条).
CATEGORY_ARTICLE: dict[str, int] = {
    ViolationCategory.AGENCY: 13,
    ViolationCategory.PERSONNEL: 14,
    ViolationCategory.FAULT: 6,
}

#: The first letter of every code of a category, seeded or local.
CATEGORY_PREFIX: dict[str, str] = {
    ViolationCategory.AGENCY: "A",
    ViolationCategory.PERSONNEL: "P",
    ViolationCategory.FAULT: "E",
}

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 as written in article and item numbers: 六, 十, 十三, 二十一."""
    if not 0 < n < 100:
        raise ValueError(f"{n} is outside 1..99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def article_label(article: int) -> str:
    return f"第{chinese_number(article)}条"


class ViolationCode(TimeStampedModel):
    """One kind of unlawful conduct or enforcement fault, e.g. A02 未实行行政裁量权基准制度.

    Seeded codes are never renumbered or deleted, only deactivated; the system administrator may
    add local codes, which are never reused either, so a code always means what it meant when a
    record was tagged with it.
    """

    code = models.CharField("代码", max_length=8, unique=True)
    category = models.CharField("类别", max_length=12, choices=ViolationCategory.choices)
    article = models.PositiveSmallIntegerField("依据条款")
    item = models.PositiveSmallIntegerField("项", null=True, blank=True)
    text = models.CharField("行为描述", max_length=200)
    seeded = models.BooleanField("文件原有", default=False)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "违法违纪行为代码"
        verbose_name_plural = verbose_name
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def article_label(self) -> str:
        return article_label(self.article)

    @property
    def basis(self) -> str:
        """The citation shown beside the code: 第十三条（二）, or 第六条 for unnumbered items."""
        if self.item is None:
            return self.article_label
        return f"{self.article_label}（{chinese_number(self.item)}）"
