"""The sample typical case for `xianjie demo` (SCENARIOS.md story 6, 第十二条), made through the
services by the demo users: from the demo's closed referral, the commission's leader prepares
a case, its clerk reviews it, the leader publishes it to every enforcement department of the
county and recommends 以案促改 to the unit where it happened; the market regulator's legal unit
has recorded its study, the other units' study is still pending."""

from __future__ import annotations

from django.utils import timezone

from xianjie.accounts.models import Org, OrgKind, Role, User
from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import referral_content
from xianjie.referrals.transitions import Status as ReferralStatus

from .models import Lesson, StudyForm
from .selectors.lesson_texts import subject_unit
from .services.lessons import lesson_prepare, lesson_publish, lesson_review, lesson_update
from .services.reforms import lesson_reform
from .services.studies import study_record

LESSONS_LEARNED = (
    "执法人员必须严格落实行政执法全过程记录、告知当事人陈述申辩权利等程序规定，"
    "严禁以个人通讯方式与当事人私下联系。各单位应对照本案开展自查自纠。"
)
REFORM = (
    "召开专题警示教育会通报本案；对近一年的行政处罚案卷开展程序合法性自查，"
    "重点检查告知陈述申辩权利和执法全过程记录情况，形成整改报告。"
)


def _person(org: Org, role: str) -> User | None:
    return (
        User.objects.filter(org=org, is_active=True, memberships__role=role).order_by("id").first()
    )


def load_demo_lessons() -> int:
    if Lesson.objects.exists():
        return 0
    referral = (
        Referral.objects.filter(status=ReferralStatus.CLOSED).select_related("receiver_org").first()
    )
    if referral is None:
        return 0
    org = referral.receiver_org
    leader, clerk = _person(org, Role.LEADER), _person(org, Role.CLERK)
    if leader is None or clerk is None:
        return 0
    lesson = lesson_prepare(referral_id=referral.pk, actor=leader)
    lesson_update(lesson_id=lesson.pk, actor=clerk, lessons_learned=LESSONS_LEARNED)
    lesson_review(lesson_id=lesson.pk, actor=clerk, comment="已逐项核对脱敏内容。")
    departments = Org.objects.filter(
        region_id=org.region_id, kind=OrgKind.ENFORCEMENT, is_active=True
    ).order_by("sort_order", "id")
    lesson_publish(
        lesson_id=lesson.pk, actor=leader, tier=1, target_orgs=[d.pk for d in departments]
    )
    unit = subject_unit(referral, referral_content(referral))
    if unit is not None:
        lesson_reform(lesson_id=lesson.pk, unit_id=unit.pk, requirement=REFORM, actor=leader)
        legal_unit = Org.objects.filter(parent=unit, kind=OrgKind.DEPT_SUPERVISION).first()
        student = _person(legal_unit, Role.CLERK) if legal_unit is not None else None
        if student is not None:
            study_record(
                lesson_id=lesson.pk,
                actor=student,
                studied_on=timezone.localdate(),
                form=StudyForm.MEETING,
                attendees=18,
                notes="召开全局警示教育会，通报案例并组织讨论。",
            )
    return 1
