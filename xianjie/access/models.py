"""Access requests and grants for tier 3 material (第十一条 严格审批共享).

Someone outside a case asks for one tier 3 item (a referral, one of its evidence files, a tier 3
finding) with a purpose and a period; the requester's own leader and then the leader of the org
that owns the item approve it. The approved request *is* the grant: it opens exactly that item,
read-only, until `expires_at`, unless the owner revokes it first. Every use is an `AccessUse` row
(the owner's reader log) and an audit entry.

The item is named generically (kind + id): this app sits below the apps that own the items, which
register themselves in `grantables.py` at start-up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .restrict import RestrictedQuerySet


class RequestStatus(models.TextChoices):
    PENDING_OWN = "pending_own", "待本单位领导审批"
    PENDING_OWNER = "pending_owner", "待数据所属单位领导审批"
    GRANTED = "granted", "已授权"
    REJECTED = "rejected", "未获批准"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已收回授权"
    EXPIRED = "expired", "授权已到期"


class RequestTransition(models.TextChoices):
    FILE = "file", "提出申请"
    APPROVE = "approve", "批准"
    REJECT = "reject", "不予批准"
    WITHDRAW = "withdraw", "撤回申请"
    REVOKE = "revoke", "收回授权"
    EXPIRE = "expire", "到期关闭"


class AccessRequest(models.Model):
    #: A registered grantable kind ("referral", "evidence", "finding"): see grantables.py.
    kind = models.CharField("调阅对象类别", max_length=20)
    object_id = models.PositiveBigIntegerField("调阅对象编号")
    #: How the requester named the item (its number), kept for the lists of both sides.
    reference = models.CharField("调阅对象", max_length=100)
    owner_org = models.ForeignKey(
        "accounts.Org", verbose_name="数据所属单位", related_name="+", on_delete=models.PROTECT
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        related_name="access_requests",
        on_delete=models.PROTECT,
    )
    requester_org = models.ForeignKey(
        "accounts.Org", verbose_name="申请单位", related_name="+", on_delete=models.PROTECT
    )
    purpose = models.TextField("调阅事由")
    period_days = models.PositiveSmallIntegerField("调阅期限（日）", default=7)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING_OWN,
        db_index=True,
    )
    own_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="本单位审批人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    own_approved_at = models.DateTimeField("本单位批准时间", null=True, blank=True)
    owner_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="所属单位审批人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    granted_at = models.DateTimeField("授权时间", null=True, blank=True)
    expires_at = models.DateTimeField("授权截止时间", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关闭人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    #: The reason of a refusal or a revocation.
    reason = models.TextField("理由", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "调阅申请"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"调阅申请#{self.pk} {self.reference}"


class AccessEvent(models.Model):
    """The request's own timeline: who filed, approved, refused, revoked, and why."""

    request = models.ForeignKey(AccessRequest, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    transition = models.CharField("操作", max_length=12, choices=RequestTransition.choices)
    from_status = models.CharField(
        "原状态", max_length=16, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=16, choices=RequestStatus.choices)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "调阅申请记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_transition_display()} {self.at:%Y-%m-%d %H:%M}"


class UseKind(models.TextChoices):
    VIEW = "view", "查阅"
    DOWNLOAD = "download", "下载（加水印）"


class AccessUse(models.Model):
    """One read under a grant: the owner's reader log (who read what, when, under which grant)."""

    request = models.ForeignKey(AccessRequest, related_name="uses", on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查阅人", related_name="+", on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间")
    use = models.CharField("方式", max_length=10, choices=UseKind.choices)
    #: What exactly was read: the item itself, or "附件：<file name>".
    what = models.CharField("查阅内容", max_length=200)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "授权查阅记录"
        verbose_name_plural = verbose_name
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.what} {self.at:%Y-%m-%d %H:%M}"
