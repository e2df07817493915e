"""Editing, review, publication and withdrawal of a typical case (第十二条): a person reviews the
de-identified text and is refused while anything still identifies someone; the preparing org's
leader publishes it to chosen units, whose people are told; a withdrawn case is gone."""

from __future__ import annotations

import pytest

from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.notifications.models import Notification
from xianjie.sharing.models import Lesson, LessonEvent
from xianjie.sharing.services.lessons import (
    lesson_prepare,
    lesson_publish,
    lesson_review,
    lesson_update,
    lesson_withdraw,
)

from .lesson_fixtures import *  # noqa: F403
from .lesson_fixtures import CERT, OFFICER

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def draft(closed_referral, sf_leader):
    return lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)


def statuses(lesson) -> list[tuple[str, str, str]]:
    return list(
        LessonEvent.objects.filter(lesson=lesson).values_list(
            "transition", "from_status", "to_status"
        )
    )


def test_review_by_a_clerk_of_the_preparing_org(draft, sf_clerk):
    lesson = lesson_review(lesson_id=draft.pk, actor=sf_clerk, comment="已逐项核对")
    assert (lesson.status, lesson.reviewed_by) == ("reviewed", sf_clerk)
    assert statuses(lesson)[-1] == ("review", "draft", "reviewed")


def test_review_refuses_what_still_identifies_naming_it(draft, sf_clerk):
    text = draft.text + f"\n补充：{OFFICER}手机13800001111，证号{CERT}。"
    lesson_update(lesson_id=draft.pk, actor=sf_clerk, text=text, lessons_learned="教训深刻")
    with pytest.raises(InvalidInput) as refused:
        lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    (message,) = refused.value.errors["text"]
    assert f"姓名“{OFFICER}”" in message and "手机号码“13800001111”" in message
    assert f"执法证号“{CERT}”" in message
    assert set(refused.value.errors) == {"text"}
    assert Lesson.objects.get(pk=draft.pk).status == "draft"


def test_review_checks_the_title_and_the_lessons_too(draft, sf_clerk):
    lesson_update(
        lesson_id=draft.pk, actor=sf_clerk, title=f"{OFFICER}案", lessons_learned=f"证号{CERT}"
    )
    with pytest.raises(InvalidInput) as refused:
        lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    assert set(refused.value.errors) == {"title", "lessons_learned"}


def test_rewording_a_reviewed_case_sends_it_back_to_draft(draft, sf_clerk):
    lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    lesson_update(lesson_id=draft.pk, actor=sf_clerk, violation_codes=["P08", "P01"])
    assert Lesson.objects.get(pk=draft.pk).status == "reviewed"
    lesson = lesson_update(lesson_id=draft.pk, actor=sf_clerk, lessons_learned="警示：全程记录")
    assert (lesson.status, lesson.reviewed_by) == ("draft", None)
    assert statuses(lesson)[-1] == ("edit", "reviewed", "draft")
    assert sorted(lesson.violation_codes.values_list("code", flat=True)) == ["P01", "P08"]


def test_update_names_every_bad_field(draft, sf_clerk):
    with pytest.raises(InvalidInput) as refused:
        lesson_update(
            lesson_id=draft.pk, actor=sf_clerk, title="", text="x" * 20001, violation_codes=["Z9"]
        )
    assert set(refused.value.errors) == {"title", "text", "violation_codes"}


def test_update_without_change_writes_nothing(draft, sf_clerk):
    lesson_update(lesson_id=draft.pk, actor=sf_clerk, title=draft.title)
    assert statuses(draft) == [("prepare", "", "draft")]


def test_the_other_party_does_not_see_the_draft(draft, jw_leader):
    with pytest.raises(NotFound):
        lesson_update(lesson_id=draft.pk, actor=jw_leader, title="改")
    with pytest.raises(NotFound):
        lesson_review(lesson_id=draft.pk, actor=jw_leader)


def test_publish_tells_the_target_units_people(
    draft, county, sf_clerk, sf_leader, people, django_capture_on_commit_callbacks
):
    lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        lesson = lesson_publish(
            lesson_id=draft.pk, actor=sf_leader, tier=2, target_orgs=[county["sj_dept"].pk]
        )
    assert (lesson.status, lesson.tier, lesson.published_by) == ("published", 2, sf_leader)
    assert list(lesson.target_orgs.all()) == [county["sj_dept"]]
    told = Notification.objects.filter(kind="lesson", url=f"/sharing/lessons/{lesson.pk}/")
    # The department has no users; its legal unit (法制股) acts for it and may open the case.
    assert sorted(n.recipient.username for n in told) == ["sj.clerk", "sj.leader"]
    assert all(n.title == f"请组织学习典型案例：{lesson.title}" for n in told)


def test_publish_is_the_leaders_act(draft, county, sf_clerk):
    lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    with pytest.raises(NotPermitted):
        lesson_publish(lesson_id=draft.pk, actor=sf_clerk, tier=1, target_orgs=[county["sj"].pk])


def test_publish_of_an_unreviewed_draft_is_409(draft, county, sf_leader):
    with pytest.raises(Conflict):
        lesson_publish(lesson_id=draft.pk, actor=sf_leader, tier=1, target_orgs=[county["sj"].pk])


def test_publish_names_every_bad_field(
    draft, sf_clerk, sf_leader, city_commission, django_capture_on_commit_callbacks
):
    lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    with pytest.raises(InvalidInput) as refused, django_capture_on_commit_callbacks(execute=True):
        lesson_publish(lesson_id=draft.pk, actor=sf_leader, tier=3, target_orgs=[])
    assert set(refused.value.errors) == {"tier", "target_orgs"}
    with pytest.raises(InvalidInput) as refused:
        lesson_publish(
            lesson_id=draft.pk, actor=sf_leader, tier=1, target_orgs=[city_commission.pk]
        )
    assert refused.value.errors["target_orgs"] == ["发布单位应为本行政区划内在用的单位。"]
    assert Lesson.objects.get(pk=draft.pk).status == "reviewed"
    assert not Notification.objects.filter(kind="lesson").exists()


def test_withdraw_needs_a_reason_and_the_leader(published, sf_clerk, sf_leader, sj_clerk):
    lesson = published()
    with pytest.raises(NotPermitted):
        lesson_withdraw(lesson_id=lesson.pk, actor=sf_clerk, reason="有误")
    with pytest.raises(NotPermitted):
        lesson_withdraw(lesson_id=lesson.pk, actor=sj_clerk, reason="有误")
    with pytest.raises(InvalidInput) as refused:
        lesson_withdraw(lesson_id=lesson.pk, actor=sf_leader, reason=" ")
    assert set(refused.value.errors) == {"reason"}
    withdrawn = lesson_withdraw(lesson_id=lesson.pk, actor=sf_leader, reason="案情表述需修改")
    assert (withdrawn.status, withdrawn.withdraw_reason) == ("withdrawn", "案情表述需修改")
    with pytest.raises(NotFound):
        lesson_withdraw(lesson_id=lesson.pk, actor=sj_clerk, reason="再撤")
    with pytest.raises(Conflict):
        lesson_withdraw(lesson_id=lesson.pk, actor=sf_leader, reason="再撤")


def test_a_published_case_can_no_longer_be_edited(published, sf_clerk, sj_clerk):
    lesson = published()
    with pytest.raises(Conflict):
        lesson_update(lesson_id=lesson.pk, actor=sf_clerk, title="改")
    with pytest.raises(NotPermitted):
        lesson_update(lesson_id=lesson.pk, actor=sj_clerk, title="改")
