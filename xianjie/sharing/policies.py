"""Who reads shared items and typical cases (第十一条, 第十二条).

- Tier 1 (一般基础性信息): once published, every clerk and leader of an org in the publisher's
  region (全面共享).
- Tier 2 (重要信息): once published, the clerks and leaders of the orgs the publisher named (a
  department's legal unit reads for it) — or only their leaders when the publisher says so
  (指定范围共享).
- The publishing (preparing) org's clerks and leaders see their own items in every status.
- Withdrawn items drop out of every reader's list, count and search at once.
- The 三员 and users without an org see nothing. Tier 3 is never shared here.
A file or a study record is visible exactly when its item or case is (a unit sees only its own
study record; the preparing org sees all of them).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from xianjie.access.restrict import Rule, register_policy
from xianjie.accounts.models import Role

from .models import ItemStatus, Lesson, LessonStatus, SharedFile, SharedItem, StudyRecord

#: Readers only read; what they may change is decided per action in the services.
_READ_ACTIONS = frozenset({"view", "status", "download", "export"})


def _org_member(user: Any) -> bool:
    return user.org_id is not None and user.has_role(Role.CLERK, Role.LEADER)


def _units(user: Any) -> list[int]:
    """An item or a case shared with a department reaches its legal unit (法制股) too, which acts
    for it in supervision matters (as for rectification tasks)."""
    return [user.org_id, *([user.org.parent_id] if user.org.parent_id else [])]


def shared_item_rule(user: Any, action: str) -> Rule:
    """第十一条: tier 1 to the region, tier 2 to the named scope; publishers see their own."""
    if not _org_member(user):
        return False
    own = Q(publisher_org_id=user.org_id)
    if action not in _READ_ACTIONS:
        return own
    in_scope = Exists(
        SharedItem.scope_orgs.through.objects.filter(
            shareditem_id=OuterRef("pk"), org_id__in=_units(user)
        )
    )
    tier_two = Q(in_scope, tier=2)
    if not user.has_role(Role.LEADER):
        tier_two &= Q(leaders_only=False)
    published = Q(status=ItemStatus.PUBLISHED, region_id=user.org.region_id)
    return own | (published & (Q(tier=1) | tier_two))


def lesson_rule(user: Any, action: str) -> Rule:
    """第十二条: a published case reaches the region (tier 1) or its target units (tier 2); the
    preparing org sees its drafts."""
    if not _org_member(user):
        return False
    own = Q(org_id=user.org_id)
    if action not in _READ_ACTIONS:
        return own
    targeted = Exists(
        Lesson.target_orgs.through.objects.filter(lesson_id=OuterRef("pk"), org_id__in=_units(user))
    )
    published = Q(status=LessonStatus.PUBLISHED, org__region_id=user.org.region_id)
    return own | (published & (Q(tier=1) | Q(targeted, tier=2)))


@register_policy(SharedItem)
def _shared_item_policy(user: Any, action: str) -> Rule:
    return shared_item_rule(user, action)


@register_policy(Lesson)
def _lesson_policy(user: Any, action: str) -> Rule:
    return lesson_rule(user, action)


@register_policy(SharedFile)
def _shared_file_policy(user: Any, action: str) -> Rule:
    item_rule = shared_item_rule(user, action)
    case_rule = lesson_rule(user, action)
    if item_rule is False and case_rule is False:
        return False
    return Q(item__in=SharedItem.objects.restrict(user, action).values("pk")) | Q(
        lesson__in=Lesson.objects.restrict(user, action).values("pk")
    )


@register_policy(StudyRecord)
def _study_policy(user: Any, action: str) -> Rule:
    if not _org_member(user):
        return False
    visible = Lesson.objects.restrict(user, "view").values("pk")
    if action in _READ_ACTIONS:
        return Q(lesson__in=visible) & (Q(org_id__in=_units(user)) | Q(lesson__org_id=user.org_id))
    return Q(lesson__in=visible, org_id__in=_units(user))
