"""/api/v1/access-requests and /api/v1/access-uses (第十一条, CONTRACT.md conventions): filing with
its field errors, the transitions with their refusals in the contract's order, the detail with
its timeline, and the reader log."""

from __future__ import annotations

import json

import pytest

from xianjie.access.grants import grant_open, grant_use_record
from xianjie.access.models import AccessRequest

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import KIND, PURPOSE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

BASE = "/api/v1/access-requests"


def as_user(client, user):
    client.force_login(user)
    return client


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_filing_answers_201_with_the_request(test_grantable, referral, outsider, client):
    response = post_json(
        as_user(client, outsider),
        BASE,
        {"kind": KIND, "reference": referral.number, "purpose": PURPOSE},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["status_label"], body["period_days"]) == (
        "pending_own",
        "待本单位领导审批",
        7,
    )
    assert (body["owner_org"]["code"], body["requester_org"]["code"]) == ("文纪", "文教法")
    assert (body["kind_label"], body["reference"], body["purpose"]) == (
        "移送线索（测试）",
        referral.number,
        PURPOSE,
    )
    assert [e["transition"] for e in body["events"]] == ["file"]
    assert body["events"][0]["from_status"] is None
    assert body["allowed_transitions"] == [{"name": "withdraw", "label": "撤回申请"}]
    assert (body["live"], body["granted_url"]) == (False, None)


@pytest.mark.parametrize("days", [0, 31, "x", "0"])
def test_a_bad_period_is_400_on_its_field(test_grantable, referral, outsider, client, days):
    response = post_json(
        as_user(client, outsider),
        BASE,
        {"kind": KIND, "reference": referral.number, "purpose": PURPOSE, "period_days": days},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"period_days": ["调阅期限应为1至30之间的整数（日）。"]}
    assert not AccessRequest.objects.exists()


def test_filing_refusals_follow_the_contract(
    test_grantable, referral, make_request, outsider, sf_clerk, auditor, client
):
    body = {"kind": KIND, "reference": referral.number, "purpose": PURPOSE}
    party = post_json(as_user(client, sf_clerk), BASE, body)
    assert party.status_code == 400
    assert list(party.json()["errors"]) == ["reference"]
    assert post_json(as_user(client, auditor), BASE, body).status_code == 403
    empty = post_json(as_user(client, outsider), BASE, {})
    assert empty.status_code == 400
    assert set(empty.json()["errors"]) == {"kind", "reference", "purpose"}
    first = make_request("pending_own", item=referral)
    again = post_json(as_user(client, outsider), BASE, body)
    assert again.status_code == 409
    assert f"调阅申请#{first.pk}" in again.json()["detail"]


def test_the_two_approvals_by_api_grant_with_a_link_for_the_requester(
    make_request, outsider, jy_leader, jw_leader, client
):
    waiting = make_request("pending_own")
    url = f"{BASE}/{waiting.pk}/transitions/approve"
    first = post_json(as_user(client, jy_leader), url, {"comment": "同意"})
    assert (first.status_code, first.json()["status"]) == (200, "pending_owner")
    assert first.json()["own_approver"]["name"] == "jy.leader"
    second = post_json(as_user(client, jw_leader), url, {})
    body = second.json()
    assert (body["status"], body["live"], body["owner_approver"]["name"]) == (
        "granted",
        True,
        "jw.leader",
    )
    assert body["granted_url"] is None
    mine = as_user(client, outsider).get(f"{BASE}/{waiting.pk}").json()
    assert mine["granted_url"] == f"/access/grants/{waiting.pk}/"
    assert [(e["transition"], e["comment"]) for e in mine["events"]] == [
        ("file", ""),
        ("approve", "同意"),
        ("approve", ""),
    ]


def test_transition_refusals_in_the_contracts_order(make_request, jw_leader, jy_leader, client):
    waiting = make_request("pending_owner")
    url = f"{BASE}/{waiting.pk}/transitions"
    # Not yours (403) before the missing reason (400).
    assert post_json(as_user(client, jy_leader), f"{url}/reject", {}).status_code == 403
    missing = post_json(as_user(client, jw_leader), f"{url}/reject", {})
    assert (missing.status_code, missing.json()["errors"]) == (
        400,
        {"reason": ["请填写不予批准的理由。"]},
    )
    unused = post_json(client, f"{url}/approve", {"reason": "x"})
    assert (unused.status_code, unused.json()["errors"]) == (
        400,
        {"reason": ["“批准”不使用此项。"]},
    )
    assert post_json(client, f"{url}/approve", []).status_code == 400
    assert post_json(client, f"{url}/nonsense", {}).status_code == 404
    # Not now (409) before the missing reason.
    assert post_json(client, f"{url}/revoke", {}).status_code == 409
    assert post_json(client, f"{BASE}/999999/transitions/approve", {}).status_code == 404
    assert AccessRequest.objects.get(pk=waiting.pk).status == "pending_owner"


def test_lists_page_and_validate_their_filters(make_request, outsider, client):
    for status in ("pending_own", "pending_own", "granted"):
        make_request(status)
    api = as_user(client, outsider)
    paged = api.get(BASE, {"page": 2, "page_size": 2}).json()
    assert (paged["count"], len(paged["items"])) == (3, 1)
    granted = api.get(BASE, {"status": "granted"}).json()
    assert [(i["status"], i["live"]) for i in granted["items"]] == [("granted", True)]
    assert api.get(BASE, {"scope": "everything"}).status_code == 422
    assert api.get(BASE, {"status": "nonsense"}).status_code == 422


@pytest.fixture
def used(grant, outsider):
    opened = grant_open(request_id=grant.pk, user=outsider)
    grant_use_record(opened=opened, user=outsider, use="view", what=grant.reference)
    grant_use_record(opened=opened, user=outsider, use="download", what="附件：证据.pdf")
    return grant


def test_the_uses_of_a_grant_for_the_owner_and_the_requesters_leader(
    used, outsider, jw_clerk, jy_leader, sj_leader, client
):
    for reader in (jw_clerk, jy_leader):
        body = as_user(client, reader).get(f"{BASE}/{used.pk}/uses").json()
        assert body["count"] == 2
        assert [(i["use"], i["what"]) for i in body["items"]] == [
            ("download", "附件：证据.pdf"),
            ("view", used.reference),
        ]
        assert body["items"][0]["user"]["name"] == "jy.clerk"
        assert body["items"][0]["org"]["code"] == "文教法"
        assert body["items"][0]["request"] == used.pk
    assert as_user(client, outsider).get(f"{BASE}/{used.pk}/uses").status_code == 403
    assert as_user(client, sj_leader).get(f"{BASE}/{used.pk}/uses").status_code == 404


def test_the_owners_reader_log_by_api(used, outsider, jw_leader, jy_leader, auditor, client):
    log = as_user(client, jw_leader).get("/api/v1/access-uses").json()
    assert log["count"] == 2
    assert client.get("/api/v1/access-uses", {"reader": outsider.pk}).json()["count"] == 2
    assert client.get("/api/v1/access-uses", {"reader": jw_leader.pk}).json()["count"] == 0
    assert client.get("/api/v1/access-uses", {"date_from": "2099-01-01"}).json()["count"] == 0
    assert client.get("/api/v1/access-uses", {"kind": KIND}).json()["count"] == 2
    # The requester's org owns nothing that was read; the 三员 have no reader log at all.
    assert as_user(client, jy_leader).get("/api/v1/access-uses").json()["count"] == 0
    assert as_user(client, auditor).get("/api/v1/access-uses").status_code == 403
