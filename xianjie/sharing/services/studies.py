"""Study records of a published typical case (学习记录, 第十二条 警示教育): each unit the case was
published to records once when, how and with how many people it studied the case.

A unit that records again corrects its record (the unique row per case and unit is updated, not
duplicated). A department's legal unit (法制股) records for its department when the case was
published to the department, as it acts for it in supervision matters.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from xianjie.accounts.models import Role
from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted
from xianjie.core.validation import clean_text

from ..models import Lesson, LessonStatus, StudyForm, StudyRecord
from .lessons import locked

MAX_NOTES = 2000
MAX_ATTENDEES = 100000


def answering_orgs(user: Any) -> list[int]:
    """The units a user answers for: their org, and the department whose legal unit they sit in."""
    if user.org_id is None:
        return []
    return [user.org_id, *([user.org.parent_id] if user.org.parent_id else [])]


def study_unit(user: Any, lesson: Lesson) -> int | None:
    """The target unit `user` records the study of (their own org first), or None."""
    if not user.has_role(Role.CLERK, Role.LEADER):
        return None
    targets = set(lesson.target_orgs.values_list("pk", flat=True))
    return next((org_id for org_id in answering_orgs(user) if org_id in targets), None)


def may_study(user: Any, lesson: Lesson) -> bool:
    return lesson.status == LessonStatus.PUBLISHED and study_unit(user, lesson) is not None


def _date(value: Any, published: datetime.date, errors: dict[str, list[str]]) -> Any:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        errors["studied_on"] = ["请填写学习日期（如 2026-11-27）。"]
    elif value > timezone.localdate():
        errors["studied_on"] = ["学习日期不能晚于今天。"]
    elif value < published:
        errors["studied_on"] = ["学习日期不能早于案例发布日期。"]
    return value


def _attendees(value: Any, errors: dict[str, list[str]]) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_ATTENDEES:
        errors["attendees"] = ["参加人数应为不少于1的整数。"]
    return number


def study_record(
    *,
    lesson_id: Any,
    actor: Any,
    studied_on: Any,
    form: Any,
    attendees: Any,
    notes: Any = "",
) -> tuple[StudyRecord, bool]:
    """Record (or correct) the actor's unit's study of a published case; True when created."""
    with transaction.atomic():
        lesson = locked(lesson_id, actor)
        unit = study_unit(actor, lesson)
        if unit is None:
            raise NotPermitted("只有案例发布范围内的单位可以登记学习记录。")
        if lesson.status != LessonStatus.PUBLISHED:
            raise Conflict("案例未发布或已撤回，不能登记学习记录。")
        errors: dict[str, list[str]] = {}
        published = timezone.localdate(lesson.published_at or timezone.now())
        day = _date(studied_on, published, errors)
        if str(form or "") not in StudyForm.values:
            errors["form"] = [f"学习形式应为：{'、'.join(StudyForm.labels)}。"]
        number = _attendees(attendees, errors)
        notes = clean_text(notes, field="notes", label="学习情况", limit=MAX_NOTES, errors=errors)
        if errors:
            raise InvalidInput(errors=errors)
        values = {
            "studied_on": day,
            "form": str(form),
            "attendees": number,
            "notes": notes,
            "recorded_by": actor,
        }
        study, created = StudyRecord.objects.update_or_create(
            lesson=lesson, org_id=unit, defaults=values
        )
        audit_record(
            actor=actor,
            action="lesson.study",
            obj=lesson,
            tier=lesson.tier,
            payload={"study": study.pk, "org": unit, "created": created, "attendees": number},
        )
    return study, created
