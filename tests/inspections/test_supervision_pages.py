"""The pages of supervision notices and decisions (第二条, 第十三条（十）): the list with its
filters, drafting and editing with Chinese errors that keep the input, the document laid out
like the printed form, signing by the leader, and the decision started from an ignored
notice."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xianjie.inspections.models import SupervisionAct
from xianjie.inspections.selectors.supervision import act_deadline

from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import PROBLEM, lapse

pytestmark = [pytest.mark.django_db, pytest.mark.article(13)]
LIST = reverse("inspections:act_list")
NEW = reverse("inspections:act_create")


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def linked(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/inspections/supervision/(\d+)/"', html)}


# --- The list.


def test_list_filters_by_kind_status_and_number_in_the_url(client, make_act, sf_clerk):
    draft = make_act(issued=False)
    notice = make_act()
    lapse(notice)
    decision = make_act(kind="decision", decision_type="revoke", notice=notice.pk)
    _, html = page(client, sf_clerk, LIST)
    assert linked(html) == {draft.pk, notice.pk, decision.pk}
    assert "起草监督通知书" in html
    assert linked(page(client, sf_clerk, LIST, kind="decision")[1]) == {decision.pk}
    assert linked(page(client, sf_clerk, LIST, status="draft")[1]) == {draft.pk}
    assert linked(page(client, sf_clerk, LIST, q=notice.number)[1]) == {notice.pk}
    _, html = page(client, sf_clerk, LIST, target=notice.target_org_id, status="issued")
    assert linked(html) == {notice.pk, decision.pk}
    assert 'value="issued" selected' in html


def test_list_paginates_keeping_the_filters(client, make_act, sf_clerk):
    for _ in range(21):
        make_act(issued=False)
    _, html = page(client, sf_clerk, LIST, status="draft")
    assert "共 21 条，第 1 / 2 页" in html
    assert "?status=draft&amp;page=2" in html
    _, second = page(client, sf_clerk, LIST, status="draft", page=2)
    assert len(linked(second)) == 1


def test_list_shows_the_deadline_light(client, make_act, sj_clerk):
    act = make_act()
    lapse(act)
    _, html = page(client, sj_clerk, LIST)
    assert "light-red" in html and "已逾期" in html
    assert "起草监督通知书" in html  # the legal unit supervises its own department too


def test_list_has_no_drafting_button_for_the_commission(client, jw_clerk):
    response, html = page(client, jw_clerk, LIST)
    assert response.status_code == 200 and "起草监督通知书" not in html


# --- Drafting and editing.


def test_drafting_offers_the_orgs_the_issuer_supervises(client, county, sf_clerk, sj_clerk):
    _, html = page(client, sf_clerk, NEW, kind="notice")
    for key in ("sj_dept", "jt_dept", "jy_dept"):
        assert f'value="{county[key].pk}"' in html
    _, html = page(client, sj_clerk, NEW)
    assert f'value="{county["sj_dept"].pk}"' in html
    assert f'value="{county["jt_dept"].pk}"' not in html
    assert "决定类型" not in html


@pytest.mark.parametrize("persona", ["jw_clerk", "jw_leader", "auditor"])
def test_drafting_page_is_refused_to_non_supervision_bodies(client, request, persona):
    response, _ = page(client, request.getfixturevalue(persona), NEW)
    assert response.status_code == 403


def test_an_unknown_kind_is_not_found(client, sf_clerk):
    assert page(client, sf_clerk, NEW, kind="memo")[0].status_code == 404


def test_drafting_saves_and_opens_the_draft(client, county, sf_clerk):
    client.force_login(sf_clerk)
    response = client.post(
        NEW + "?kind=notice",
        {
            "target_org": county["jt_dept"].pk,
            "problem": PROBLEM,
            "basis": "《行政处罚法》第五十五条",
            "requirement": "立即整改。",
            "period_days": "",
        },
    )
    act = SupervisionAct.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:act_detail", args=[act.pk])
    assert (act.kind, act.target_org, act.period_days) == ("notice", county["jt_dept"], 30)


def test_a_refused_draft_keeps_what_was_typed(client, county, sf_clerk):
    client.force_login(sf_clerk)
    response = client.post(
        NEW + "?kind=notice",
        {"target_org": county["sj_dept"].pk, "problem": PROBLEM, "basis": "", "requirement": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert PROBLEM in html
    assert "这个字段是必填项" in html or "请填写" in html
    assert not SupervisionAct.objects.exists()


def test_a_decision_of_the_notice_refused_by_the_service_names_the_field(
    client, make_act, sf_clerk
):
    notice = make_act()  # still within its period
    client.force_login(sf_clerk)
    response = client.post(
        NEW + "?kind=decision",
        {
            "target_org": notice.target_org_id,
            "decision_type": "fulfil",
            "notice": notice.pk,
            "problem": PROBLEM,
            "basis": "依据",
            "requirement": "限期履行。",
        },
    )
    assert response.status_code == 400
    assert "整改期限尚未届满" in response.content.decode()


def test_edit_changes_the_draft(client, make_act, sf_leader):
    act = make_act(issued=False)
    response, html = page(client, sf_leader, reverse("inspections:act_edit", args=[act.pk]))
    assert response.status_code == 200 and PROBLEM in html
    response = client.post(
        reverse("inspections:act_edit", args=[act.pk]),
        {
            "target_org": act.target_org_id,
            "problem": "改写后的问题",
            "basis": act.basis,
            "requirement": act.requirement,
            "period_days": 10,
        },
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert (act.problem, act.period_days) == ("改写后的问题", 10)


def test_edit_of_an_issued_act_goes_back_to_its_page(client, make_act, sf_clerk):
    act = make_act()
    client.force_login(sf_clerk)
    response = client.get(reverse("inspections:act_edit", args=[act.pk]), follow=True)
    assert "监督文书已签发，不能修改。" in response.content.decode()


def test_edit_by_the_target_unit_is_forbidden(client, make_act, sj_clerk):
    act = make_act()
    assert (
        page(client, sj_clerk, reverse("inspections:act_edit", args=[act.pk]))[0].status_code == 403
    )


# --- The document and signing.


def test_detail_lays_out_the_document_and_its_deadline(client, make_act, county, sj_clerk):
    act = make_act()
    deadline = act_deadline(act)
    _, html = page(client, sj_clerk, reverse("inspections:act_detail", args=[act.pk]))
    assert act.number in html and "行政执法监督通知书" in html
    assert f"{county['sj_dept'].name}：" in html
    assert PROBLEM in html and act.basis in html and act.requirement in html
    due = deadline.due_date
    assert f"{due.year}年{due.month}月{due.day}日前" in html
    assert due.isoformat() in html and "light-green" in html
    assert re.search(r'href="/inspections/rectifications/\d+/"', html)


def test_only_the_issuers_leader_gets_the_signing_button(client, make_act, sf_clerk, sf_leader):
    act = make_act(issued=False)
    url = reverse("inspections:act_detail", args=[act.pk])
    issue = reverse("inspections:act_issue", args=[act.pk])
    assert issue not in page(client, sf_clerk, url)[1]
    html = page(client, sf_leader, url)[1]
    assert issue in html and "data-confirm=" in html and "不能修改或撤回" in html


def test_signing_from_the_page_numbers_the_act(client, make_act, sf_leader):
    act = make_act(issued=False)
    client.force_login(sf_leader)
    response = client.post(reverse("inspections:act_issue", args=[act.pk]), follow=True)
    act.refresh_from_db()
    assert act.status == "issued"
    assert f"已签发：{act.number}" in response.content.decode()
    again = client.post(reverse("inspections:act_issue", args=[act.pk]))
    assert again.status_code == 409
    assert "当前状态已变化" in again.content.decode()


def test_signing_by_the_clerk_is_forbidden(client, make_act, sf_clerk):
    act = make_act(issued=False)
    client.force_login(sf_clerk)
    assert client.post(reverse("inspections:act_issue", args=[act.pk])).status_code == 403
    act.refresh_from_db()
    assert act.status == "draft"


# --- A decision from an ignored notice.


def test_an_ignored_notice_offers_a_decision_prefilled(client, make_act, sf_clerk):
    notice = make_act()
    url = reverse("inspections:act_detail", args=[notice.pk])
    assert "未按期整改，制发监督决定书" not in page(client, sf_clerk, url)[1]
    lapse(notice)
    html = page(client, sf_clerk, url)[1]
    assert "未按期整改，制发监督决定书" in html
    start = f"{NEW}?kind=decision&amp;notice={notice.pk}"
    assert start in html
    response, form = page(client, sf_clerk, NEW, kind="decision", notice=notice.pk)
    assert response.status_code == 200
    assert PROBLEM in form and f'<option value="{notice.pk}" selected>' in form
    client.post(
        f"{NEW}?kind=decision&notice={notice.pk}",
        {
            "target_org": notice.target_org_id,
            "decision_type": "fulfil",
            "notice": notice.pk,
            "problem": PROBLEM,
            "basis": notice.basis,
            "requirement": "限十日内履行。",
            "period_days": 10,
        },
    )
    decision = SupervisionAct.objects.get(kind="decision")
    assert (decision.notice, decision.period_days) == (notice, 10)
    assert f'href="/inspections/supervision/{decision.pk}/"' in page(client, sf_clerk, url)[1]
