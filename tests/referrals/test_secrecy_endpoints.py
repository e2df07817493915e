"""第十一条 over HTTP: every page and API path of a referral answers 404 to anyone who is not a
party (the 三员 are refused outright), lists and searches over HTTP show them nothing, and a
refused request changes nothing. The parties' own answers are checked too, so that a 404 here
means "not yours" and not "broken"."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .flows import PERSONAS

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

FACTS = "机密事实MARK-7731：在执法检查中收受礼金"
CERT = "14110077311"
SYSTEM = ("sysadmin", "secadmin", "auditor")


@pytest.fixture
def lead(flow):
    """A lead of the justice bureau to the commission, received, with an evidence file."""
    return flow.to_status("received", facts=FACTS, cert_no=CERT)


def page_requests(referral, evidence):
    pk = referral.pk
    return {
        "detail": ("get", reverse("referrals:detail", args=[pk]), {}),
        "edit": ("get", reverse("referrals:edit", args=[pk]), {}),
        "move": (
            "post",
            reverse("referrals:transition", args=[pk, "return"]),
            {"reason": "越权退回"},
        ),
        "upload": (
            "post",
            reverse("referrals:evidence_upload", args=[pk]),
            {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"), "role": "evidence"},
        ),
        "download": (
            "get",
            reverse("referrals:evidence_download", args=[pk, evidence.pk]),
            {},
        ),
    }


def api_requests(referral, evidence):
    base = f"/api/v1/referrals/{referral.pk}"
    return {
        "api_detail": ("get", base, None),
        "api_patch": ("patch", base, {"facts": "改"}),
        "api_move": ("post", f"{base}/transitions/return", {"reason": "越权退回"}),
        "api_download": ("get", f"{base}/evidence/{evidence.pk}", None),
        "api_upload": ("post", f"{base}/evidence", None),
    }


def send(client, method, url, data):
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        body = json.dumps(data or {})
        return getattr(client, method)(url, body, content_type="application/json")
    return client.post(url, data)


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def outsiders(flow, referral):
    return [
        name
        for name in PERSONAS
        if flow.people[name].org_id not in (referral.sender_org_id, referral.receiver_org_id)
    ]


def test_the_parties_get_the_pages_and_the_api(flow, lead, client):
    client.force_login(flow.people["jw_leader"])
    detail = client.get(reverse("referrals:detail", args=[lead.pk]))
    assert detail.status_code == 200
    assert FACTS in body(detail)
    api = client.get(f"/api/v1/referrals/{lead.pk}")
    assert api.status_code == 200
    assert api.json()["facts"] == FACTS
    listed = client.get("/api/v1/referrals", {"q": CERT})
    assert [item["id"] for item in listed.json()["items"]] == [lead.pk]


@pytest.mark.parametrize("endpoint", ["detail", "edit", "move", "upload", "download"])
def test_every_page_of_a_referral_is_404_to_everyone_else(flow, snapshot, lead, endpoint):
    evidence = lead.evidence.get()
    before = snapshot(lead.pk)
    for name in outsiders(flow, lead):
        client = Client()
        client.force_login(flow.people[name])
        method, url, data = page_requests(lead, evidence)[endpoint]
        response = send(client, method, url, data)
        allowed = {403, 404} if name in SYSTEM else {404}
        assert response.status_code in allowed, (name, response.status_code)
        assert FACTS not in body(response)
        assert lead.number not in body(response)
    assert snapshot(lead.pk) == before


@pytest.mark.parametrize(
    "endpoint", ["api_detail", "api_patch", "api_move", "api_download", "api_upload"]
)
def test_every_api_path_of_a_referral_is_404_to_everyone_else(flow, snapshot, lead, endpoint):
    evidence = lead.evidence.get()
    before = snapshot(lead.pk)
    for name in outsiders(flow, lead):
        client = Client()
        client.force_login(flow.people[name])
        method, url, data = api_requests(lead, evidence)[endpoint]
        response = send(client, method, url, data)
        allowed = {403, 404} if name in SYSTEM else {404}
        assert response.status_code in allowed, (name, endpoint, response.status_code)
        assert FACTS not in body(response)
        assert lead.number not in body(response)
    assert snapshot(lead.pk) == before


@pytest.mark.parametrize("where", ["page", "api"])
def test_lists_and_search_over_http_show_others_nothing(flow, lead, where):
    for name in outsiders(flow, lead):
        client = Client()
        client.force_login(flow.people[name])
        for query in ({}, {"q": CERT}, {"q": lead.number}, {"overdue": "true"}):
            if where == "page":
                response = client.get(reverse("referrals:list"), query)
            else:
                response = client.get("/api/v1/referrals", query)
            if name in SYSTEM:
                assert response.status_code in (200, 403), (name, response.status_code)
            else:
                assert response.status_code == 200, (name, query)
            if where == "api" and response.status_code == 200:
                assert response.json()["count"] == 0, (name, query)
            # The search box shows what was typed; nothing else may name the lead.
            shown = body(response).replace(f'value="{query.get("q")}"', "")
            assert lead.number not in shown, (name, query)
            assert FACTS not in shown


def test_workbench_of_a_third_party_names_no_referral(flow, lead):
    for name in outsiders(flow, lead):
        client = Client()
        client.force_login(flow.people[name])
        response = client.get("/")
        assert lead.number not in body(response), name


def test_justice_bureau_sees_a_departmental_lead_as_a_status_only(flow, sf_clerk):
    """The 司法局 finds a departmental lead on its oversight page by number and status — but its
    detail, files and certificate-number search stay closed."""
    dept = flow.to_status("received", sender="sj", facts=FACTS, cert_no=CERT)
    client = Client()
    client.force_login(sf_clerk)

    overview = client.get(reverse("referrals:oversight"))
    assert overview.status_code == 200
    assert dept.number in body(overview)
    assert FACTS not in body(overview)

    listed = client.get("/api/v1/referrals").json()
    row = next(item for item in listed["items"] if item["id"] == dept.pk)
    assert row["content_visible"] is False
    assert "facts" not in row
    assert client.get("/api/v1/referrals", {"q": CERT}).json()["count"] == 0

    assert client.get(reverse("referrals:detail", args=[dept.pk])).status_code == 404
    assert client.get(f"/api/v1/referrals/{dept.pk}").status_code == 404
    evidence = dept.evidence.get()
    url = f"/api/v1/referrals/{dept.pk}/evidence/{evidence.pk}"
    assert client.get(url).status_code == 404
