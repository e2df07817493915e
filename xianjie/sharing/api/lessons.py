"""/lessons (CONTRACT.md "Other resources"): typical cases for warning education (第十二条).

A case is prepared from a closed referral by a leader of either party (the proposal is
de-identified by rule), reviewed by a person of the preparing org, published by its leader as
tier 1 or 2 to chosen units, who each record their study; 以案促改 turns a recommendation into a
rectification task. What the caller may not see is 404, an act that is not theirs 403, a wrong
status 409, bad fields 400 (every one named). Reading a published case leaves a read receipt.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status

from xianjie.core.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    ErrorOut,
    PagePagination,
    api_user,
    paginate,
)
from xianjie.core.errors import NotFound

from ..models import Lesson, LessonStatus, LessonTransition, StudyRecord
from ..selectors.lessons import LessonDetail, get_lesson_for_user, lesson_detail, lesson_list
from ..services.lessons import (
    lesson_prepare,
    lesson_publish,
    lesson_review,
    lesson_update,
    lesson_withdraw,
)
from ..services.receipts import receipt_record
from ..services.reforms import lesson_reform
from ..services.studies import study_record
from .schemas_lessons import (
    LessonIn,
    LessonListOut,
    LessonOut,
    LessonPatch,
    MoveIn,
    ReformIn,
    StudyIn,
    StudyOut,
    TaskRef,
)

router = Router(tags=["信息共享与警示教育"])

T = LessonTransition
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    **DETAIL_ERRORS,
}

KEYWORDS = Query(None, max_length=100, description="关键词")
CODE = Query(None, max_length=8, description="违规类型代码，如 P08")
TIER = Query(None, ge=1, le=2, description="共享层级 1 或 2")
YEAR = Query(None, ge=2000, le=2100, description="发布年度（未发布的按起草年度）")
STATUS = Query(None, description="draft、reviewed、published、withdrawn")


def _row(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "tier": lesson.tier,
        "tier_label": lesson.get_tier_display(),
        "status": lesson.status,
        "status_label": lesson.get_status_display(),
        "org": lesson.org,
        "violation_codes": [c.code for c in lesson.violation_codes.all()],
        "created_at": lesson.created_at,
        "published_at": lesson.published_at,
    }


def _study(study: StudyRecord | None) -> dict[str, Any] | None:
    if study is None:
        return None
    return {
        "id": study.pk,
        "org": study.org,
        "studied_on": study.studied_on,
        "form": study.form,
        "form_label": study.get_form_display(),
        "attendees": study.attendees,
        "notes": study.notes,
        "recorded_by": study.recorded_by.display_name,
        "recorded_at": study.recorded_at,
    }


def _moves(detail: LessonDetail) -> list[dict[str, str]]:
    allowed = [
        (T.REVIEW, detail.may_review),
        (T.PUBLISH, detail.may_publish),
        (T.WITHDRAW, detail.may_withdraw),
    ]
    return [{"name": t.value, "label": t.label} for t, ok in allowed if ok]


def _detail(user: Any, lesson: Lesson) -> dict[str, Any]:
    detail = lesson_detail(user, lesson)
    return {
        **_row(lesson),
        "text": lesson.text,
        "lessons_learned": lesson.lessons_learned,
        "masked_counts": lesson.masked_counts,
        "target_orgs": detail.targets,
        "reviewed_at": lesson.reviewed_at,
        "withdrawn_at": lesson.withdrawn_at,
        "withdraw_reason": lesson.withdraw_reason,
        "units": [
            {
                "org": row.org,
                "readers": [{"name": name, "read_at": at} for name, at in row.readers],
                "study": _study(row.study),
            }
            for row in detail.units
        ],
        "my_study": _study(detail.my_study),
        "reforms": [_task(task) for task in detail.reforms],
        "allowed_transitions": _moves(detail),
        "may_study": detail.may_study,
        "may_reform": detail.may_reform,
    }


def _task(task: Any) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "unit": task.unit,
        "status": task.status,
        "status_label": task.get_status_display(),
        "period_days": task.period_days,
    }


def _fresh(user: Any, lesson_id: int) -> dict[str, Any]:
    return _detail(user, get_lesson_for_user(user, lesson_id))


class LessonPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_row(lesson) for lesson in page["items"]]
        return page


@router.get(
    "/lessons",
    response={200: list[LessonListOut], **READ_ERRORS},
    summary="典型案例库",
    description="已发布的一般基础性信息案例全区可见，重要信息案例仅发布单位可见；编写单位另可见"
    "本单位各状态的案例。q 为中文全文检索（按词匹配）。",
)
@paginate(LessonPagination)
def lesson_index(
    request: HttpRequest,
    q: str | None = KEYWORDS,
    code: str | None = CODE,
    tier: int | None = TIER,
    year: int | None = YEAR,
    status: LessonStatus | None = STATUS,
) -> QuerySet[Lesson]:
    filters = {"q": q, "code": code, "tier": tier, "year": year, "status": status}
    lessons = lesson_list(api_user(request), filters)
    return lessons.select_related("org").prefetch_related("violation_codes")


@router.post(
    "/lessons",
    response={201: LessonOut, **WRITE_ERRORS},
    summary="从已办结案件编写典型案例",
    description="案件双方单位的审批领导可以编写；系统按规则脱敏（姓名改为“某”，执法证号、身份证"
    "号码、电话号码以“*”代替），生成 draft 状态的草稿。案件未办结 409。",
)
def lesson_add(request: HttpRequest, payload: LessonIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    lesson = lesson_prepare(referral_id=payload.referral_id, actor=user)
    return Status(201, _fresh(user, lesson.pk))


@router.get(
    "/lessons/{lesson_id}", response={200: LessonOut, **DETAIL_ERRORS}, summary="典型案例详情"
)
def lesson_show(request: HttpRequest, lesson_id: int) -> dict[str, Any]:
    user = api_user(request)
    lesson = get_lesson_for_user(user, lesson_id)
    if lesson.status == LessonStatus.PUBLISHED and user.org_id != lesson.org_id:
        receipt_record(user=user, lesson=lesson)
    return _detail(user, lesson)


@router.patch(
    "/lessons/{lesson_id}",
    response={200: LessonOut, **WRITE_ERRORS},
    summary="修改典型案例",
    description="编写单位在 draft、reviewed 状态下修改；已审核的案例修改标题、正文或警示意义后退回"
    " draft，须重新审核。未提供的字段保持不变。",
)
def lesson_edit(request: HttpRequest, lesson_id: int, payload: LessonPatch) -> dict[str, Any]:
    user = api_user(request)
    lesson_update(lesson_id=lesson_id, actor=user, **payload.model_dump(exclude_unset=True))
    return _fresh(user, lesson_id)


@router.post(
    "/lessons/{lesson_id}/transitions/{name}",
    response={200: LessonOut, **WRITE_ERRORS},
    summary="审核、发布或撤回典型案例",
    description="name：review 审核通过（编写单位的登记员或审批领导；仍有疑似个人信息的 400，"
    "在 text 等字段列出）；publish 发布（编写单位的审批领导，tier 与 target_orgs 必填）；"
    "withdraw 撤回（编写单位的审批领导，reason 必填）。",
)
def lesson_move(
    request: HttpRequest,
    lesson_id: int,
    payload: MoveIn,
    name: str = Path(..., description="操作名：review、publish、withdraw"),
) -> dict[str, Any]:
    user = api_user(request)
    if name == T.REVIEW:
        lesson_review(lesson_id=lesson_id, actor=user, comment=payload.comment)
    elif name == T.PUBLISH:
        lesson_publish(
            lesson_id=lesson_id, actor=user, tier=payload.tier, target_orgs=payload.target_orgs
        )
    elif name == T.WITHDRAW:
        lesson_withdraw(lesson_id=lesson_id, actor=user, reason=payload.reason)
    else:
        raise NotFound(f"没有名为“{name}”的操作。")
    return _fresh(user, lesson_id)


@router.get(
    "/lessons/{lesson_id}/studies",
    response={200: list[StudyOut], **DETAIL_ERRORS},
    summary="学习记录",
    description="编写单位可见全部发布单位的学习记录；发布单位只见本单位的。",
)
@paginate(PagePagination)
def lesson_studies(request: HttpRequest, lesson_id: int) -> list[dict[str, Any]]:
    user = api_user(request)
    lesson = get_lesson_for_user(user, lesson_id)
    studies = (
        StudyRecord.objects.restrict(user, "view")
        .filter(lesson=lesson)
        .select_related("org", "recorded_by")
    )
    return [row for study in studies if (row := _study(study)) is not None]


@router.post(
    "/lessons/{lesson_id}/studies",
    response={200: StudyOut, 201: StudyOut, **WRITE_ERRORS},
    summary="登记学习记录",
    description="已发布案例的发布单位（或代其办理的部门法制机构）的登记员或审批领导登记本单位的"
    "学习记录：首次 201，再次登记即修改本单位的记录 200。",
)
def lesson_study(request: HttpRequest, lesson_id: int, payload: StudyIn) -> Status[Any]:
    user = api_user(request)
    study, created = study_record(lesson_id=lesson_id, actor=user, **payload.model_dump())
    return Status(201 if created else 200, _study(study))


@router.post(
    "/lessons/{lesson_id}/reform",
    response={201: TaskRef, **WRITE_ERRORS},
    summary="提出以案促改建议",
    description="编写单位的审批领导对案发单位（本行政区划内的行政执法机关）提出以案促改建议，"
    "生成整改任务（kind=lesson），由编写单位跟踪检查；案例须已发布。",
)
def lesson_reform_add(request: HttpRequest, lesson_id: int, payload: ReformIn) -> Status[Any]:
    user = api_user(request)
    task = lesson_reform(
        lesson_id=lesson_id,
        unit_id=payload.unit,
        requirement=payload.requirement,
        period_days=payload.period_days,
        actor=user,
    )
    return Status(201, _task(task))
