"""Who may see and manage orgs, officers, users and memberships (第二条, 等保 2.0 三员).

Orgs and officers are registry data (tier 1, 第十一条 一般基础性信息): every active user sees those
of their own region; the 三员 hold no org and see the whole registry they administer. Only the
系统管理员 manages them.

Accounts follow the separation of duties of 等保 2.0 level 3: the 系统管理员 manages ordinary
accounts and their clerk/leader roles; the 安全管理员 manages the 三员 roles and the accounts
that hold them (so the 系统管理员 cannot take over an 安全管理员 by resetting its password);
nobody manages their own account or roles; clerks and leaders see the accounts of their own org.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from xianjie.access.restrict import Rule, register_policy

from .models import ORG_ROLES, SYSTEM_ROLES, Membership, Officer, Org, Role, User

#: "change" is a synonym of "manage" for registry data; "export" follows "view".
_MANAGE_ACTIONS = frozenset({"manage", "change"})
_VIEW_ACTIONS = frozenset({"view", "export"})


def _holds_system_role() -> Exists:
    return Exists(Membership.objects.filter(user=OuterRef("pk"), role__in=SYSTEM_ROLES))


@register_policy(Org)
def org_policy(user: Any, action: str) -> Rule:
    if action in _MANAGE_ACTIONS:
        return user.has_role(Role.SYSADMIN)
    if action not in _VIEW_ACTIONS:
        return False
    if user.org_id is not None:
        return Q(region_id=user.org.region_id)
    return user.is_system_admin_role


@register_policy(Officer)
def officer_policy(user: Any, action: str) -> Rule:
    if action in _MANAGE_ACTIONS:
        return user.has_role(Role.SYSADMIN)
    if action not in _VIEW_ACTIONS:
        return False
    if user.org_id is not None:
        return Q(org__region_id=user.org.region_id)
    return user.is_system_admin_role


@register_policy(User)
def user_policy(user: Any, action: str) -> Rule:
    if action in _MANAGE_ACTIONS:
        # One 三员 role per account (services enforce it), so the two branches never meet.
        if user.has_role(Role.SYSADMIN):
            managed = Q(~_holds_system_role())
        elif user.has_role(Role.SECADMIN):
            managed = Q(_holds_system_role())
        else:
            return False
        return managed & ~Q(pk=user.pk)
    if action not in _VIEW_ACTIONS:
        return False
    if user.has_role(Role.SYSADMIN, Role.SECADMIN):
        return True
    if user.has_role(*ORG_ROLES) and user.org_id is not None:
        return Q(org_id=user.org_id) | Q(pk=user.pk)
    return Q(pk=user.pk)


@register_policy(Membership)
def membership_policy(user: Any, action: str) -> Rule:
    if action in _MANAGE_ACTIONS:
        if user.has_role(Role.SYSADMIN):
            roles = ORG_ROLES
        elif user.has_role(Role.SECADMIN):
            roles = SYSTEM_ROLES
        else:
            return False
        # An administrator never changes their own roles.
        return Q(role__in=roles) & ~Q(user_id=user.pk)
    if action not in _VIEW_ACTIONS:
        return False
    if user.has_role(Role.SYSADMIN, Role.SECADMIN):
        return True
    if user.has_role(*ORG_ROLES) and user.org_id is not None:
        return Q(user__org_id=user.org_id) | Q(user_id=user.pk)
    return Q(user_id=user.pk)
