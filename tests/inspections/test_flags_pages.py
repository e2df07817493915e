"""The pages and API of A10 flags (第十三条（十）): the list and page of a flag, 移送纪检监察
机关 for the issuing org's clerk (one step to a draft lead), 撤销标记 for its leader with a
reason."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xianjie.inspections.models import ComplianceFlag
from xianjie.inspections.services.flags import flags_raise
from xianjie.referrals.models import Referral

from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import lapse

pytestmark = [pytest.mark.django_db, pytest.mark.article(13)]
FLAGS = reverse("inspections:flag_list")


@pytest.fixture
def flag(make_act, data_dir):
    lapse(make_act())
    flags_raise()
    return ComplianceFlag.objects.select_related("act").get()


def detail(client, user, flag):
    client.force_login(user)
    response = client.get(reverse("inspections:flag_detail", args=[flag.pk]))
    return response, response.content.decode()


def test_list_filters_by_status(client, flag, make_act, sf_leader):
    other = make_act()
    lapse(other)
    flags_raise()
    dismissed = ComplianceFlag.objects.get(act=other)
    client.force_login(sf_leader)
    client.post(reverse("inspections:flag_dismiss", args=[dismissed.pk]), {"reason": "已补报"})
    html = client.get(FLAGS, {"status": "open"}).content.decode()
    assert {int(pk) for pk in re.findall(r'href="/inspections/flags/(\d+)/"', html)} == {flag.pk}
    assert flag.act.number in html and "文水县市场监督管理局" in html
    everything = client.get(FLAGS).content.decode()
    assert "共 2 条" in everything


def test_page_shows_the_flag_and_its_act(client, flag, sf_clerk):
    response, html = detail(client, sf_clerk, flag)
    assert response.status_code == 200
    assert "A10" in html and flag.act.number in html
    assert flag.due_date.isoformat() in html
    assert reverse("inspections:act_detail", args=[flag.act.pk]) in html


def test_the_clerk_gets_refer_with_its_consequence_and_the_leader_dismiss(
    client, flag, sf_clerk, sf_leader
):
    _, html = detail(client, sf_clerk, flag)
    assert reverse("inspections:flag_refer", args=[flag.pk]) in html
    assert "不能撤销" in html and "data-confirm=" in html
    assert reverse("inspections:flag_dismiss", args=[flag.pk]) not in html
    _, html = detail(client, sf_leader, flag)
    assert reverse("inspections:flag_dismiss", args=[flag.pk]) in html
    assert reverse("inspections:flag_refer", args=[flag.pk]) not in html


def test_the_justice_bureau_watches_a_legal_units_flag_without_acting(
    client, make_act, data_dir, sf_clerk
):
    lapse(make_act(issuer="sj"))
    flags_raise()
    flag = ComplianceFlag.objects.get()
    response, html = detail(client, sf_clerk, flag)
    assert response.status_code == 200
    assert "当前没有需要您办理的事项" in html
    assert client.post(reverse("inspections:flag_refer", args=[flag.pk])).status_code == 403


def test_refer_from_the_page_opens_the_draft_lead(client, flag, sf_clerk):
    client.force_login(sf_clerk)
    response = client.post(reverse("inspections:flag_refer", args=[flag.pk]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    lead = client.get(response["Location"]).content.decode()
    assert "监督文书及履行情况.docx" in lead and "A10" in lead
    _, html = detail(client, sf_clerk, flag)
    assert f"草稿#{referral.pk}" in html and "已移送" in html
    again = client.post(reverse("inspections:flag_refer", args=[flag.pk]))
    assert again.status_code == 409 and Referral.objects.count() == 1


def test_refer_by_the_leader_is_forbidden(client, flag, sf_leader):
    client.force_login(sf_leader)
    assert client.post(reverse("inspections:flag_refer", args=[flag.pk])).status_code == 403
    assert not Referral.objects.exists()


def test_dismiss_without_a_reason_keeps_the_form_open(client, flag, sf_leader):
    client.force_login(sf_leader)
    response = client.post(reverse("inspections:flag_dismiss", args=[flag.pk]), {"reason": ""})
    assert response.status_code == 400
    assert '<details class="move" open>' in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open"


def test_dismiss_with_a_reason_closes_the_flag(client, flag, sf_leader):
    client.force_login(sf_leader)
    response = client.post(
        reverse("inspections:flag_dismiss", args=[flag.pk]), {"reason": "抢险延误，已补报。"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.reason) == ("dismissed", "抢险延误，已补报。")
    _, html = detail(client, sf_leader, flag)
    assert "抢险延误，已补报。" in html and "已撤销" in html


def test_dismiss_by_the_clerk_is_forbidden(client, flag, sf_clerk):
    client.force_login(sf_clerk)
    response = client.post(reverse("inspections:flag_dismiss", args=[flag.pk]), {"reason": "x"})
    assert response.status_code == 403


# --- API.


def test_api_lists_flags_by_status(sv_api, flag, sf_clerk):
    body = sv_api.ok(sv_api.get(sf_clerk, "/compliance-flags", status="open"))
    assert [item["id"] for item in body["items"]] == [flag.pk]
    item = body["items"][0]
    assert (item["code"], item["act"]["number"], item["org"]["code"]) == (
        "A10",
        flag.act.number,
        "文市监",
    )
    assert item["allowed_transitions"] == [{"name": "refer", "label": "移送纪检监察机关"}]
    assert sv_api.ok(sv_api.get(sf_clerk, "/compliance-flags", status="referred"))["count"] == 0


def test_api_refer_answers_the_flag_with_its_referral(sv_api, flag, sf_clerk):
    path = f"/compliance-flags/{flag.pk}/transitions/refer"
    body = sv_api.ok(sv_api.post(sf_clerk, path))
    referral = Referral.objects.get()
    assert (body["status"], body["referral"]) == ("referred", referral.pk)
    lead = sv_api.ok(sv_api.get(sf_clerk, f"/referrals/{referral.pk}"))
    assert lead["violation_codes"] == ["A10"] and lead["status"] == "draft"
    assert [e["filename"] for e in lead["evidence"]] == ["监督文书及履行情况.docx"]
    assert sv_api.post(sf_clerk, path).status_code == 409


def test_api_dismiss_needs_the_leader_and_a_reason(sv_api, flag, sf_clerk, sf_leader):
    path = f"/compliance-flags/{flag.pk}/transitions/dismiss"
    assert sv_api.post(sf_clerk, path, {"reason": "x"}).status_code == 403
    refused = sv_api.ok(sv_api.post(sf_leader, path, {}), 400)
    assert refused["errors"] == {"reason": ["请填写撤销理由。"]}
    body = sv_api.ok(sv_api.post(sf_leader, path, {"reason": "已补报"}))
    assert (body["status"], body["reason"]) == ("dismissed", "已补报")


def test_api_unknown_flag_transition_answers_404(sv_api, flag, sf_clerk):
    assert (
        sv_api.post(sf_clerk, f"/compliance-flags/{flag.pk}/transitions/close").status_code == 404
    )
