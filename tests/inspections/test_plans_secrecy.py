"""第十一条 tier 2 for joint inspection plans (第八条): the organisers see and change all of a plan;
its inspectors see it; an inspected unit sees the plan and its own row only once the inspection
is under way (a spot check is not announced); outsiders and the 三员 see nothing. Lists, counts,
lookups, pages and the API agree, and what may not be seen is 404."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.referrals.test_api_support import Api
from xianjie.core.errors import NotFound
from xianjie.inspections.models import Inspection, InspectionUnit
from xianjie.inspections.selectors.plans import get_inspection_for_user, inspection_list

from .plans_fixtures import PERSONAS, matrix_fixture, may_see_plan, may_see_unit  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.article(8), pytest.mark.article(11)]

ACTIONS = ("view", "change")


@pytest.fixture
def people(request, matrix):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def expected_plans(matrix, persona, action="view") -> set[int]:
    return {plan.pk for status, plan in matrix.items() if may_see_plan(persona, status, action)}


def test_the_matrix_is_not_trivial(matrix):
    assert expected_plans(matrix, "jw_clerk", "change") == {p.pk for p in matrix.values()}
    assert expected_plans(matrix, "sj_clerk") == {
        matrix["under_way"].pk,
        matrix["reported"].pk,
        matrix["closed"].pk,
    }
    assert expected_plans(matrix, "jt_clerk", "change") == set()
    assert expected_plans(matrix, "outsider") == set()


@pytest.mark.parametrize("action", ACTIONS)
def test_plans_restrict_lists_and_counts_follow_the_rule(matrix, people, action):
    for name, user in people.items():
        wanted = expected_plans(matrix, name, action)
        rows = Inspection.objects.restrict(user, action)
        assert set(rows.values_list("pk", flat=True)) == wanted, (name, action)
        assert rows.count() == len(wanted), (name, action)
        if action == "view":
            assert {p.pk for p in inspection_list(user)} == wanted, name


@pytest.mark.parametrize("action", ACTIONS)
def test_unit_rows_follow_the_rule(matrix, people, action):
    for name, user in people.items():
        wanted = {
            (status, unit.org.code)
            for status, plan in matrix.items()
            for unit in plan.units.select_related("org")
            if may_see_unit(
                name, status, {"文市监": "sj_dept", "文交": "jt_dept"}[unit.org.code], action
            )
        }
        seen = {
            (row.inspection.status, row.org.code)
            for row in InspectionUnit.objects.restrict(user, action).select_related(
                "inspection", "org"
            )
        }
        assert seen == wanted, (name, action)


def test_an_invisible_plan_is_404_by_lookup_for_every_persona(matrix, people):
    for name, user in people.items():
        for status, plan in matrix.items():
            if may_see_plan(name, status):
                assert get_inspection_for_user(user, plan.pk).pk == plan.pk
            else:
                with pytest.raises(NotFound):
                    get_inspection_for_user(user, plan.pk)


def test_pages_show_and_hide_alike(client, matrix, people):
    for name, user in people.items():
        client.force_login(user)
        html = client.get(reverse("inspections:list")).content.decode()
        linked = {int(pk) for pk in re.findall(r'href="/inspections/(\d+)/"', html)}
        assert linked == expected_plans(matrix, name), name
        for status, plan in matrix.items():
            response = client.get(reverse("inspections:plan_detail", args=[plan.pk]))
            assert response.status_code == (200 if may_see_plan(name, status) else 404), (
                name,
                status,
            )


def test_a_unit_sees_its_own_row_only(client, matrix, sj_clerk):
    client.force_login(sj_clerk)
    html = client.get(reverse("inspections:plan_detail", args=[matrix["under_way"].pk])).content
    table = html.decode().split('class="data unit-table"')[1].split("</table>")[0]
    assert "<td>文水县市场监督管理局</td>" in table
    assert "<td>文水县交通运输局</td>" not in table


def test_the_api_shows_and_hides_alike(matrix, people):
    api = Api()
    for name, user in people.items():
        body = api.ok(api.get(user, "/inspections", page_size=50))
        assert {item["id"] for item in body["items"]} == expected_plans(matrix, name), name
        assert body["count"] == len(expected_plans(matrix, name))
        for status, plan in matrix.items():
            response = api.get(user, f"/inspections/{plan.pk}")
            if not may_see_plan(name, status):
                assert response.status_code == 404, (name, status)
                assert "未找到" in json.loads(response.content)["detail"]
                continue
            units = {u["org"]["code"] for u in api.ok(response)["units"]}
            wanted = {
                code
                for code, key in (("文市监", "sj_dept"), ("文交", "jt_dept"))
                if may_see_unit(name, status, key)
            }
            assert units == wanted, (name, status)


def test_a_plan_is_changed_only_by_organisers_and_others_get_403_or_404(matrix, people):
    api = Api()
    plan = matrix["planned"]
    for name, user in people.items():
        response = api.patch(user, f"/inspections/{plan.pk}", {"title": "新名称"})
        if may_see_plan(name, "planned", "change"):
            assert response.status_code == 200, name
        elif may_see_plan(name, "planned"):
            assert response.status_code == 403, name
        else:
            assert response.status_code == 404, name


def test_only_organisers_are_offered_moves(client, matrix, people):
    for name, user in people.items():
        for status, plan in matrix.items():
            if not may_see_plan(name, status):
                continue
            client.force_login(user)
            html = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
            offered = bool(re.search(rf"/inspections/{plan.pk}/transitions/", html))
            moves_exist = status in ("planned", "under_way", "reported")
            assert offered == (
                name in {"jw_clerk", "jw_leader", "sf_clerk", "sf_leader"} and moves_exist
            ), (
                name,
                status,
            )
