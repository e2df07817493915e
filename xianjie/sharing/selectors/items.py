"""Reading the library of shared items (第十一条): lists, counts, search, the detail, read
receipts and the unread items of the workbench.

Everything starts from `SharedItem.objects.restrict(user, "view")` (sharing.policies), so a
list, its count, the counts per category, a search and the unread number answer exactly the
same set of items: readers never meet a draft, a withdrawn item or a tier 2 item outside their
scope, not even as a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from xianjie.access.restrict import get_object_for_user
from xianjie.access.tiers import Action
from xianjie.accounts.models import Org, Role, User

from ..models import Category, ItemStatus, ReadReceipt, SharedItem
from ..search import search_filter
from ..services.receipts import OrgReceipts, receipt_summary

#: The workbench shows this many unread items at most.
UNREAD_LIMIT = 5
TIER_BADGES = {1: "一般", 2: "重要"}


def library_queryset(user: Any) -> QuerySet[SharedItem]:
    """The items `user` may open, newest first, each with `shown_at` (published, or for a
    draft created), `is_read` (the user's receipt exists) and `unread` (a published item of
    another org without the user's receipt — their own org's items need none)."""
    read = Exists(ReadReceipt.objects.filter(item_id=OuterRef("pk"), user_id=user.pk))
    unread = (
        Q(status=ItemStatus.PUBLISHED) & ~Q(publisher_org_id=getattr(user, "org_id", None)) & ~read
    )
    return (
        SharedItem.objects.restrict(user, Action.VIEW)
        .select_related("publisher_org")
        .annotate(
            shown_at=Coalesce("published_at", "created_at"),
            is_read=read,
            unread=Case(When(unread, then=Value(True)), default=Value(False)),
        )
        .order_by("-shown_at", "-id")
    )


def _unread(queryset: QuerySet[SharedItem]) -> QuerySet[SharedItem]:
    return queryset.filter(Q(unread=True))


def _filtered(
    user: Any, filters: Mapping[str, Any], *, skip: frozenset[str] = frozenset()
) -> QuerySet[SharedItem]:
    queryset = library_queryset(user)
    wanted = {key: value for key, value in filters.items() if key not in skip}
    if query := str(wanted.get("q") or "").strip():
        queryset = queryset.filter(search_filter(query))
    if wanted.get("tier"):
        queryset = queryset.filter(tier=wanted["tier"])
    if wanted.get("category"):
        queryset = queryset.filter(category=wanted["category"])
    if wanted.get("publisher"):
        queryset = queryset.filter(publisher_org_id=wanted["publisher"])
    if wanted.get("status"):
        queryset = queryset.filter(status=wanted["status"])
    since: date | None = wanted.get("date_from")
    until: date | None = wanted.get("date_to")
    if since is not None:
        queryset = queryset.filter(Q(shown_at__date__gte=since))
    if until is not None:
        queryset = queryset.filter(Q(shown_at__date__lte=until))
    if wanted.get("unread"):
        queryset = _unread(queryset)
    return queryset


def shared_item_list(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[SharedItem]:
    """The library for `user`, filtered: q (search, every word), tier, category, publisher
    (org id), status, date_from / date_to (the publication date, for drafts the creation date),
    unread (published items of other orgs without the user's receipt)."""
    return _filtered(user, filters or {})


def shared_item_category_counts(
    user: Any, filters: Mapping[str, Any] | None = None
) -> list[tuple[str, str, int]]:
    """(category, label, count) for the filter sidebar: the same items as the list with every
    filter but the category, so a count never includes an item the list would not show."""
    rows = (
        _filtered(user, filters or {}, skip=frozenset({"category"}))
        .order_by()
        .values("category")
        .annotate(count=Count("pk"))
    )
    counts = {row["category"]: row["count"] for row in rows}
    return [(value, str(label), counts.get(value, 0)) for value, label in Category.choices]


def publisher_choices(user: Any) -> QuerySet[Org]:
    """The orgs that published something the user may open (the publisher filter)."""
    visible = SharedItem.objects.restrict(user, Action.VIEW).values("publisher_org_id")
    return Org.objects.filter(pk__in=visible).order_by("sort_order", "id")


def get_shared_item_for_user(user: Any, pk: Any, action: str = Action.VIEW) -> SharedItem:
    """The item if `user` may open it, else NotFound (404)."""
    return get_object_for_user(
        SharedItem.objects.select_related(
            "publisher_org", "region", "created_by", "published_by", "withdrawn_by"
        ),
        user,
        action,
        pk=pk,
    )


def is_publisher(user: Any, item: SharedItem) -> bool:
    """A clerk or leader of the publishing org: they manage the item and see its receipts."""
    return user.org_id == item.publisher_org_id and user.has_role(Role.CLERK, Role.LEADER)


def item_actions(user: Any, item: SharedItem) -> frozenset[str]:
    """What `user` may do with the item now: edit, delete and change files of a draft (the
    publisher's clerks and leaders), publish it or withdraw the published item (its leaders)."""
    if not is_publisher(user, item):
        return frozenset()
    leader = user.has_role(Role.LEADER)
    if item.status == ItemStatus.DRAFT:
        return frozenset({"edit", "delete", "files", *(("publish",) if leader else ())})
    if item.status == ItemStatus.PUBLISHED and leader:
        return frozenset({"withdraw"})
    return frozenset()


def audience_orgs(item: SharedItem) -> list[Org]:
    """The orgs the item is shared with (第十一条): tier 1 every active org of its region but
    the publisher (全面共享); tier 2 the orgs named by the publisher and their legal units
    (指定范围共享)."""
    orgs: QuerySet[Org]
    if item.tier == 1:
        orgs = Org.objects.filter(region_id=item.region_id, is_active=True).exclude(
            pk=item.publisher_org_id
        )
    else:
        # A department named in the scope reads through its legal unit (法制股) too (policies.py).
        scope = item.scope_orgs.values("pk")
        orgs = Org.objects.filter(Q(pk__in=scope) | Q(parent_id__in=scope, is_active=True))
    return list(orgs.order_by("sort_order", "id"))


def audience_users(item: SharedItem) -> QuerySet[User]:
    """The active people who may read the published item: the clerks and leaders of its
    audience orgs, or their leaders only when the publisher said so."""
    roles = [Role.LEADER] if item.tier == 2 and item.leaders_only else [Role.CLERK, Role.LEADER]
    return User.objects.filter(
        is_active=True,
        org__in=[org.pk for org in audience_orgs(item)],
        memberships__role__in=roles,
    ).distinct()


def shared_item_receipts(user: Any, item: SharedItem) -> list[OrgReceipts] | None:
    """Per audience org, who has read the item and when — for the publishing org only, once the
    item was published; None for anyone else (readers never see who else read)."""
    if not is_publisher(user, item) or item.status == ItemStatus.DRAFT:
        return None
    return receipt_summary(orgs=audience_orgs(item), item=item)


def shared_items_unread(user: Any, limit: int = UNREAD_LIMIT) -> list[SharedItem]:
    """The newest published items the user has not opened yet (the workbench)."""
    return list(_unread(library_queryset(user))[:limit])


def shared_items_unread_count(user: Any) -> int:
    return _unread(library_queryset(user)).count()
