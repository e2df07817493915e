"""Accounts and their roles, with the separation of duties of 等保 2.0 (三员)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xianjie.audit.services import audit_record
from xianjie.core.errors import InvalidInput, NotPermitted

from ..models import ORG_ROLES, SYSTEM_ROLES, Membership, Org, Role, User
from ._base import (
    REQUIRED,
    Errors,
    apply,
    check_text,
    insert,
    only,
    require_manageable,
    require_role,
    text,
)

USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,30}")
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
USER_FIELDS = frozenset({"full_name", "org", "phone"})


def _check_password(errors: Errors, field: str, password: str, user: User) -> None:
    if not password:
        errors.add(field, REQUIRED)
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        for message in error.messages:
            errors.add(field, message)


def _check_profile(errors: Errors, values: dict[str, Any]) -> None:
    values["full_name"], values["phone"] = text(values["full_name"]), text(values["phone"])
    check_text(errors, "full_name", values["full_name"], 50, required=True)
    if values["phone"] and not MOBILE_RE.fullmatch(values["phone"]):
        errors.add("phone", "请填写11位手机号码。")
    org = values["org"]
    if org is not None and not org.is_active:
        errors.add("org", "该机构已停用。")


def user_create(
    *,
    username: str,
    full_name: str,
    org: Org | None,
    password: str,
    phone: str = "",
    actor: User | None,
    must_change_password: bool = True,
) -> User:
    """Open an account. An account opened by an administrator changes its password at first
    login (等保 2.0); only `xianjie demo` opens accounts with a known shared password."""
    require_role(actor, Role.SYSADMIN)
    values: dict[str, Any] = {"full_name": full_name, "org": org, "phone": phone}
    username = text(username)
    errors = Errors()
    if not username:
        errors.add("username", REQUIRED)
    elif not USERNAME_RE.fullmatch(username):
        errors.add("username", "用户名应为3至30位字母、数字或“.”“_”“-”。")
    _check_profile(errors, values)
    user = User(username=username, **values)
    _check_password(errors, "password", password, user)
    with transaction.atomic():
        if username and User.objects.filter(username__iexact=username).exists():
            errors.add("username", "该用户名已被使用。")
        errors.raise_if_any()
        user.set_password(password)
        user.must_change_password = must_change_password
        user.password_changed_at = timezone.now()
        insert(user)
        audit_record(actor=actor, action="user.create", obj=user, payload={"org": user.org_id})
    return user


def user_update(*, user: User, actor: User | None, **changes: Any) -> User:
    """Change the profile (USER_FIELDS); the username never changes, the audit trail names it."""
    only(changes, USER_FIELDS)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        require_manageable(actor, User.objects, user)
        values = {field: getattr(user, field) for field in USER_FIELDS} | changes
        errors = Errors()
        _check_profile(errors, values)
        moved = getattr(values["org"], "pk", None) != user.org_id
        if moved and user.memberships.filter(role__in=ORG_ROLES).exists():
            errors.add(
                "org", "该用户在原机构担任登记员或审批领导，请先撤销这些角色再调整所在机构。"
            )
        errors.raise_if_any()
        changed = apply(user, values)
        if changed:
            audit_record(actor=actor, action="user.update", obj=user, payload={"fields": changed})
    return user


def user_set_active(*, user: User, active: bool, actor: User | None) -> User:
    """Deactivate (the account can no longer log in, its sessions end) or reactivate."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        require_manageable(actor, User.objects, user)
        if apply(user, {"is_active": active}):
            action = "user.activate" if active else "user.deactivate"
            audit_record(actor=actor, action=action, obj=user)
    return user


def user_reset_password(*, user: User, password: str, actor: User | None) -> User:
    """Set a temporary password that the holder must change at the next login."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        require_manageable(actor, User.objects, user)
        errors = Errors()
        _check_password(errors, "password", password, user)
        errors.raise_if_any()
        user.set_password(password)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit_record(actor=actor, action="user.reset_password", obj=user)
    return user


# Roles: clerk/leader within the account's org, or one 三员 role.


def _check_grantor(actor: User | None, role: str, holder_id: int) -> None:
    """Clerk/leader roles come from the 系统管理员, the 三员 roles from the 安全管理员, and no
    administrator changes their own roles."""
    if actor is None:
        return
    require_role(actor, Role.SYSADMIN if role in ORG_ROLES else Role.SECADMIN)
    if actor.pk == holder_id:
        raise NotPermitted("管理员不能更改自己的角色。")


def membership_grant(*, user: User, role: str, actor: User | None) -> Membership:
    if role not in Role.values:
        raise InvalidInput(errors={"role": ["请选择有效的角色。"]})
    _check_grantor(actor, role, user.pk)
    with transaction.atomic():
        # Locking the account serialises concurrent grants, so "one 三员 role" cannot be raced.
        user = User.objects.select_for_update().get(pk=user.pk)
        held = set(user.memberships.values_list("role", flat=True))
        errors = Errors()
        if role in held:
            errors.add("role", "该用户已担任此角色。")
        elif role in ORG_ROLES:
            if user.org_id is None:
                errors.add("role", "该用户未设所在机构，不能担任登记员或审批领导。")
            if held & SYSTEM_ROLES:
                errors.add("role", "三员账号不能同时担任登记员或审批领导。")
        else:
            if held & SYSTEM_ROLES:
                errors.add("role", "每个账号只能担任一种三员角色。")
            if held & ORG_ROLES:
                errors.add("role", "担任登记员或审批领导的账号不能再担任三员角色。")
        errors.raise_if_any()
        membership = Membership(user=user, org=user.org if role in ORG_ROLES else None, role=role)
        insert(membership)
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            payload={"user": user.pk, "role": role, "org": membership.org_id},
        )
    return membership


def membership_revoke(*, membership: Membership, actor: User | None) -> None:
    _check_grantor(actor, membership.role, membership.user_id)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        require_manageable(actor, Membership.objects, membership)
        audit_record(
            actor=actor,
            action="membership.revoke",
            obj=membership,
            payload={"user": membership.user_id, "role": membership.role},
        )
        membership.delete()
