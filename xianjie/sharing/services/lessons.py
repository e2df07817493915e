"""Typical cases for warning education (典型案例, 第十二条 成果“共享共用”): prepared from a closed
referral by a leader of either party, reviewed by a person, published as tier 1 or 2 to chosen
units, withdrawn with a reason. Study records are in `studies.py`, 以案促改 in `reforms.py`.

Every service runs the same path inside one transaction: the case fetched through the access
policy and locked (404 for a case the user may not see), the act checked against the user's org
and role (403), the transition table consulted (409), the fields checked (400, every bad field
at once), then the row saved, the history row and the audit entry written, and the people
concerned told on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Org, Role, User
from xianjie.audit.services import audit_record
from xianjie.catalog.models import ViolationCode
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted
from xianjie.core.validation import clean_text
from xianjie.notifications.services import notify_on_commit
from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import get_referral_for_user, referral_content
from xianjie.referrals.transitions import Status as ReferralStatus

from ..deidentify import residual_findings
from ..models import Lesson, LessonEvent, LessonStatus, LessonTransition
from ..search import index_text
from ..selectors.lesson_texts import MaskLists, lesson_proposal, mask_lists

S, T = LessonStatus, LessonTransition

#: The moves of a case; `edit` of a reviewed case's wording goes back to draft (lesson_update).
TABLE: dict[str, dict[str, str]] = {
    S.DRAFT: {T.EDIT: S.DRAFT, T.REVIEW: S.REVIEWED, T.WITHDRAW: S.WITHDRAWN},
    S.REVIEWED: {T.EDIT: S.REVIEWED, T.PUBLISH: S.PUBLISHED, T.WITHDRAW: S.WITHDRAWN},
    S.PUBLISHED: {T.WITHDRAW: S.WITHDRAWN, T.REFORM: S.PUBLISHED},
    S.WITHDRAWN: {},
}

AUDIT_LABELS = {f"lesson.{t.value}": f"典型案例·{t.label}" for t in LessonTransition} | {
    "lesson.study": "典型案例·登记学习记录"
}

#: Notifications of this app's cases; the inbox shows the kind as 典型案例.
NOTIFY_KIND = "lesson"
MAX_REASON = 500
#: The fields a reviewer vouches for: changing any of them after review asks for a new review.
WORDING = {"title": "案例标题", "text": "案例正文", "lessons_learned": "警示意义"}
LIMITS = {"title": 200, "text": 20000, "lessons_learned": 5000}


# --- Who may do what (the pages show only the buttons these allow).


def may_prepare(user: Any, referral: Referral) -> bool:
    """A leader of either party to a closed referral (第十二条)."""
    return (
        user.org_id is not None
        and user.org_id in (referral.sender_org_id, referral.receiver_org_id)
        and user.has_role(Role.LEADER)
    )


def _of_org(user: Any, lesson: Lesson, *roles: str) -> bool:
    return user.org_id == lesson.org_id and user.has_role(*(roles or (Role.CLERK, Role.LEADER)))


def may_edit(user: Any, lesson: Lesson) -> bool:
    return lesson.status in (S.DRAFT, S.REVIEWED) and _of_org(user, lesson)


def may_review(user: Any, lesson: Lesson) -> bool:
    return lesson.status == S.DRAFT and _of_org(user, lesson)


def may_publish(user: Any, lesson: Lesson) -> bool:
    return lesson.status == S.REVIEWED and _of_org(user, lesson, Role.LEADER)


def may_withdraw(user: Any, lesson: Lesson) -> bool:
    return lesson.status != S.WITHDRAWN and _of_org(user, lesson, Role.LEADER)


# --- Pieces every service uses.


def move(lesson: Lesson, transition: str) -> str:
    """The status after `transition`, or Conflict (409) naming both in Chinese."""
    moves = TABLE.get(lesson.status, {})
    if transition not in moves:
        raise Conflict(f"当前状态（{S(lesson.status).label}）下不能“{T(transition).label}”。")
    return moves[transition]


def detail_url(lesson: Lesson) -> str:
    return reverse("sharing:lesson_detail", args=[lesson.pk])


def locked(lesson_id: Any, actor: Any) -> Lesson:
    """Inside the caller's transaction: the case if `actor` may see it (else 404), locked — of
    two people acting on it at once, the second waits and then sees the first one's result."""
    return get_object_for_user(
        Lesson.objects.select_for_update(of=("self",)).select_related("org", "referral"),
        actor,
        "view",
        pk=lesson_id,
    )


def record(
    lesson: Lesson,
    actor: Any,
    transition: str,
    before: str,
    *,
    comment: str = "",
    **payload: Any,
) -> None:
    """The history row and the audit entry (ids, statuses and numbers only, never text)."""
    LessonEvent.objects.create(
        lesson=lesson,
        at=timezone.now(),
        actor=actor,
        transition=transition,
        from_status=before,
        to_status=lesson.status,
        comment=comment,
    )
    audit_record(
        actor=actor,
        action=f"lesson.{transition}",
        obj=lesson,
        tier=lesson.tier,
        payload={"status": lesson.status, "previous": before, **payload},
    )


def people(org_ids: Iterable[int], *roles: str) -> QuerySet[User]:
    """The active clerks and/or leaders of the orgs (both by default)."""
    return User.objects.filter(
        is_active=True,
        memberships__org_id__in=list(org_ids),
        memberships__role__in=roles or (Role.CLERK, Role.LEADER),
    ).distinct()


def readers_of(lesson: Lesson, orgs: Iterable[Org]) -> list[User]:
    """The clerks and leaders of `orgs` and of their legal units (法制股, child orgs, which act
    for a department) who may open the case — no one is sent a link to a page they cannot see."""
    org_ids = [org.pk for org in orgs]
    units = Org.objects.filter(Q(pk__in=org_ids) | Q(parent_id__in=org_ids)).values("pk")
    return [
        user
        for user in people(units.values_list("pk", flat=True)).select_related("org")
        if Lesson.objects.restrict(user, "view").filter(pk=lesson.pk).exists()
    ]


def clean_codes(values: Any, errors: dict[str, list[str]]) -> list[ViolationCode]:
    wanted = [str(v).strip().upper() for v in (values or []) if str(v).strip()]
    codes = list(ViolationCode.objects.filter(code__in=wanted, is_active=True))
    unknown = sorted(set(wanted) - {c.code for c in codes})
    if unknown:
        errors.setdefault("violation_codes", []).append(
            f"违规类型代码不存在或已停用：{'、'.join(unknown)}。"
        )
    return sorted(codes, key=lambda c: (c.sort_order, c.code))


def lists_for(lesson: Lesson, actor: Any) -> MaskLists:
    """What the review check looks for, read from the case's referral. The preparing org is a
    party to it, so its people may read it."""
    referral = get_referral_for_user(actor, lesson.referral_id)
    return mask_lists(referral, referral_content(referral), actor)


def residual_problems(lesson: Lesson, lists: MaskLists) -> dict[str, list[str]]:
    """第十二条: nothing identifying may be published; each field with what it still shows."""
    errors: dict[str, list[str]] = {}
    for name in WORDING:
        found = residual_findings(getattr(lesson, name), lists.names, lists.cert_nos)
        if found:
            shown = "、".join(str(f) for f in found)
            errors[name] = [f"仍有疑似个人信息，请脱敏后再提交：{shown}。"]
    return errors


def reindex(lesson: Lesson, codes: Iterable[ViolationCode]) -> None:
    lesson.search_text = index_text(
        lesson.title,
        lesson.text,
        lesson.lessons_learned,
        *(f"{c.code} {c.text}" for c in codes),
    )


# --- The services.


def lesson_prepare(*, referral_id: Any, actor: Any) -> Lesson:
    """A draft typical case from a closed referral (第十二条): the de-identified proposal, its
    title from the violation codes, the codes copied, and only the counts of what was masked."""
    referral = get_referral_for_user(actor, referral_id)
    if not may_prepare(actor, referral):
        raise NotPermitted("只有案件双方单位的审批领导可以编写典型案例。")
    if referral.status != ReferralStatus.CLOSED:
        raise Conflict("只能从已办结的案件编写典型案例。")
    proposal = lesson_proposal(referral, actor)
    with transaction.atomic():
        Referral.objects.select_for_update(of=("self",)).filter(pk=referral.pk).first()
        mine = Lesson.objects.filter(referral=referral, org_id=actor.org_id)
        if mine.exclude(status=S.WITHDRAWN).exists():
            raise Conflict("本单位已就该案件编写了典型案例，请在案例库中继续编辑。")
        lesson = Lesson(
            referral=referral,
            title=proposal.title,
            text=proposal.text,
            masked_counts=proposal.counts,
            org_id=actor.org_id,
            created_by=actor,
        )
        reindex(lesson, proposal.codes)
        lesson.save()
        lesson.violation_codes.set(proposal.codes)
        record(lesson, actor, T.PREPARE, "", referral=referral.pk, masked=proposal.counts)
    return lesson


def lesson_update(*, lesson_id: Any, actor: Any, **changes: Any) -> Lesson:
    """Edit a draft or reviewed case (the preparing org's clerks and leaders). A change of its
    wording after review sends it back to draft for a new review; fields not given stay."""
    with transaction.atomic():
        lesson = locked(lesson_id, actor)
        if not _of_org(actor, lesson):
            raise NotPermitted("只有编写单位可以修改典型案例。")
        before = lesson.status
        move(lesson, T.EDIT)
        errors: dict[str, list[str]] = {}
        values = {
            name: clean_text(
                changes[name],
                field=name,
                label=WORDING[name],
                limit=limit,
                errors=errors,
                required=name != "lessons_learned",
            )
            for name, limit in LIMITS.items()
            if name in changes
        }
        codes = (
            clean_codes(changes["violation_codes"], errors)
            if "violation_codes" in changes
            else None
        )
        if errors:
            raise InvalidInput(errors=errors)
        reworded = [name for name, value in values.items() if value != getattr(lesson, name)]
        current = set(lesson.violation_codes.values_list("code", flat=True))
        recoded = codes is not None and {c.code for c in codes} != current
        if not reworded and not recoded:
            return lesson
        for name in reworded:
            setattr(lesson, name, values[name])
        fields = [*reworded, "search_text", "updated_at"]
        if reworded and before == S.REVIEWED:
            # The reviewer vouched for the old wording only (第十二条 review by a person).
            lesson.status, lesson.reviewed_by, lesson.reviewed_at = S.DRAFT, None, None
            fields += ["status", "reviewed_by", "reviewed_at"]
        if codes is not None and recoded:
            lesson.violation_codes.set(codes)
        reindex(lesson, lesson.violation_codes.all())
        lesson.save(update_fields=fields)
        changed = sorted([*reworded, *(["violation_codes"] if recoded else [])])
        record(lesson, actor, T.EDIT, before, fields=changed)
    return lesson


def lesson_review(*, lesson_id: Any, actor: Any, comment: str = "") -> Lesson:
    """审核 (第十二条: de-identification is reviewed by a person): a clerk or leader of the
    preparing org confirms the draft — refused while anything still looks identifying."""
    with transaction.atomic():
        lesson = locked(lesson_id, actor)
        if not _of_org(actor, lesson):
            raise NotPermitted("只有编写单位可以审核典型案例。")
        before = lesson.status
        lesson.status = move(lesson, T.REVIEW)
        errors: dict[str, list[str]] = {}
        comment = clean_text(comment, field="comment", label="审核意见", limit=500, errors=errors)
        errors.update(residual_problems(lesson, lists_for(lesson, actor)))
        if errors:
            raise InvalidInput("案例仍有疑似个人信息，不能通过审核。", errors=errors)
        lesson.reviewed_by, lesson.reviewed_at = actor, timezone.now()
        lesson.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        record(lesson, actor, T.REVIEW, before, comment=comment)
    return lesson


def _targets(values: Any, lesson: Lesson, errors: dict[str, list[str]]) -> list[Org]:
    wanted = {str(getattr(v, "pk", v)).strip() for v in (values or [])}
    ids = {int(v) for v in wanted if v.isascii() and v.isdigit() and len(v) <= 18}
    orgs = list(
        Org.objects.filter(pk__in=ids, region_id=lesson.org.region_id, is_active=True).order_by(
            "sort_order", "id"
        )
    )
    if not wanted:
        errors["target_orgs"] = ["请至少选择一个发布单位。"]
    elif len(orgs) != len(wanted):
        errors["target_orgs"] = ["发布单位应为本行政区划内在用的单位。"]
    return orgs


def lesson_publish(*, lesson_id: Any, actor: Any, tier: Any, target_orgs: Any) -> Lesson:
    """发布 (第十二条, 第十一条 tiers): the preparing org's leader publishes a reviewed case as
    tier 1 (the whole region reads it) or tier 2 (only the chosen units), to the units that owe
    a study record; their clerks and leaders are told."""
    with transaction.atomic():
        lesson = locked(lesson_id, actor)
        if not _of_org(actor, lesson, Role.LEADER):
            raise NotPermitted("只有编写单位的审批领导可以发布典型案例。")
        before = lesson.status
        lesson.status = move(lesson, T.PUBLISH)
        errors: dict[str, list[str]] = {}
        if str(tier) not in ("1", "2"):
            errors["tier"] = ["共享层级应为1（一般基础性信息）或2（重要信息）。"]
        orgs = _targets(target_orgs, lesson, errors)
        errors.update(residual_problems(lesson, lists_for(lesson, actor)))
        if errors:
            raise InvalidInput(errors=errors)
        lesson.tier = int(tier)
        lesson.published_by, lesson.published_at = actor, timezone.now()
        lesson.save(update_fields=["status", "tier", "published_by", "published_at", "updated_at"])
        lesson.target_orgs.set(orgs)
        record(lesson, actor, T.PUBLISH, before, tier=lesson.tier, targets=[o.pk for o in orgs])
        notify_on_commit(
            recipients=readers_of(lesson, orgs),
            kind=NOTIFY_KIND,
            title=f"请组织学习典型案例：{lesson.title}",
            url=detail_url(lesson),
        )
    return lesson


def lesson_withdraw(*, lesson_id: Any, actor: Any, reason: str) -> Lesson:
    """撤回: the preparing org's leader, with the reason; a published case leaves every
    reader's list, count and search at once."""
    with transaction.atomic():
        lesson = locked(lesson_id, actor)
        if not _of_org(actor, lesson, Role.LEADER):
            raise NotPermitted("只有编写单位的审批领导可以撤回典型案例。")
        before = lesson.status
        lesson.status = move(lesson, T.WITHDRAW)
        errors: dict[str, list[str]] = {}
        reason = clean_text(
            reason, field="reason", label="撤回理由", limit=MAX_REASON, errors=errors, required=True
        )
        if errors:
            raise InvalidInput(errors=errors)
        lesson.withdrawn_at, lesson.withdraw_reason = timezone.now(), reason
        lesson.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
        record(lesson, actor, T.WITHDRAW, before, comment=reason)
    return lesson
