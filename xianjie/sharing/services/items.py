"""Shared items (共享信息, 第十一条): drafted, published to their audience, withdrawn.

第十一条 shares information in tiers: tier 1 一般基础性信息 (policies, experience, work
requirements) with every org of the region (全面共享); tier 2 重要信息 (supervision inspection
results, accountability decisions) with the orgs the publisher names — optionally with their
leaders only (指定范围共享). Tier 3 is never a shared item (it opens only through an access
request).

Who acts: any clerk or leader drafts for their own org, edits and deletes its drafts and
attaches files to them; a leader of that org publishes a draft (its audience is notified) and
withdraws a published item with a reason (it leaves every reader's list, count and search at
once). Refusals, in this order: 404 the item is not visible; 403 not the user's to act on; 409
not allowed in the current status; 400 every bad field at once (Chinese messages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xianjie.accounts.models import Org, Role
from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted, merge_errors
from xianjie.core.statemachine import next_status
from xianjie.core.validation import clean_text
from xianjie.notifications.services import notify_on_commit

from ..models import Category, ItemStatus, SharedItem
from ..search import index_text
from ..selectors.items import audience_users, get_shared_item_for_user, is_publisher
from .files import file_problems, files_delete_all, shared_file_upload, uploads_guard
from .receipts import receipt_record

MAX_TITLE = 200
MAX_BODY = 20000
MAX_REASON = 500
NOTIFICATION_KIND = "shared_item"
#: 第十一条 names supervision inspection results and accountability as 重要信息 (tier 2).
TIER_TWO_CATEGORIES = frozenset({Category.INSPECTION_RESULT, Category.ACCOUNTABILITY})

#: status → {transition: next status}.
TRANSITIONS: dict[str, dict[str, str]] = {
    ItemStatus.DRAFT: {"publish": ItemStatus.PUBLISHED},
    ItemStatus.PUBLISHED: {"withdraw": ItemStatus.WITHDRAWN},
}
TRANSITION_LABELS = {"publish": "发布", "withdraw": "撤回"}

AUDIT_LABELS = {
    "shared_item.create": "共享信息·起草",
    "shared_item.update": "共享信息·修改草稿",
    "shared_item.delete": "共享信息·删除草稿",
    "shared_item.publish": "共享信息·发布",
    "shared_item.withdraw": "共享信息·撤回",
}


# --- Checks shared by the services.


def _require_drafter(actor: Any) -> None:
    if actor.org_id is None or not actor.has_role(Role.CLERK, Role.LEADER):
        raise NotPermitted("只有各单位的登记员和审批领导可以起草共享信息。")


def _require_publisher(actor: Any, item: SharedItem, *, leader: bool, act: str) -> None:
    if not is_publisher(actor, item) or (leader and not actor.has_role(Role.LEADER)):
        who = "审批领导" if leader else "登记员和审批领导"
        raise NotPermitted(f"只有发布单位的{who}可以{act}。")


def _require_draft(item: SharedItem, act: str) -> None:
    if item.status != ItemStatus.DRAFT:
        raise Conflict(f"该信息{item.get_status_display()}，不能再{act}。")


def _locked(item_id: int) -> SharedItem:
    """The item row, locked until the transaction ends: of a publication and an edit (or a
    withdrawal) at the same moment, the second sees the first one's result."""
    return SharedItem.objects.select_for_update().select_related("publisher_org").get(pk=item_id)


def _audit(actor: Any, action: str, item: SharedItem, **payload: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=item,
        tier=item.tier,
        payload={"status": item.status, "tier": item.tier, **payload},
    )


# --- Cleaning the fields (every bad field is reported at once).


def _tier(value: Any, errors: dict[str, list[str]]) -> int | None:
    text = str(value if value is not None else "").strip()
    if text not in ("1", "2"):
        errors["tier"] = ["请选择共享层级：一般基础性信息（全面共享）或重要信息（指定范围共享）。"]
        return None
    return int(text)


def _scope(
    values: Iterable[Any], tier: int | None, actor: Any, errors: dict[str, list[str]]
) -> list[Org]:
    wanted = [str(getattr(value, "pk", value)).strip() for value in values or ()]
    wanted = [value for value in wanted if value]
    if tier == 1:
        if wanted:
            errors["scope_orgs"] = ["一般基础性信息面向本区域全部单位共享，不能指定共享范围。"]
        return []
    ids = {int(value) for value in wanted if value.isascii() and value.isdigit()}
    orgs = list(
        Org.objects.filter(pk__in=ids, region_id=actor.org.region_id, is_active=True).order_by(
            "sort_order", "id"
        )
    )
    if len(orgs) != len(set(wanted)):
        errors["scope_orgs"] = ["共享范围中有单位不存在、已停用或不属于本区域。"]
    elif actor.org_id in ids:
        errors["scope_orgs"] = ["本单位无需列入共享范围。"]
    elif tier == 2 and not orgs:
        errors["scope_orgs"] = ["重要信息须指定共享范围（至少一个单位）。"]
    return orgs


def _clean(
    *,
    tier: Any,
    category: Any,
    title: Any,
    body: Any,
    scope_orgs: Iterable[Any],
    leaders_only: Any,
    actor: Any,
) -> tuple[dict[str, Any], list[Org], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    level = _tier(tier, errors)
    kind = str(category or "").strip()
    if kind not in Category.values:
        errors["category"] = [f"请选择类别：{'、'.join(str(label) for label in Category.labels)}。"]
    elif level == 1 and kind in TIER_TWO_CATEGORIES:
        errors["category"] = [
            f"{Category(kind).label}属重要信息，应按重要信息指定范围共享（第十一条）。"
        ]
    values = {
        "tier": level,
        "category": kind,
        "title": clean_text(
            title, field="title", label="标题", limit=MAX_TITLE, errors=errors, required=True
        ),
        "body": clean_text(
            body, field="body", label="正文", limit=MAX_BODY, errors=errors, required=True
        ),
        "leaders_only": bool(leaders_only),
    }
    if level == 1 and values["leaders_only"]:
        errors["leaders_only"] = ["“仅限领导阅”只适用于指定范围共享的重要信息。"]
    orgs = _scope(scope_orgs, level, actor, errors)
    return values, orgs, errors


def _files_refusal(files: list[Any], errors: dict[str, list[str]], already: int = 0) -> None:
    """Raise the refusal of the fields and the files together: every bad field listed (400)
    when a field is bad, else the files' own refusal (400, 413 or 415) under `files`."""
    problem = file_problems(files, already=already)
    if problem is not None:
        detail = [text for texts in problem.errors.values() for text in texts] or [problem.detail]
        if not errors:
            problem.errors = {"files": detail}
            raise problem
        errors = merge_errors(errors, {"files": detail})
    if errors:
        raise InvalidInput(errors=errors)


# --- Services.


def shared_item_create(
    *,
    tier: Any,
    category: Any,
    title: Any,
    body: Any,
    scope_orgs: Iterable[Any] = (),
    leaders_only: Any = False,
    files: Iterable[Any] = (),
    actor: Any,
) -> SharedItem:
    """Draft a shared item for the actor's own org (第十一条); it reaches nobody until a leader
    of that org publishes it."""
    _require_drafter(actor)
    values, orgs, errors = _clean(
        tier=tier,
        category=category,
        title=title,
        body=body,
        scope_orgs=scope_orgs,
        leaders_only=leaders_only,
        actor=actor,
    )
    chosen = [file for file in files if file is not None]
    _files_refusal(chosen, errors)
    with uploads_guard(), transaction.atomic():
        item = SharedItem.objects.create(
            **values,
            publisher_org=actor.org,
            region_id=actor.org.region_id,
            search_text=index_text(values["title"], values["body"]),
            created_by=actor,
        )
        item.scope_orgs.set(orgs)
        for file in chosen:
            shared_file_upload(owner=item, file=file, actor=actor)
        _audit(
            actor,
            "shared_item.create",
            item,
            category=item.category,
            scope=[org.pk for org in orgs],
            leaders_only=item.leaders_only,
            files=len(chosen),
        )
    return item


def shared_item_update(
    *,
    item_id: Any,
    actor: Any,
    tier: Any = None,
    category: Any = None,
    title: Any = None,
    body: Any = None,
    scope_orgs: Iterable[Any] | None = None,
    leaders_only: Any = None,
    files: Iterable[Any] = (),
) -> SharedItem:
    """Change a draft (the publishing org's clerks and leaders); a field given as None keeps
    its value, `files` are added to those it has."""
    item = get_shared_item_for_user(actor, item_id)
    _require_publisher(actor, item, leader=False, act="修改")
    _require_draft(item, "修改")
    chosen = [file for file in files if file is not None]
    with uploads_guard(), transaction.atomic():
        locked = _locked(item.pk)
        _require_draft(locked, "修改")
        current_scope = list(locked.scope_orgs.values_list("pk", flat=True))
        # A draft turned into tier 1 drops the scope it no longer has, unless one is given.
        to_tier_one = str(tier).strip() == "1"
        if scope_orgs is None:
            scope_orgs = [] if to_tier_one else current_scope
        if leaders_only is None:
            leaders_only = False if to_tier_one else locked.leaders_only
        values, orgs, errors = _clean(
            tier=locked.tier if tier is None else tier,
            category=locked.category if category is None else category,
            title=locked.title if title is None else title,
            body=locked.body if body is None else body,
            scope_orgs=scope_orgs,
            leaders_only=leaders_only,
            actor=actor,
        )
        _files_refusal(chosen, errors, already=locked.files.count())
        changed = [field for field, value in values.items() if getattr(locked, field) != value]
        for field, value in values.items():
            setattr(locked, field, value)
        locked.search_text = index_text(locked.title, locked.body)
        locked.save(update_fields=[*values, "search_text", "updated_at"])
        if sorted(org.pk for org in orgs) != sorted(current_scope):
            locked.scope_orgs.set(orgs)
            changed.append("scope_orgs")
        for file in chosen:
            shared_file_upload(owner=locked, file=file, actor=actor)
        _audit(actor, "shared_item.update", locked, fields=changed, files=len(chosen))
    return locked


def shared_item_delete(*, item_id: Any, actor: Any) -> None:
    """Delete a draft and its files (the publishing org's clerks and leaders). A published item
    is withdrawn instead, so that what was shared stays on record."""
    item = get_shared_item_for_user(actor, item_id)
    _require_publisher(actor, item, leader=False, act="删除草稿")
    with transaction.atomic():
        locked = _locked(item.pk)
        _require_draft(locked, "删除（已发布的信息请撤回）")
        _audit(actor, "shared_item.delete", locked)
        files_delete_all(locked)
        # Its scope rows go with it (a many-to-many through table).
        locked.delete()


def _move(item_id: Any, actor: Any, name: str) -> tuple[SharedItem, str]:
    """The item locked, checked for `name` (404, 403, 409), and the status it moves to."""
    item = get_shared_item_for_user(actor, item_id)
    _require_publisher(actor, item, leader=True, act=TRANSITION_LABELS[name])
    locked = _locked(item.pk)
    try:
        target = next_status(TRANSITIONS, locked.status, name)
    except Conflict:
        raise Conflict(
            f"该信息{locked.get_status_display()}，不能{TRANSITION_LABELS[name]}。"
        ) from None
    return locked, target


def shared_item_publish(*, item_id: Any, actor: Any) -> SharedItem:
    """Publish a draft (a leader of the publishing org): it appears at once in the library of
    its audience (第十一条), who are notified."""
    with transaction.atomic():
        locked, target = _move(item_id, actor, "publish")
        locked.status = target
        locked.published_by = actor
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        readers = audience_users(locked)
        _audit(actor, "shared_item.publish", locked, readers=readers.count())
        url = reverse("sharing:item_detail", args=[locked.pk])
        publisher = locked.publisher_org.short_name or locked.publisher_org.name
        notify_on_commit(
            recipients=readers,
            kind=NOTIFICATION_KIND,
            title=f"{publisher}发布了共享信息《{locked.title}》",
            url=url,
        )
        if locked.created_by_id != actor.pk:
            notify_on_commit(
                recipients=[locked.created_by],
                kind=NOTIFICATION_KIND,
                title=f"您起草的共享信息《{locked.title}》已发布",
                url=url,
            )
    return locked


def shared_item_withdraw(*, item_id: Any, actor: Any, reason: Any) -> SharedItem:
    """Withdraw a published item with a reason (a leader of the publishing org): it leaves
    every reader's library, count and search at once; the publisher keeps it on record."""
    with transaction.atomic():
        locked, target = _move(item_id, actor, "withdraw")
        errors: dict[str, list[str]] = {}
        text = clean_text(
            reason, field="reason", label="撤回理由", limit=MAX_REASON, errors=errors, required=True
        )
        if errors:
            raise InvalidInput(errors=errors)
        locked.status = target
        locked.withdrawn_by = actor
        locked.withdrawn_at = timezone.now()
        locked.withdraw_reason = text
        locked.save(
            update_fields=[
                "status",
                "withdrawn_by",
                "withdrawn_at",
                "withdraw_reason",
                "updated_at",
            ]
        )
        _audit(actor, "shared_item.withdraw", locked)
        if locked.created_by_id != actor.pk:
            notify_on_commit(
                recipients=[locked.created_by],
                kind=NOTIFICATION_KIND,
                title=f"您起草的共享信息《{locked.title}》已撤回",
                url=reverse("sharing:item_detail", args=[locked.pk]),
            )
    return locked


def shared_item_read(*, item: SharedItem, actor: Any) -> bool:
    """The detail page or API opened `item` for `actor` (who may see it): a reader's first
    opening of a published item writes their read receipt; the publishing org's own people
    and drafts or withdrawn items leave none. True when a receipt was written."""
    if item.status != ItemStatus.PUBLISHED or actor.org_id == item.publisher_org_id:
        return False
    return receipt_record(user=actor, item=item)


def shared_item_transition(*, item_id: Any, name: str, actor: Any, reason: Any = "") -> SharedItem:
    """`publish` or `withdraw` by name (the pages and the API); any other name is 404."""
    if name == "publish":
        return shared_item_publish(item_id=item_id, actor=actor)
    if name == "withdraw":
        return shared_item_withdraw(item_id=item_id, actor=actor, reason=reason)
    raise NotFound("没有这一操作。")
