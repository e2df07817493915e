"""The pages of a typical case (第十二条): buttons only for what the viewer may do, masks
highlighted and leftovers flagged for the preparing org, confirmation of irreversible acts,
refusals back on the page with what was typed, and the library's pagination."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xianjie.sharing.models import Lesson
from xianjie.sharing.services.lessons import lesson_prepare, lesson_review

from .lesson_fixtures import *  # noqa: F403
from .lesson_fixtures import OFFICER

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def draft(closed_referral, sf_leader):
    return lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)


def page(client, user, lesson) -> str:
    client.force_login(user)
    response = client.get(reverse("sharing:lesson_detail", args=[lesson.pk]))
    assert response.status_code == 200
    return response.content.decode()


def moves(html: str) -> list[str]:
    return re.findall(r'<summary class="btn[^"]*">([^<]+)</summary>', html)


def move_url(lesson, name: str) -> str:
    return reverse("sharing:lesson_transition", args=[lesson.pk, name])


def test_buttons_follow_role_and_status(client, draft, sf_clerk, sf_leader):
    assert moves(page(client, sf_clerk, draft)) == ["审核通过"]
    html = page(client, sf_leader, draft)
    assert moves(html) == ["审核通过", "撤回"] and "修改</a>" in html
    lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    assert moves(page(client, sf_clerk, draft)) == []
    html = page(client, sf_leader, draft)
    assert moves(html) == ["发布", "撤回"]
    assert 'data-confirm="确认发布后' in html and "所选单位将收到学习通知" in html


def test_a_reader_sees_the_case_without_the_preparers_panels(client, published, sj_clerk):
    lesson = published()
    html = page(client, sj_clerk, lesson)
    assert moves(html) == [] and "办理记录" not in html and "来源案件" not in html
    assert "登记学习记录" in html and "提出以案促改建议" not in html and "修改</a>" not in html


def test_the_draft_highlights_masks_and_flags_leftovers(client, draft, sf_clerk):
    html = page(client, sf_clerk, draft)
    assert '<mark class="mask" title="已脱敏">张某某</mark>' in html
    assert "仍像个人信息" not in html
    client.post(
        reverse("sharing:lesson_edit", args=[draft.pk]),
        {"title": draft.title, "text": draft.text + f"{OFFICER}说明。", "violation_codes": ["P08"]},
    )
    html = page(client, sf_clerk, draft)
    assert f"案例正文：姓名“{OFFICER}”" in html


def test_review_refused_on_the_page_names_the_leftovers(client, draft, sf_clerk):
    Lesson.objects.filter(pk=draft.pk).update(text=draft.text + "联系电话13800001111。")
    client.force_login(sf_clerk)
    response = client.post(move_url(draft, "review"), {"comment": "已核对"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "手机号码“13800001111”" in html and "已核对</textarea>" in html
    assert Lesson.objects.get(pk=draft.pk).status == "draft"


def test_publish_on_the_page_keeps_the_choices_when_refused(client, draft, county, sf_leader):
    lesson_review(lesson_id=draft.pk, actor=sf_leader)
    client.force_login(sf_leader)
    response = client.post(move_url(draft, "publish"), {"tier": "2"})
    assert response.status_code == 400
    assert '<details class="move" open>' in response.content.decode()
    response = client.post(
        move_url(draft, "publish"), {"tier": "2", "target_orgs": [county["sj"].pk]}
    )
    assert response.status_code == 302
    assert Lesson.objects.get(pk=draft.pk).status == "published"


def test_moves_of_others_are_403_and_stale_ones_409(client, draft, published, sf_clerk, sj_leader):
    client.force_login(sf_clerk)
    assert client.post(move_url(draft, "withdraw"), {"reason": "x"}).status_code == 403
    lesson_review(lesson_id=draft.pk, actor=sf_clerk)
    response = client.post(move_url(draft, "review"), {})
    assert response.status_code == 409 and "当前状态已变化" in response.content.decode()
    client.force_login(sj_leader)
    assert client.post(move_url(draft, "review"), {}).status_code == 404
    assert client.post(move_url(draft, "nonsense"), {}).status_code == 404


def test_edit_page_keeps_what_was_typed_on_error(client, draft, sf_clerk):
    client.force_login(sf_clerk)
    url = reverse("sharing:lesson_edit", args=[draft.pk])
    response = client.post(url, {"title": "", "text": "新的正文内容", "lessons_learned": "教训"})
    html = response.content.decode()
    assert response.status_code == 400 and "新的正文内容</textarea>" in html
    assert Lesson.objects.get(pk=draft.pk).text == draft.text


def test_edit_page_is_403_for_a_reader_and_closed_after_publication(
    client, published, sj_clerk, sf_clerk
):
    lesson = published()
    url = reverse("sharing:lesson_edit", args=[lesson.pk])
    client.force_login(sj_clerk)
    assert client.get(url).status_code == 403
    client.force_login(sf_clerk)
    assert client.get(url)["Location"] == reverse("sharing:lesson_detail", args=[lesson.pk])


def test_library_is_paginated_keeping_the_filters(client, make_lesson, sf_leader):
    for n in range(23):
        make_lesson(f"案例{n:02d}", tier=2, targets=("jt",))
    client.force_login(sf_leader)
    html = client.get(reverse("sharing:lesson_list"), {"tier": "2"}).content.decode()
    assert "共 23 条" in html and "?tier=2&amp;page=2" in html
    assert 'value="2" selected' in html


def test_a_bad_filter_is_named(client, make_lesson, sf_leader):
    make_lesson("某案例")
    client.force_login(sf_leader)
    html = client.get(reverse("sharing:lesson_list"), {"tier": "9"}).content.decode()
    assert "筛选条件有误" in html and "某案例" in html
