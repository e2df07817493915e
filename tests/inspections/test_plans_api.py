"""/api/v1/inspections (CONTRACT.md): plans, their units and teams, 回避申报, the transitions and
the year's record of 第八条, with every error in the one shape {"detail", "errors"}."""

from __future__ import annotations

import json
import re

import pytest
import time_machine

from tests.referrals.test_api_support import API, Api
from xianjie.inspections.models import ConflictDeclaration, Inspection

from .plans_fixtures import plan_data, planned_fixture, staffed_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def api() -> Api:
    return Api()


def body_of(county, **changes):
    data = plan_data(county, **changes)
    return {
        **data,
        "planned_start": str(data["planned_start"]),
        "planned_end": str(data["planned_end"]),
    }


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content.decode()
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"} and CHINESE.search(body["detail"])
    return body


def put_units(api: Api, user, plan_id: int, units):
    return api.client.put(
        f"{API}/inspections/{plan_id}/units",
        json.dumps({"units": units}),
        content_type="application/json",
        **api.headers(user),
    )


def test_post_creates_a_plan_and_answers_its_detail(api, county, jw_clerk):
    body = api.ok(api.post(jw_clerk, "/inspections", body_of(county)), 201)
    assert (body["status"], body["status_label"], body["method_label"]) == (
        "planned",
        "计划中",
        "专项检查",
    )
    assert [org["code"] for org in body["organisers"]] == ["文纪", "文司"]
    assert body["allowed_transitions"] == [
        {"name": "start", "label": "开始检查"},
        {"name": "cancel", "label": "取消计划"},
    ]
    assert body["events"][0]["transition"] == "create" and body["events"][0]["from_status"] is None
    assert Inspection.objects.get().pk == body["id"]


def test_post_names_every_bad_field(api, county, jw_clerk, sysadmin):
    body = error(
        api.post(jw_clerk, "/inspections", body_of(county, title="", organisers=[county["jw"].pk])),
        400,
    )
    assert set(body["errors"]) == {"title", "organisers"}
    body = error(api.post(jw_clerk, "/inspections", {**body_of(county), "status": "closed"}), 422)
    assert "status" in body["errors"]
    body = error(api.post(jw_clerk, "/inspections", body_of(county, planned_start="03/02")), 422)
    assert "planned_start" in body["errors"]
    error(api.post(sysadmin, "/inspections", body_of(county)), 403)
    assert not Inspection.objects.exists()


def test_list_filters_and_pages(api, make_inspection, jw_clerk):
    special = make_inspection(method="special", title="案卷专项检查")
    make_inspection(method="random", status="under_way", year=2025, title="2025双随机")
    body = api.ok(api.get(jw_clerk, "/inspections", method="special"))
    assert [item["id"] for item in body["items"]] == [special.pk] and body["count"] == 1
    assert api.ok(api.get(jw_clerk, "/inspections", year=2025, status="under_way"))["count"] == 1
    assert api.ok(api.get(jw_clerk, "/inspections", q="专项"))["count"] == 1
    assert len(api.ok(api.get(jw_clerk, "/inspections", page_size=1))["items"]) == 1
    assert "status" in error(api.get(jw_clerk, "/inspections", status="done"), 422)["errors"]


def test_patch_changes_a_planned_plan_and_refuses_otherwise(
    api, planned, make_inspection, sf_leader, jw_clerk
):
    body = api.ok(api.patch(sf_leader, f"/inspections/{planned.pk}", {"title": "新名称"}))
    assert body["title"] == "新名称"
    body = error(
        api.patch(sf_leader, f"/inspections/{planned.pk}", {"planned_end": "2026-01-01"}), 400
    )
    assert body["errors"] == {"planned_end": ["计划结束日期不能早于开始日期。"]}
    started = make_inspection(status="under_way")
    error(api.patch(jw_clerk, f"/inspections/{started.pk}", {"title": "x"}), 409)
    error(api.patch(jw_clerk, "/inspections/999999", {"title": "x"}), 404)


def test_transitions_answer_the_detail_or_404_403_409_400(
    api, staffed, jw_clerk, jw_leader, sf_clerk, sj_clerk, outsider
):
    path = f"/inspections/{staffed.pk}/transitions"
    error(api.post(outsider, f"{path}/start"), 404)
    error(api.post(jw_clerk, f"{path}/approve"), 404)
    error(api.post(jw_leader, f"{path}/report", {"report_summary": "报告"}), 409)
    body = error(api.post(jw_clerk, f"{path}/start", {"report_summary": "报告"}), 400)
    assert body["errors"] == {"report_summary": ["“开始检查”不使用此项。"]}
    error(api.post(jw_clerk, f"{path}/start", {"reason": "x"}), 422)
    body = api.ok(api.post(jw_clerk, f"{path}/start"))
    assert (body["status"], body["started_on"] is not None) == ("under_way", True)
    assert [t["name"] for t in body["allowed_transitions"]] == ["report"]
    # sf.clerk is both an organiser and on a team: the organiser's moves are offered.
    assert [
        t["name"]
        for t in api.ok(api.get(sf_clerk, f"/inspections/{staffed.pk}"))["allowed_transitions"]
    ] == ["report"]
    unit_view = api.ok(api.get(sj_clerk, f"/inspections/{staffed.pk}"))
    assert unit_view["allowed_transitions"] == []
    assert [u["org"]["code"] for u in unit_view["units"]] == ["文市监"]
    error(api.post(sj_clerk, f"{path}/report", {"report_summary": "报告"}), 403)
    body = error(api.post(jw_clerk, f"{path}/report"), 400)
    assert body["errors"] == {"report_summary": ["请填写检查情况报告。"]}


def test_put_units_sets_the_teams(api, planned, county, jw_clerk, jw_leader, sf_clerk, sj_clerk):
    units = [{"org": county["sj_dept"].pk, "inspectors": [jw_leader.pk, sf_clerk.pk]}]
    body = api.ok(put_units(api, jw_clerk, planned.pk, units))
    assert [(u["org"]["code"], len(u["inspectors"]), u["draw"]) for u in body["units"]] == [
        ("文市监", 2, None)
    ]
    bad = [{"org": county["sj_dept"].pk, "inspectors": [sj_clerk.pk, jw_leader.pk]}]
    body = error(put_units(api, jw_clerk, planned.pk, bad), 400)
    assert body["errors"] == {
        "units.0.inspectors": ["回避：sj.clerk是文水县市场监督管理局的工作人员，不能检查本单位。"]
    }


def test_put_units_refusals(api, make_inspection, county, jw_clerk, jw_leader, sf_clerk, jt_clerk):
    units = [{"org": county["sj_dept"].pk, "inspectors": [jw_leader.pk, sf_clerk.pk]}]
    random = make_inspection(method="random")
    error(put_units(api, jw_clerk, random.pk, units), 409)
    seen = make_inspection(method="special", units={"jy_dept": [jt_clerk, sf_clerk]})
    error(put_units(api, jt_clerk, seen.pk, units), 403)
    body = error(put_units(api, jw_clerk, seen.pk, [{"org": county["sj_dept"].pk}]), 422)
    assert "units.0.inspectors" in body["errors"]


def test_post_conflict_declares_for_the_caller(api, planned, county, sf_clerk, outsider):
    path = f"/inspections/{planned.pk}/conflicts"
    body = api.ok(
        api.post(sf_clerk, path, {"org": county["jt_dept"].pk, "reason": "亲属任职"}), 201
    )
    assert (body["org"]["code"], body["reason"], body["inspection"]) == (
        "文交",
        "亲属任职",
        planned.pk,
    )
    assert ConflictDeclaration.objects.get().user == sf_clerk
    body = error(api.post(sf_clerk, path, {"org": county["jt_dept"].pk, "reason": "亲属任职"}), 400)
    assert body["errors"] == {"org": ["您已申报过对文水县交通运输局回避。"]}
    error(api.post(outsider, path, {"org": county["jt_dept"].pk, "reason": "x"}), 404)


def test_year_record(api, make_inspection, jw_clerk, outsider, auditor):
    make_inspection(status="closed", year=2025)
    with time_machine.travel("2026-10-02 09:00 +0800"):
        api.forget_tokens()
        body = api.ok(api.get(jw_clerk, "/inspections/years/2026"))
        assert (body["held"], body["met"], body["warning"], body["inspections"]) == (
            0,
            False,
            True,
            [],
        )
        body = api.ok(api.get(jw_clerk, "/inspections/years/2025"))
        assert (body["held"], body["met"], body["warning"]) == (1, True, False)
        assert body["inspections"][0]["status_label"] == "已结束"
        assert api.ok(api.get(outsider, "/inspections/years/2025"))["held"] == 0
        error(api.get(auditor, "/inspections/years/2025"), 403)
        error(api.get(jw_clerk, "/inspections/years/1900"), 422)


def test_401_without_credentials(api, planned, county):
    for response in (
        api.get(None, "/inspections"),
        api.get(None, f"/inspections/{planned.pk}"),
        api.post(None, "/inspections", body_of(county)),
        api.post(None, f"/inspections/{planned.pk}/transitions/start"),
        api.get(None, "/inspections/years/2026"),
    ):
        assert error(response, 401)["detail"] == "请先登录。"
