"""以案促改 (第十二条: 督促案发单位开展警示教育，推动以案促改): the preparing org's leader
recommends reform to the enforcement unit where the case happened; the recommendation is a
rectification task (kind "lesson", source the case) overseen by the preparing org, with its own
clock, reports and follow-up check (第九条's machinery).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xianjie.accounts.models import Org, OrgKind, Role
from xianjie.core.errors import InvalidInput, NotPermitted
from xianjie.core.validation import clean_text
from xianjie.inspections.models import Rectification, RectificationKind
from xianjie.inspections.services.rectifications import rectification_create

from ..models import Lesson, LessonStatus
from .lessons import T, locked, move, record

BASIS = "《行政执法监督与纪检监察监督工作衔接机制（试行）》第十二条"
MAX_REQUIREMENT = 5000


def may_reform(user: Any, lesson: Lesson) -> bool:
    return (
        lesson.status == LessonStatus.PUBLISHED
        and user.org_id == lesson.org_id
        and user.has_role(Role.LEADER)
    )


def reform_units(lesson: Lesson) -> list[Org]:
    """The enforcement orgs of the preparing org's region a recommendation may go to."""
    return list(
        Org.objects.filter(
            kind=OrgKind.ENFORCEMENT, region_id=lesson.org.region_id, is_active=True
        ).order_by("sort_order", "id")
    )


def _unit(value: Any, lesson: Lesson, errors: dict[str, list[str]]) -> Org | None:
    text = str(getattr(value, "pk", value) or "").strip()
    if not text:
        errors["unit"] = ["请选择案发单位。"]
        return None
    unit = next((org for org in reform_units(lesson) if str(org.pk) == text), None)
    if unit is None:
        errors["unit"] = ["案发单位应为本行政区划内在用的行政执法机关。"]
    return unit


def _period(value: Any, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        errors["period_days"] = ["整改期限应为1至365之间的整数（日）。"]
    return days


def lesson_reform(
    *,
    lesson_id: Any,
    unit_id: Any,
    requirement: Any,
    period_days: Any = None,
    actor: Any,
) -> Rectification:
    """A reform recommendation to `unit_id` as a rectification task, in the same transaction
    (the task's default period is the rectification time limit, 30 days)."""
    with transaction.atomic():
        lesson = locked(lesson_id, actor)
        if not (lesson.org_id == actor.org_id and actor.has_role(Role.LEADER)):
            raise NotPermitted("只有编写单位的审批领导可以提出以案促改建议。")
        before = lesson.status
        move(lesson, T.REFORM)
        errors: dict[str, list[str]] = {}
        unit = _unit(unit_id, lesson, errors)
        requirement = clean_text(
            requirement,
            field="requirement",
            label="整改要求",
            limit=MAX_REQUIREMENT,
            errors=errors,
            required=True,
        )
        days = _period(period_days, errors)
        if errors or unit is None:
            raise InvalidInput(errors=errors)
        task = rectification_create(
            kind=RectificationKind.LESSON,
            source=lesson,
            unit=unit,
            overseers=[lesson.org],
            title=f"以案促改：{lesson.title}"[:100],
            requirement=requirement,
            basis=BASIS,
            period_days=days,
            actor=actor,
        )
        record(lesson, actor, T.REFORM, before, task=task.pk, unit=unit.pk)
    return task
