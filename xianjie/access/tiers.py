"""The three sharing tiers of 第十一条, and the actions access policies answer for."""

from django.db import models


class Tier(models.IntegerChoices):
    """第十一条: 全面共享 / 指定范围共享 / 严格审批共享."""

    GENERAL = 1, "一般基础性信息"
    IMPORTANT = 2, "重要信息"
    CASE_SECRET = 3, "涉案类保密信息"


class Action(models.TextChoices):
    """What a user wants to do with rows; `restrict` refuses any other word, so a typo in a
    view fails loudly instead of quietly showing nothing (or everything)."""

    VIEW = "view", "查看"
    #: The number, parties, status and clocks of a record without its content (第十一条).
    STATUS = "status", "查看状态"
    CHANGE = "change", "修改"
    DOWNLOAD = "download", "下载"
    EXPORT = "export", "导出"
    MANAGE = "manage", "管理"
