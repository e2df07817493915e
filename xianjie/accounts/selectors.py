"""Reading orgs, accounts and officers; every query starts from `restrict(user, action)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import SYSTEM_ROLES, Membership, Officer, Org, OrgKind, User


@dataclass(frozen=True)
class TreeRow:
    org: Org
    depth: int


def org_tree(*, user: Any) -> list[TreeRow]:
    """The visible orgs in tree order (parents before children, siblings by sort order), with
    their depth; an org whose parent is not visible starts a tree of its own."""
    orgs = list(
        Org.objects.restrict(user, "view")
        .select_related("region")
        .annotate(
            user_count=Count("users", distinct=True),
            officer_count=Count("officers", distinct=True),
        )
        .order_by("region__code", "sort_order", "id")
    )
    ids = {org.pk for org in orgs}
    children: dict[int | None, list[Org]] = {}
    for org in orgs:
        parent_id = org.parent_id if org.parent_id in ids else None
        children.setdefault(parent_id, []).append(org)
    rows: list[TreeRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for org in children.get(parent_id, []):
            rows.append(TreeRow(org, depth))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return rows


def enforcement_orgs(*, user: Any) -> QuerySet[Org]:
    """行政执法机关 the user may see: the orgs an officer can belong to."""
    return Org.objects.restrict(user, "view").filter(kind=OrgKind.ENFORCEMENT, is_active=True)


def user_list(
    *,
    user: Any,
    org: Org | None = None,
    role: str = "",
    active: bool | None = None,
    q: str = "",
) -> QuerySet[User]:
    users = User.objects.restrict(user, "view").select_related("org")
    if org is not None:
        users = users.filter(org=org)
    if role:
        users = users.filter(Exists(Membership.objects.filter(user=OuterRef("pk"), role=role)))
    if active is not None:
        users = users.filter(is_active=active)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return users.prefetch_related("memberships").order_by("org__sort_order", "org_id", "username")


def system_role_holders(*, user: Any) -> QuerySet[Membership]:
    """The 三员 memberships, for the 安全管理员's page."""
    return (
        Membership.objects.restrict(user, "view")
        .filter(role__in=SYSTEM_ROLES)
        .select_related("user")
        .order_by("role", "user__username")
    )


def system_role_candidates(*, user: Any) -> QuerySet[User]:
    """Active accounts that hold no role at all: the only ones a 三员 role may go to."""
    return (
        User.objects.restrict(user, "view")
        .filter(is_active=True)
        .exclude(Exists(Membership.objects.filter(user=OuterRef("pk"))))
        .exclude(pk=user.pk)
        .order_by("username")
    )


def officer_list(
    *, user: Any, org: Org | None = None, status: str = "", q: str = ""
) -> QuerySet[Officer]:
    officers = Officer.objects.restrict(user, "view").select_related("org")
    if org is not None:
        officers = officers.filter(org=org)
    if status:
        officers = officers.filter(cert_status=status)
    if q:
        officers = officers.filter(Q(name__icontains=q) | Q(cert_no__icontains=q))
    return officers.order_by("org__sort_order", "org_id", "name", "id")
