"""以案促改 (第十二条): the preparing org's leader recommends reform to the unit where the case
happened; it becomes a rectification task (kind "lesson", source the case) with its clock,
overseen by the preparing org, on the unit's own list, and linked back to the case."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from xianjie.calendar.selectors import clocks_of
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted
from xianjie.inspections.models import Rectification
from xianjie.sharing.models import Lesson, LessonEvent
from xianjie.sharing.services.lessons import lesson_prepare
from xianjie.sharing.services.reforms import lesson_reform

from .lesson_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]

REQUIREMENT = "召开专题警示教育会，对照案例查摆执法全过程记录制度执行问题并整改。"


def reform(lesson, actor, unit, **overrides):
    values = {"requirement": REQUIREMENT, "period_days": 20, **overrides}
    return lesson_reform(lesson_id=lesson.pk, unit_id=unit.pk, actor=actor, **values)


def test_reform_creates_the_task_with_its_clock(published, county, sf_leader):
    lesson = published()
    task = reform(lesson, sf_leader, county["sj_dept"])
    task.refresh_from_db()
    assert (task.kind, task.source, task.unit) == ("lesson", lesson, county["sj_dept"])
    assert task.source_type == ContentType.objects.get_for_model(Lesson)
    assert list(task.overseers.all()) == [county["sf"]]
    assert task.title == f"以案促改：{lesson.title}"[:100]
    assert (task.requirement, task.period_days, task.status) == (REQUIREMENT, 20, "open")
    assert "第十二条" in task.basis
    (clock,) = clocks_of(task)
    assert (clock.kind, clock.state, clock.period_amount) == ("rectification", "running", 20)
    event = LessonEvent.objects.filter(lesson=lesson).last()
    assert (event.transition, event.to_status) == ("reform", "published")


def test_the_unit_sees_the_task_on_its_own_list(client, published, county, sf_leader, sj_clerk):
    task = reform(published(), sf_leader, county["sj_dept"])
    client.force_login(sj_clerk)
    html = client.get(reverse("inspections:rectification_mine")).content.decode()
    assert f'/inspections/rectifications/{task.pk}/">{task.title}</a>' in html


def test_the_task_links_back_to_the_case(client, published, county, sf_leader, sj_clerk):
    lesson = published()
    task = reform(lesson, sf_leader, county["sj_dept"])
    client.force_login(sj_clerk)
    html = client.get(reverse("inspections:rectification_detail", args=[task.pk])).content.decode()
    assert f'href="/sharing/lessons/{lesson.pk}/">以案促改（{lesson.title}）</a>' in html
    client.force_login(sf_leader)
    html = client.get(reverse("sharing:lesson_detail", args=[lesson.pk])).content.decode()
    assert f'/inspections/rectifications/{task.pk}/">{task.title}</a>' in html


def test_only_the_preparing_orgs_leader_recommends(published, county, sf_clerk, sj_leader):
    lesson = published()
    for user in (sf_clerk, sj_leader):
        with pytest.raises(NotPermitted):
            reform(lesson, user, county["sj_dept"])
    assert not Rectification.objects.exists()


def test_an_unpublished_case_is_refused_409(closed_referral, county, sf_leader):
    draft = lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
    with pytest.raises(Conflict):
        reform(draft, sf_leader, county["sj_dept"])


def test_bad_fields_are_named_together(published, county, sf_leader):
    lesson = published()
    with pytest.raises(InvalidInput) as refused:
        reform(lesson, sf_leader, county["sj"], requirement=" ", period_days=400)
    assert set(refused.value.errors) == {"unit", "requirement", "period_days"}
    assert refused.value.errors["unit"] == ["案发单位应为本行政区划内在用的行政执法机关。"]
    assert not Rectification.objects.exists()


def test_reform_page_suggests_the_officers_unit(client, published, county, sf_leader):
    lesson = published()
    client.force_login(sf_leader)
    url = reverse("sharing:lesson_reform", args=[lesson.pk])
    html = client.get(url).content.decode()
    assert f'<option value="{county["sj_dept"].pk}" selected>' in html
    response = client.post(url, {"unit": county["sj_dept"].pk, "requirement": ""})
    assert response.status_code == 400 and "has-error" in response.content.decode()
    assert not Rectification.objects.exists()
    response = client.post(url, {"unit": county["sj_dept"].pk, "requirement": REQUIREMENT})
    assert response.status_code == 302
    assert Rectification.objects.get().period_days == 30


def test_reform_page_is_403_for_a_reader(client, published, sj_leader):
    lesson = published()
    client.force_login(sj_leader)
    assert client.get(reverse("sharing:lesson_reform", args=[lesson.pk])).status_code == 403


def test_api_reform_answers_201(lesson_api, published, county, sf_leader, sj_clerk):
    lesson = published()
    body = {"unit": county["sj_dept"].pk, "requirement": REQUIREMENT}
    answer = lesson_api.ok(lesson_api.post(sf_leader, f"/lessons/{lesson.pk}/reform", body), 201)
    assert (answer["unit"]["id"], answer["status"], answer["period_days"]) == (
        county["sj_dept"].pk,
        "open",
        30,
    )
    assert lesson_api.post(sj_clerk, f"/lessons/{lesson.pk}/reform", body).status_code == 403
    shown = lesson_api.ok(lesson_api.get(sf_leader, f"/lessons/{lesson.pk}"))
    assert [t["id"] for t in shown["reforms"]] == [answer["id"]]
