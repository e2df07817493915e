"""Organisations, users, roles and the enforcement officer registry (第二条).

第二条 names three kinds of supervising body — the commission (纪检监察机关), the justice bureau
acting as 行政执法协调监督局, and each department's legal-affairs unit (法制机构) — and the
enforcement bodies they supervise. The org tree keeps that structure; users hold roles in one org.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from xianjie.access.restrict import RestrictedQuerySet
from xianjie.core.models import TimeStampedModel


class RegionLevel(models.TextChoices):
    COUNTY = "county", "县（市、区）"
    CITY = "city", "市"
    PROVINCE = "province", "省"


class Region(models.Model):
    """A tenant of the org tree: the county now, cities and provinces later."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class OrgKind(models.TextChoices):
    """第二条: the two supervising sides and the supervised enforcement bodies."""

    DISCIPLINE = "discipline", "纪检监察机关"
    JUSTICE = "justice", "司法行政部门（行政执法协调监督局）"
    DEPT_SUPERVISION = "dept_supervision", "部门法制机构"
    ENFORCEMENT = "enforcement", "行政执法机关"


#: Kinds that act as 行政执法监督机构 (第二条 第二、三款).
SUPERVISION_KINDS = frozenset({OrgKind.JUSTICE, OrgKind.DEPT_SUPERVISION})


class Org(TimeStampedModel):
    name = models.CharField("机构名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField(
        "文号代字", max_length=20, help_text="用于文号，例如“文司移”中的“文司”。"
    )
    kind = models.CharField("机构类别", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.PROTECT)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = verbose_name
        ordering = ["region_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="org_code_unique_in_region"),
            models.UniqueConstraint(fields=["region", "name"], name="org_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_supervision(self) -> bool:
        return self.kind in SUPERVISION_KINDS


class Role(models.TextChoices):
    CLERK = "clerk", "登记员/承办人"
    LEADER = "leader", "审批领导"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


#: 三员: system-wide roles held without an org, one per account, none of them reading case content.
SYSTEM_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
ORG_ROLES = frozenset({Role.CLERK, Role.LEADER})


class RestrictedUserManager(UserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who logs in. Officers who never log in live in `Officer` instead."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    org = models.ForeignKey(
        Org,
        verbose_name="所在机构",
        null=True,
        blank=True,
        related_name="users",
        on_delete=models.PROTECT,
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects: ClassVar[RestrictedUserManager] = RestrictedUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name
        constraints = [
            # 三员: no all-powerful account; superusers exist only in test fixtures.
            models.CheckConstraint(
                condition=Q(is_staff=False, is_superuser=False), name="user_never_all_powerful"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def role_set(self) -> frozenset[str]:
        """Roles held, cached per instance; memberships change only through services."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.memberships.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))

    @property
    def is_system_admin_role(self) -> bool:
        return bool(self.role_set() & SYSTEM_ROLES)


class Membership(TimeStampedModel):
    """A role held by a user: clerk/leader in the user's org, or one 三员 role with no org."""

    user = models.ForeignKey(
        User, verbose_name="用户", related_name="memberships", on_delete=models.CASCADE
    )
    org = models.ForeignKey(
        Org,
        verbose_name="机构",
        null=True,
        blank=True,
        related_name="memberships",
        on_delete=models.PROTECT,
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="membership_role_once"),
            models.CheckConstraint(
                condition=(
                    Q(role__in=["clerk", "leader"], org__isnull=False)
                    | Q(role__in=["sysadmin", "secadmin", "auditor"], org__isnull=True)
                ),
                name="membership_org_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class CertStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "吊销"
    CANCELLED = "cancelled", "注销"


class Officer(TimeStampedModel):
    """行政执法人员: the registry that leads name (第四条: 姓名、职务、执法证编号)."""

    name = models.CharField("姓名", max_length=50)
    org = models.ForeignKey(
        Org, verbose_name="所在执法机关", related_name="officers", on_delete=models.PROTECT
    )
    post = models.CharField("职务", max_length=50, blank=True)
    cert_no = models.CharField("执法证号", max_length=32, unique=True)
    cert_status = models.CharField(
        "证件状态", max_length=12, choices=CertStatus.choices, default=CertStatus.VALID
    )
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政执法人员"
        verbose_name_plural = verbose_name
        ordering = ["org_id", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.cert_no}）"


class SecurityPolicy(models.Model):
    """安全策略: the login-security parameters of 等保 2.0 level 3, one row (id 1).

    Only the security administrator (安全管理员) changes it, through `security_policy_update`,
    which bumps `version` and writes the old and new values to the audit chain. Until the first
    change no row exists and the defaults from settings apply.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    lockout_failures = models.PositiveSmallIntegerField("连续登录失败锁定次数")
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）")
    idle_minutes = models.PositiveSmallIntegerField("会话空闲超时（分钟）")
    otp_roles = models.JSONField("须使用动态口令的角色", default=list, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)
    updated_by = models.ForeignKey(
        User,
        verbose_name="修改人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="security_policy_singleton"),
        ]

    def __str__(self) -> str:
        return f"安全策略（第{self.version}版）"

    @property
    def otp_role_set(self) -> frozenset[str]:
        return frozenset(self.otp_roles)
