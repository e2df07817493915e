"""Read receipts and study records of a published typical case (第十二条 警示教育): each unit
it was published to records its study once (recording again corrects it); the preparing org
sees, per unit, who has read it and how it was studied; the units' pending study feeds the
workbench."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xianjie.core.errors import InvalidInput, NotFound, NotPermitted
from xianjie.sharing.models import ReadReceipt, StudyRecord
from xianjie.sharing.selectors.lessons import lessons_to_study, lessons_to_study_count
from xianjie.sharing.services.studies import study_record

from .lesson_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]


def record(lesson, user, **overrides):
    values = {
        "studied_on": timezone.localdate(),
        "form": "meeting",
        "attendees": 12,
        "notes": "召开专题警示教育会。",
        **overrides,
    }
    return study_record(lesson_id=lesson.pk, actor=user, **values)


def test_a_target_unit_records_its_study_once(published, county, sj_clerk, sj_leader):
    lesson = published(targets=("sj",))
    study, created = record(lesson, sj_clerk)
    assert created and (study.org, study.attendees, study.recorded_by) == (
        county["sj"],
        12,
        sj_clerk,
    )
    again, created = record(lesson, sj_leader, attendees=15, form="group_study")
    assert not created and again.pk == study.pk
    assert StudyRecord.objects.get().attendees == 15
    assert StudyRecord.objects.get().recorded_by == sj_leader


def test_a_legal_unit_records_for_its_department(published, county, sj_clerk):
    lesson = published(tier=2, targets=("sj_dept",))
    study, _ = record(lesson, sj_clerk)
    assert study.org == county["sj_dept"]


def test_a_unit_outside_the_targets_is_refused(published, jt_clerk, sf_clerk, outsider):
    lesson = published(tier=1, targets=("sj",))
    for user in (jt_clerk, sf_clerk, outsider):
        with pytest.raises(NotPermitted):
            record(lesson, user)
    assert not StudyRecord.objects.exists()


def test_a_tier_2_case_is_not_found_outside_its_targets(published, jt_clerk):
    lesson = published(tier=2, targets=("sj",))
    with pytest.raises(NotFound):
        record(lesson, jt_clerk)


def test_bad_fields_are_named_together(published, sj_clerk):
    lesson = published()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        record(lesson, sj_clerk, studied_on=tomorrow, form="party", attendees=0, notes="x" * 2001)
    assert set(refused.value.errors) == {"studied_on", "form", "attendees", "notes"}
    with pytest.raises(InvalidInput) as refused:
        record(lesson, sj_clerk, studied_on="2020-01-01")
    assert refused.value.errors["studied_on"] == ["学习日期不能早于案例发布日期。"]
    assert not StudyRecord.objects.exists()


def test_pending_study_feeds_the_workbench(published, sj_clerk, jt_clerk):
    lesson = published(tier=1, targets=("sj_dept",))
    assert lessons_to_study(sj_clerk) == [lesson] and lessons_to_study_count(sj_clerk) == 1
    assert lessons_to_study(jt_clerk) == [] and lessons_to_study_count(jt_clerk) == 0
    record(lesson, sj_clerk)
    assert lessons_to_study(sj_clerk) == [] and lessons_to_study_count(sj_clerk) == 0


# --- Pages: receipts, the preparer's table, the study form.


def detail(lesson) -> str:
    return reverse("sharing:lesson_detail", args=[lesson.pk])


def test_opening_the_page_leaves_one_receipt(client, published, sj_clerk, sf_leader):
    lesson = published()
    client.force_login(sj_clerk)
    client.get(detail(lesson))
    client.get(detail(lesson))
    client.force_login(sf_leader)
    client.get(detail(lesson))
    assert list(ReadReceipt.objects.values_list("user__username", "lesson")) == [
        ("sj.clerk", lesson.pk)
    ]


def test_the_preparer_sees_who_read_and_studied(client, published, sj_clerk, jt_clerk, sf_clerk):
    lesson = published(targets=("sj", "jt"))
    client.force_login(sj_clerk)
    client.get(detail(lesson))
    record(lesson, sj_clerk, attendees=9)
    client.force_login(sf_clerk)
    html = client.get(detail(lesson)).content.decode()
    assert "已阅 1 / 已学习 1 / 共 2 个单位" in html
    assert "sj.clerk<small" in html and "专题会议，9人" in html and "未阅" in html
    client.force_login(jt_clerk)
    html = client.get(detail(lesson)).content.decode()
    assert "阅读与学习情况" not in html and "登记学习记录" in html


def test_study_form_keeps_what_was_typed_on_error(client, published, sj_clerk):
    lesson = published()
    client.force_login(sj_clerk)
    url = reverse("sharing:lesson_study", args=[lesson.pk])
    response = client.post(url, {"studied_on": "2099-01-01", "form": "meeting", "attendees": "7"})
    html = response.content.decode()
    assert response.status_code == 400 and "学习日期不能晚于今天" in html
    assert 'value="7"' in html and 'value="2099-01-01"' in html
    today = timezone.localdate().isoformat()
    response = client.post(url, {"studied_on": today, "form": "self_study", "attendees": "7"})
    assert response.status_code == 302
    assert StudyRecord.objects.get().form == "self_study"
    assert "修改学习记录" in client.get(detail(lesson)).content.decode()


def test_study_form_is_403_outside_the_targets(client, published, jt_clerk):
    lesson = published(targets=("sj",))
    client.force_login(jt_clerk)
    assert client.get(reverse("sharing:lesson_study", args=[lesson.pk])).status_code == 403


# --- API.


def test_api_records_201_then_corrects_200(lesson_api, published, sj_clerk, sf_leader, jt_clerk):
    lesson = published(targets=("sj", "jt"))
    body = {"studied_on": timezone.localdate().isoformat(), "form": "meeting", "attendees": 5}
    first = lesson_api.ok(lesson_api.post(sj_clerk, f"/lessons/{lesson.pk}/studies", body), 201)
    again = lesson_api.post(sj_clerk, f"/lessons/{lesson.pk}/studies", {**body, "attendees": 6})
    assert lesson_api.ok(again)["id"] == first["id"]
    lesson_api.ok(lesson_api.post(jt_clerk, f"/lessons/{lesson.pk}/studies", body), 201)
    everyone = lesson_api.ok(lesson_api.get(sf_leader, f"/lessons/{lesson.pk}/studies"))
    assert everyone["count"] == 2
    own = lesson_api.ok(lesson_api.get(sj_clerk, f"/lessons/{lesson.pk}/studies"))
    assert [item["attendees"] for item in own["items"]] == [6]


def test_api_study_errors(lesson_api, published, sj_clerk, outsider):
    lesson = published(tier=2, targets=("sj",))
    body = {"studied_on": "2099-01-01", "form": "meeting", "attendees": 0}
    answer = lesson_api.ok(lesson_api.post(sj_clerk, f"/lessons/{lesson.pk}/studies", body), 400)
    assert set(answer["errors"]) == {"studied_on", "attendees"}
    assert lesson_api.post(outsider, f"/lessons/{lesson.pk}/studies", body).status_code == 404


def test_cases_waiting_for_review_and_publication(make_lesson, sf_clerk, sf_leader, jw_leader):
    from xianjie.sharing.selectors.lessons import lessons_to_handle

    draft = make_lesson("草稿", status="draft")
    reviewed = make_lesson("已审", status="reviewed")
    make_lesson("已发布")
    assert lessons_to_handle(sf_clerk) == [draft]
    assert lessons_to_handle(sf_leader) == [reviewed, draft]
    assert lessons_to_handle(jw_leader) == []
