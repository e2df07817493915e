"""Reads of typical cases (典型案例, 第十二条): the case library, one case with what its viewer
may see and do, the units' pending study for the workbench, and the links on a referral's page.

Every read starts from `Lesson.objects.restrict(user, "view")` (sharing.policies.lesson_rule),
so the library, its count, its search and the API answer the same set; read receipts, study
records and reform tasks are read only for a case fetched through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import Org, Role
from xianjie.catalog.models import ViolationCode
from xianjie.inspections.models import Rectification, RectificationKind
from xianjie.referrals.models import Referral
from xianjie.referrals.transitions import Status as ReferralStatus

from ..models import Lesson, LessonEvent, LessonStatus, StudyRecord
from ..search import search_filter
from ..services.lessons import may_edit, may_prepare, may_publish, may_review, may_withdraw
from ..services.receipts import OrgReceipts, receipt_summary
from ..services.reforms import may_reform
from ..services.studies import answering_orgs, may_study, study_unit

#: More than this many items on a workbench list help nobody; the library has the rest.
STUDY_LIMIT = 100


def get_lesson_for_user(user: Any, lesson_id: Any) -> Lesson:
    """The case if `user` may see it, else NotFound (404) — its existence is never revealed."""
    return get_object_for_user(
        Lesson.objects.select_related(
            "org", "created_by", "reviewed_by", "published_by", "referral"
        ),
        user,
        "view",
        pk=lesson_id,
    )


def lesson_list(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Lesson]:
    """The case library: cases `user` may see; filters q (Chinese full-text search), code,
    tier, year (of publication, or of drafting for an unpublished case) and status. The
    preparing org's unpublished cases come first."""
    filters = filters or {}
    lessons = Lesson.objects.restrict(user, "view").select_related("org")
    if q := str(filters.get("q") or "").strip():
        lessons = lessons.filter(search_filter(q))
    if code := str(filters.get("code") or "").strip():
        tagged = Lesson.violation_codes.through.objects.filter(
            lesson_id=OuterRef("pk"), violationcode__code=code.upper()
        )
        lessons = lessons.filter(Exists(tagged))
    if tier := filters.get("tier"):
        lessons = lessons.filter(tier=tier)
    if year := filters.get("year"):
        lessons = lessons.filter(
            Q(published_at__year=year) | Q(published_at__isnull=True, created_at__year=year)
        )
    if status := filters.get("status"):
        lessons = lessons.filter(status=status)
    return lessons.order_by(F("published_at").desc(nulls_first=True), "-id")


def code_choices() -> list[tuple[str, str]]:
    return [
        (c.code, f"{c.code} {c.text[:24]}")
        for c in ViolationCode.objects.filter(is_active=True).order_by("sort_order", "code")
    ]


# --- One case.


@dataclass(frozen=True)
class UnitRow:
    """For the preparing org: one target unit with who of it has read the case and its study."""

    org: Org
    readers: list[tuple[str, Any]]
    study: StudyRecord | None


@dataclass
class LessonDetail:
    lesson: Lesson
    codes: list[ViolationCode]
    targets: list[Org]
    events: list[LessonEvent]
    is_preparer: bool
    units: list[UnitRow] = field(default_factory=list)
    #: The viewer's own unit's study record (a target unit), or None.
    my_study: StudyRecord | None = None
    reforms: list[Rectification] = field(default_factory=list)
    may_edit: bool = False
    may_review: bool = False
    may_publish: bool = False
    may_withdraw: bool = False
    may_study: bool = False
    may_reform: bool = False

    @property
    def read_count(self) -> int:
        return sum(1 for row in self.units if row.readers)

    @property
    def study_count(self) -> int:
        return sum(1 for row in self.units if row.study)


def reform_tasks(user: Any, lesson: Lesson) -> list[Rectification]:
    """The 以案促改 tasks of the case that `user` may see (the preparing org oversees them all)."""
    return list(
        Rectification.objects.restrict(user, "view")
        .filter(
            kind=RectificationKind.LESSON,
            source_type=ContentType.objects.get_for_model(Lesson),
            source_id=lesson.pk,
        )
        .select_related("unit")
        .order_by("id")
    )


def lesson_detail(user: Any, lesson: Lesson) -> LessonDetail:
    """Everything the page and the API show of a case fetched through the policy: the
    preparing org sees, per target unit, who has read it and its study record; a target unit
    sees its own study record."""
    targets = list(lesson.target_orgs.order_by("sort_order", "id"))
    studies = StudyRecord.objects.restrict(user, "view").filter(lesson=lesson)
    is_preparer = user.org_id == lesson.org_id
    detail = LessonDetail(
        lesson=lesson,
        codes=list(lesson.violation_codes.order_by("sort_order", "code")),
        targets=targets,
        events=list(lesson.events.select_related("actor", "actor__org")),
        is_preparer=is_preparer,
        reforms=reform_tasks(user, lesson),
        may_edit=may_edit(user, lesson),
        may_review=may_review(user, lesson),
        may_publish=may_publish(user, lesson),
        may_withdraw=may_withdraw(user, lesson),
        may_study=may_study(user, lesson),
        may_reform=may_reform(user, lesson),
    )
    if is_preparer:
        by_org = {s.org_id: s for s in studies.select_related("recorded_by")}
        # A department's legal unit reads and studies for it (study_unit), so its readers are
        # shown on the department's row — unless the legal unit is itself a target.
        target_ids = [org.pk for org in targets]
        acting = list(Org.objects.filter(parent_id__in=target_ids).exclude(pk__in=target_ids))
        summary: list[OrgReceipts] = receipt_summary(orgs=[*targets, *acting], lesson=lesson)
        readers: dict[int | None, list[tuple[str, Any]]] = {
            row.org.pk: list(row.readers) for row in summary[: len(targets)]
        }
        for row in summary[len(targets) :]:
            readers[row.org.parent_id].extend(row.readers)
        detail.units = [
            UnitRow(
                org=org,
                readers=sorted(readers[org.pk], key=lambda reader: reader[1]),
                study=by_org.get(org.pk),
            )
            for org in targets
        ]
    unit = study_unit(user, lesson)
    if unit is not None:
        detail.my_study = studies.filter(org_id=unit).first()
    return detail


# --- The workbench: the study a unit owes.


def _to_study(user: Any) -> QuerySet[Lesson]:
    """Published cases targeting a unit the user answers for, with no study record of it yet."""
    orgs = answering_orgs(user)
    if not orgs:
        return Lesson.objects.none()
    targeted = Lesson.target_orgs.through.objects.filter(lesson_id=OuterRef("pk"), org_id__in=orgs)
    studied = StudyRecord.objects.filter(lesson_id=OuterRef("pk"), org_id__in=orgs)
    return (
        Lesson.objects.restrict(user, "view")
        .filter(Exists(targeted), status=LessonStatus.PUBLISHED)
        .exclude(Exists(studied))
    )


def lessons_to_study(user: Any, limit: int = STUDY_LIMIT) -> list[Lesson]:
    """待学习: the cases the user's unit is to study, newest first."""
    return list(_to_study(user).select_related("org").order_by("-published_at", "-id")[:limit])


def lessons_to_study_count(user: Any) -> int:
    return _to_study(user).count()


def lessons_to_handle(user: Any, limit: int = STUDY_LIMIT) -> list[Lesson]:
    """待审核 / 待发布: drafts of the user's org for its clerks and leaders to review, reviewed
    cases for its leaders to publish."""
    if user.org_id is None or not user.has_role(Role.CLERK, Role.LEADER):
        return []
    waiting = Q(status=LessonStatus.DRAFT)
    if user.has_role(Role.LEADER):
        waiting |= Q(status=LessonStatus.REVIEWED)
    own = Lesson.objects.restrict(user, "change").filter(waiting, org_id=user.org_id)
    return list(own.order_by("-id")[:limit])


# --- The referral's page: what became of a closed case (registered with referrals.origins).


def lesson_followups(referral: Referral, user: Any) -> list[tuple[str, str]]:
    """The typical cases made of `referral` that `user` may see, and for a leader of a party to
    a closed referral the offer to write one (编写典型案例)."""
    made = list(Lesson.objects.restrict(user, "view").filter(referral=referral).order_by("id"))
    links = [(f"典型案例：{m.title}（{m.get_status_display()}）", _url(m)) for m in made]
    own = [m for m in made if m.org_id == user.org_id and m.status != LessonStatus.WITHDRAWN]
    if referral.status == ReferralStatus.CLOSED and not own and may_prepare(user, referral):
        links.append(("编写典型案例", prepare_url(referral)))
    return links


def prepare_url(referral: Referral) -> str:
    return reverse("sharing:lesson_prepare") + f"?referral={referral.pk}"


def _url(lesson: Lesson) -> str:
    return reverse("sharing:lesson_detail", args=[lesson.pk])
