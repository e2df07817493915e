"""/supervision-acts (第二条, 第十三条（十）): drafting, editing, signing, lists with filters,
and the error shape — 400 naming every field, 403 not yours, 404 not visible, 409 wrong
status."""

from __future__ import annotations

import pytest

from xianjie.inspections.models import SupervisionAct

from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import PROBLEM, act_body, lapse

pytestmark = [pytest.mark.django_db, pytest.mark.article(13)]


def test_create_answers_201_with_a_draft(sv_api, county, sf_clerk):
    body = sv_api.ok(sv_api.post(sf_clerk, "/supervision-acts", act_body(county["sj_dept"])), 201)
    assert (body["status"], body["number"], body["kind"]) == ("draft", "", "notice")
    assert body["issuer_org"]["code"] == "文司"
    assert body["target_org"]["id"] == county["sj_dept"].pk
    assert (body["period_days"], body["problem"], body["deadline"], body["task"]) == (
        30,
        PROBLEM,
        None,
        None,
    )
    assert body["allowed_transitions"] == []


def test_create_with_bad_fields_answers_400_naming_each(sv_api, county, sj_clerk):
    body = act_body(county["jt_dept"], kind="decision", problem="", period_days=0)
    response = sv_api.post(sj_clerk, "/supervision-acts", body)
    answer = sv_api.ok(response, 400)
    assert set(answer["errors"]) == {"target_org", "problem", "period_days", "decision_type"}
    assert not SupervisionAct.objects.exists()


def test_create_with_an_unknown_field_answers_422(sv_api, county, sf_clerk):
    response = sv_api.post(sf_clerk, "/supervision-acts", act_body(county["sj_dept"], deadline=5))
    assert response.status_code == 422


def test_create_by_the_commission_answers_403(sv_api, county, jw_clerk):
    response = sv_api.post(jw_clerk, "/supervision-acts", act_body(county["sj_dept"]))
    assert sv_api.ok(response, 403)["detail"].startswith("只有行政执法监督机构")


def test_patch_changes_given_fields_while_draft(sv_api, make_act, sf_leader):
    act = make_act(issued=False)
    body = sv_api.ok(sv_api.patch(sf_leader, f"/supervision-acts/{act.pk}", {"period_days": 7}))
    assert (body["period_days"], body["problem"]) == (7, PROBLEM)
    assert body["allowed_transitions"] == [{"name": "issue", "label": "签发"}]


def test_patch_of_an_issued_act_answers_409(sv_api, make_act, sf_clerk):
    act = make_act()
    response = sv_api.patch(sf_clerk, f"/supervision-acts/{act.pk}", {"period_days": 7})
    assert response.status_code == 409


def test_issue_answers_the_numbered_act_with_its_task_and_deadline(sv_api, make_act, sf_leader):
    act = make_act(issued=False, period_days=20)
    body = sv_api.ok(sv_api.post(sf_leader, f"/supervision-acts/{act.pk}/transitions/issue"))
    assert body["status"] == "issued" and body["number"].startswith("文司监通〔")
    assert body["task"]["status"] == "open"
    assert body["task"]["title"] == f"{body['number']} 行政执法监督通知书"
    assert body["deadline"]["state"] == "running" and body["deadline"]["light"] == "green"
    assert body["allowed_transitions"] == []


def test_issue_by_the_clerk_answers_403_and_twice_409(sv_api, make_act, sf_clerk, sf_leader):
    act = make_act(issued=False)
    path = f"/supervision-acts/{act.pk}/transitions/issue"
    assert sv_api.post(sf_clerk, path).status_code == 403
    assert sv_api.post(sf_leader, path).status_code == 200
    assert sv_api.post(sf_leader, path).status_code == 409


def test_an_unknown_transition_answers_404(sv_api, make_act, sf_leader):
    act = make_act(issued=False)
    response = sv_api.post(sf_leader, f"/supervision-acts/{act.pk}/transitions/withdraw")
    assert response.status_code == 404


def test_a_decision_links_its_notice_both_ways(sv_api, make_act, sf_clerk):
    notice = make_act()
    lapse(notice)
    body = act_body(notice.target_org, kind="decision", decision_type="confirm_illegal")
    body["notice"] = notice.pk
    decision = sv_api.ok(sv_api.post(sf_clerk, "/supervision-acts", body), 201)
    assert decision["notice"]["id"] == notice.pk
    assert decision["decision_type_label"] == "确认违法"
    shown = sv_api.ok(sv_api.get(sf_clerk, f"/supervision-acts/{notice.pk}"))
    assert [d["id"] for d in shown["decisions"]] == [decision["id"]]


def test_list_filters_and_pages(sv_api, make_act, county, sf_clerk):
    draft = make_act(issued=False)
    issued = make_act(target="jt_dept")
    items = sv_api.ok(sv_api.get(sf_clerk, "/supervision-acts"))["items"]
    assert [i["id"] for i in items] == [issued.pk, draft.pk]
    assert items[0]["deadline"]["due_date"] and items[1]["deadline"] is None
    by_status = sv_api.ok(sv_api.get(sf_clerk, "/supervision-acts", status="draft"))
    assert [i["id"] for i in by_status["items"]] == [draft.pk]
    by_target = sv_api.ok(sv_api.get(sf_clerk, "/supervision-acts", target=county["jt_dept"].pk))
    assert [i["id"] for i in by_target["items"]] == [issued.pk]
    by_number = sv_api.ok(sv_api.get(sf_clerk, "/supervision-acts", q=issued.number))
    assert by_number["count"] == 1
    by_kind = sv_api.ok(sv_api.get(sf_clerk, "/supervision-acts", kind="decision"))
    assert by_kind["count"] == 0
    paged = sv_api.ok(sv_api.get(sf_clerk, "/supervision-acts", page_size=1, page=2))
    assert (paged["count"], [i["id"] for i in paged["items"]]) == (2, [draft.pk])


def test_list_with_a_bad_filter_answers_422(sv_api, sf_clerk):
    assert sv_api.get(sf_clerk, "/supervision-acts", kind="memo").status_code == 422


def test_ids_that_name_nothing_answer_400(sv_api, county, sf_clerk):
    body = act_body(county["sj_dept"], kind="decision", decision_type="fulfil")
    body.update(target_org=10**30, notice=987654321)
    answer = sv_api.ok(sv_api.post(sf_clerk, "/supervision-acts", body), 400)
    assert answer["errors"]["target_org"] == ["被监督单位不存在。"]
    assert answer["errors"]["notice"] == ["未找到本机关制发的该监督通知书。"]
