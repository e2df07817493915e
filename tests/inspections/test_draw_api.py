"""/api/v1/inspections/{id}/draws (随机抽查, 第八条): prepare, read, run, verify — the seed never
in an answer before the draw, errors in CONTRACT.md's shape and statuses."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from xianjie.api.services import api_token_issue
from xianjie.inspections import drawing
from xianjie.inspections.models import Draw
from xianjie.inspections.sealing import unseal

from .draw_fixtures import pool_fixture, random_plan_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]


class Api:
    def __init__(self) -> None:
        self.client = Client()

    def call(self, method, user, path, body=None):
        token, _ = api_token_issue(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        url = f"/api/v1{path}"
        if method == "get":
            response = self.client.get(url, **headers)
        else:
            data = json.dumps(body) if body is not None else ""
            response = self.client.post(url, data, content_type="application/json", **headers)
        return response.status_code, json.loads(response.content)


@pytest.fixture
def api():
    return Api()


@pytest.fixture
def base(random_plan):
    return f"/inspections/{random_plan.pk}/draws"


def test_prepare_run_and_verify_through_the_api(api, base, pool, jw_clerk, sf_leader):
    status, body = api.call("post", jw_clerk, base, pool)
    assert status == 201, body
    draw = Draw.objects.get(pk=body["id"])
    assert body["status"] == "committed" and body["seed"] is None and body["result"] == []
    assert body["seed_hash"] == draw.seed_hash
    assert drawing.pool_digest(body["pools"]) == body["pool_digest"]

    status, shown = api.call("get", sf_leader, f"{base}/{draw.pk}")
    assert status == 200 and shown["seed"] is None
    assert unseal(draw, "seed", draw.seed_enc) not in json.dumps(shown)
    status, listing = api.call("get", sf_leader, base)
    assert (status, listing["count"], listing["items"][0]["id"]) == (200, 1, draw.pk)
    assert listing["items"][0]["seed"] is None

    status, ran = api.call("post", sf_leader, f"{base}/{draw.pk}/run")
    assert status == 200, ran
    assert ran["status"] == "drawn" and drawing.seed_hash(ran["seed"]) == ran["seed_hash"]
    # Anyone can re-run the draw from the answer alone.
    assert [
        {"unit": t["unit"]["id"], "inspectors": [m["id"] for m in t["inspectors"]]}
        for t in ran["result"]
    ] == drawing.draw(ran["seed"], ran["pools"])

    status, report = api.call("get", jw_clerk, f"{base}/{draw.pk}/verify")
    assert status == 200 and report["ok"] is True
    assert [c["name"] for c in report["checks"]][-1] == "teams"

    status, again = api.call("post", jw_clerk, f"{base}/{draw.pk}/run")
    assert status == 409 and "不能重复抽取" in again["detail"]


def test_bad_pools_answer_400_with_every_field(api, base, jw_clerk, county):
    body = {
        "units": [{"org": county["jw"].pk}, {"org": county["sj_dept"].pk, "weight": 0}],
        "inspectors": [jw_clerk.pk],
        "unit_count": 2,
        "team_size": 1,
    }
    status, answer = api.call("post", jw_clerk, base, body)
    assert status == 400
    assert set(answer["errors"]) == {
        "units.0.org",
        "units.1.weight",
        "inspectors",
        "unit_count",
        "team_size",
    }


def test_misspelt_field_is_named(api, base, pool, jw_clerk):
    status, answer = api.call("post", jw_clerk, base, {**pool, "teamsize": 3})
    assert status in (400, 422) and "teamsize" in answer["errors"]


def test_redraw_without_reason_is_400_and_with_reason_supersedes(api, base, pool, jw_clerk):
    _, first = api.call("post", jw_clerk, base, pool)
    status, answer = api.call("post", jw_clerk, base, pool)
    assert status == 400 and "reason" in answer["errors"]
    status, second = api.call("post", jw_clerk, base, {**pool, "reason": "单位库需调整"})
    assert status == 201 and second["replaces"] == first["id"]
    _, old = api.call("get", jw_clerk, f"{base}/{first['id']}")
    assert old["status"] == "superseded" and old["replaced_by"] == second["id"]
    status, _ = api.call("post", jw_clerk, f"{base}/{first['id']}/run")
    assert status == 409


def test_inspector_reads_but_gets_403_on_changes(
    api, base, pool, jw_clerk, sj_clerk, random_plan, county
):
    from xianjie.inspections.models import InspectionUnit

    _, draw = api.call("post", jw_clerk, base, pool)
    InspectionUnit.objects.create(inspection=random_plan, org=county["jy_dept"]).inspectors.set(
        [sj_clerk]
    )
    assert api.call("get", sj_clerk, f"{base}/{draw['id']}")[0] == 200
    assert api.call("post", sj_clerk, f"{base}/{draw['id']}/run")[0] == 403
    assert api.call("post", sj_clerk, base, pool)[0] == 403


@pytest.mark.parametrize("persona", ["outsider", "sj_leader", "sysadmin", "auditor"])
def test_others_get_404_everywhere(request, api, base, pool, jw_clerk, persona):
    _, draw = api.call("post", jw_clerk, base, pool)
    user = request.getfixturevalue(persona)
    for method, path in [
        ("get", base),
        ("get", f"{base}/{draw['id']}"),
        ("get", f"{base}/{draw['id']}/verify"),
        ("post", f"{base}/{draw['id']}/run"),
    ]:
        status, answer = api.call(method, user, path)
        assert status == 404 and answer["detail"], (method, path)
    assert api.call("post", user, base, pool)[0] == 404
    assert Draw.objects.get(pk=draw["id"]).status == "committed"
