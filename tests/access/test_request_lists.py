"""Lists and counts of access requests (第十一条; house rule 2): for every persona and every tab,
the selector, the page and the API answer the same set, the workbench's count and list of
requests awaiting the user's approval match the "待我审批" tab, and nobody sees a request that
is not theirs to see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xianjie.access.models import AccessRequest
from xianjie.access.selectors import (
    access_request_list,
    access_requests_to_approve,
    access_requests_to_approve_count,
)
from xianjie.access.services.requests import access_request_approve, access_request_file

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import KIND, PERSONAS, PURPOSE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

SCOPES = ("mine", "to_approve", "owned", "all")


@pytest.fixture
def scene(make_request, make_referral, people):
    """r1–r3: the outsider's requests (pending_own, pending_owner, granted) for leads sf → jw;
    r4: jy.leader's own request, pending_own; r5: jt.clerk's request for a lead sf → sj
    (owned by the market regulator's legal unit), approved by jt.leader, pending_owner."""
    for name in PERSONAS:
        people[name]
    r1, r2, r3 = (make_request(s) for s in ("pending_own", "pending_owner", "granted"))
    lead = make_referral(sender="sf", receiver="jw", status="closed")
    r4 = access_request_file(
        kind=KIND, reference=lead.number, purpose=PURPOSE, actor=people["jy_leader"]
    )
    lead = make_referral(sender="sf", receiver="sj", status="closed")
    r5 = access_request_file(
        kind=KIND, reference=lead.number, purpose=PURPOSE, actor=people["jt_clerk"]
    )
    access_request_approve(request_id=r5.pk, actor=people["jt_leader"])
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5}


#: What each persona sees in each tab, by the scene's names.
EXPECTED = {
    "outsider": {"mine": "r1 r2 r3", "to_approve": "", "owned": "", "all": "r1 r2 r3"},
    "jy_leader": {"mine": "r4", "to_approve": "r1", "owned": "", "all": "r1 r2 r3 r4"},
    "jw_clerk": {"mine": "", "to_approve": "", "owned": "r1 r2 r3 r4", "all": "r1 r2 r3 r4"},
    "jw_leader": {"mine": "", "to_approve": "r2", "owned": "r1 r2 r3 r4", "all": "r1 r2 r3 r4"},
    "jt_clerk": {"mine": "r5", "to_approve": "", "owned": "", "all": "r5"},
    "jt_leader": {"mine": "", "to_approve": "", "owned": "", "all": "r5"},
    "sj_clerk": {"mine": "", "to_approve": "", "owned": "r5", "all": "r5"},
    "sj_leader": {"mine": "", "to_approve": "r5", "owned": "r5", "all": "r5"},
}


def ids(scene, names):
    return {scene[name].pk for name in names.split()}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_selector_page_and_api_answer_the_same_set(scene, people, client, persona, scope):
    user = people[persona]
    want = ids(scene, EXPECTED.get(persona, {}).get(scope, ""))
    listed = access_request_list(user, {"scope": scope})
    assert {r.pk for r in listed} == want
    assert listed.count() == len(want)

    client.force_login(user)
    page = client.get(reverse("access:request_list"), {"scope": scope})
    assert page.status_code == 200
    assert {row["request"].pk for row in page.context["rows"]} == want
    assert page.context["page_obj"].paginator.count == len(want)
    body = client.get("/api/v1/access-requests", {"scope": scope}).json()
    assert ({item["id"] for item in body["items"]}, body["count"]) == (want, len(want))
    html = page.content.decode()
    for request in AccessRequest.objects.exclude(pk__in=want):
        assert reverse("access:request_detail", args=[request.pk]) not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_workbench_count_and_list_match_the_to_approve_tab(scene, people, client, persona):
    user = people[persona]
    want = ids(scene, EXPECTED.get(persona, {}).get("to_approve", ""))
    assert access_requests_to_approve_count(user) == len(want)
    assert {r.pk for r in access_requests_to_approve(user)} == want
    client.force_login(user)
    page = client.get(reverse("access:request_list"))
    assert page.context["to_approve"] == len(want)


def test_the_workbench_list_is_oldest_first_and_limited(make_request, jw_leader):
    waiting = [make_request("pending_owner") for _ in range(3)]
    assert [r.pk for r in access_requests_to_approve(jw_leader)] == [r.pk for r in waiting]
    assert [r.pk for r in access_requests_to_approve(jw_leader, limit=2)] == [
        r.pk for r in waiting[:2]
    ]


def test_the_default_tab_is_mine_and_filters_narrow_it(scene, people, client):
    client.force_login(people["jw_leader"])
    page = client.get(reverse("access:request_list"))
    assert page.context["scope"] == "mine"
    owned = client.get(reverse("access:request_list"), {"scope": "owned", "status": "granted"})
    assert [row["request"].pk for row in owned.context["rows"]] == [scene["r3"].pk]
    api = client.get("/api/v1/access-requests", {"scope": "owned", "status": "pending_own"})
    assert {item["id"] for item in api.json()["items"]} == {scene["r1"].pk, scene["r4"].pk}
    none = client.get("/api/v1/access-requests", {"kind": "finding"}).json()
    assert none == {"items": [], "count": 0}
