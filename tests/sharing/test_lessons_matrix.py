"""Who sees which typical case (第十二条 with 第十一条's tiers): persona × tier × status, on the
library page, its count and search, the case's page, and the API — all answer the same set."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xianjie.sharing.selectors.lessons import lesson_list

from .lesson_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]

LIBRARY = reverse("sharing:lesson_list")
EVERY = ("草稿案例", "已审案例", "全区案例", "部门案例", "交通案例", "撤回案例", "纪委草稿")
JUSTICE = {"草稿案例", "已审案例", "全区案例", "部门案例", "交通案例", "撤回案例"}
#: persona → the cases it sees (the justice bureau prepared all but 纪委草稿).
SEES = {
    "sf_clerk": JUSTICE,
    "sf_leader": JUSTICE,
    "jw_clerk": {"全区案例", "纪委草稿"},
    "jw_leader": {"全区案例", "纪委草稿"},
    # 部门案例 is published to the market regulator, for which its legal unit acts.
    "sj_clerk": {"全区案例", "部门案例"},
    "sj_leader": {"全区案例", "部门案例"},
    "jt_clerk": {"全区案例", "交通案例"},
    "jt_leader": {"全区案例", "交通案例"},
    "outsider": {"全区案例"},
    "jy_leader": {"全区案例"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
}


@pytest.fixture
def cases(make_lesson):
    made = [
        make_lesson("草稿案例", status="draft"),
        make_lesson("已审案例", status="reviewed"),
        make_lesson("全区案例", tier=1, targets=("sj",)),
        make_lesson("部门案例", tier=2, targets=("sj_dept",)),
        make_lesson("交通案例", tier=2, targets=("jt",)),
        make_lesson("撤回案例", status="withdrawn", tier=1),
        make_lesson("纪委草稿", status="draft", org="jw"),
    ]
    return {lesson.title: lesson for lesson in made}


def library_titles(client, user, **params) -> set[str]:
    client.force_login(user)
    response = client.get(LIBRARY, params)
    assert response.status_code == 200
    return set(re.findall(r'/sharing/lessons/\d+/">([^<]+)</a>', response.content.decode()))


@pytest.mark.parametrize("persona", sorted(SEES))
def test_library_count_and_search_answer_the_same_set(request, client, cases, persona):
    user = request.getfixturevalue(persona)
    expected = SEES[persona]
    assert library_titles(client, user) == expected
    assert lesson_list(user).count() == len(expected)
    # Every case says 执法全过程记录; a search finds exactly what the user may open.
    assert library_titles(client, user, q="全过程记录") == expected
    assert {t for t in expected if "交通" in t} == library_titles(client, user, q="交通")


@pytest.mark.parametrize("persona", sorted(SEES))
def test_page_of_each_case_opens_or_is_404(request, client, cases, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for title in EVERY:
        url = reverse("sharing:lesson_detail", args=[cases[title].pk])
        status = client.get(url).status_code
        assert status == (200 if title in SEES[persona] else 404), (title, status)


@pytest.mark.parametrize("persona", sorted(SEES))
def test_api_answers_the_same_set(request, lesson_api, cases, persona):
    user = request.getfixturevalue(persona)
    body = lesson_api.ok(lesson_api.get(user, "/lessons", page_size=200))
    assert {item["title"] for item in body["items"]} == SEES[persona]
    assert body["count"] == len(SEES[persona])
    searched = lesson_api.ok(lesson_api.get(user, "/lessons", q="全过程记录"))
    assert searched["count"] == len(SEES[persona])
    for title in EVERY:
        response = lesson_api.get(user, f"/lessons/{cases[title].pk}")
        assert response.status_code == (200 if title in SEES[persona] else 404), title


def test_filters_narrow_the_library(client, cases, make_lesson, sf_leader):
    make_lesson("执法证案例", tier=1, codes=("P07",))
    assert library_titles(client, sf_leader, code="P07") == {"执法证案例"}
    assert library_titles(client, sf_leader, tier=2) == {"部门案例", "交通案例"}
    assert library_titles(client, sf_leader, status="draft") == {"草稿案例"}
    year = cases["全区案例"].published_at.year
    assert "全区案例" in library_titles(client, sf_leader, year=year)
    assert library_titles(client, sf_leader, year=year - 5) == set()


def test_withdrawal_takes_a_case_out_of_every_readers_list(client, published, sf_leader, outsider):
    from xianjie.sharing.services.lessons import lesson_withdraw

    lesson = published(tier=1)
    assert library_titles(client, outsider) == {lesson.title}
    lesson_withdraw(lesson_id=lesson.pk, actor=sf_leader, reason="需修改")
    assert library_titles(client, outsider) == set()
    assert library_titles(client, sf_leader) == {lesson.title}
