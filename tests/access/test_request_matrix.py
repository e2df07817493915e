"""The permission matrix of access requests (第十一条 严格审批共享): persona × status × action,
through the services, the API and the pages alike. Who sees a request: the requester, the
leaders of the requester's org, the people of the org that owns the item; everyone else —
including the other party to the case and the 三员 — gets 404. Of those who see it, a move that is
not theirs is 403, one the status does not allow 409; a refused move changes nothing."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from xianjie.access.models import AccessEvent, AccessRequest
from xianjie.access.services.requests import SERVICES
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import ServiceError

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import PERSONAS, STATUSES

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

ACTIONS = ("approve", "reject", "withdraw", "revoke")
#: Who sees a request of the outsider (jy.clerk) for a lead sf → jw.
SEES = frozenset({"outsider", "jy_leader", "jw_clerk", "jw_leader"})
#: One persona of each kind for the action matrix: requester, own leader, owner clerk and
#: leader, the other party, an unrelated clerk, the 三员.
ACTORS = ("outsider", "jy_leader", "jw_clerk", "jw_leader", "sf_leader", "jt_clerk", "auditor")
PENDING = ("pending_own", "pending_owner")
FIELDS = {
    "approve": {"comment": "同意调阅"},
    "reject": {"reason": "调阅事由不充分"},
    "withdraw": {},
    "revoke": {"reason": "案件已移交"},
}


def expected(persona: str, status: str, action: str) -> int | str:
    """ "ok", or the HTTP status of the refusal."""
    if persona not in SEES:
        return 404
    if action == "withdraw":
        if persona != "outsider":
            return 403
        return "ok" if status in PENDING else 409
    if action == "revoke":
        if persona != "jw_leader":
            return 403
        return "ok" if status == "granted" else 409
    # approve / reject: the leader whose approval is due; other leaders of either side 409 once
    # it is decided.
    if persona not in ("jy_leader", "jw_leader"):
        return 403
    due = {"pending_own": "jy_leader", "pending_owner": "jw_leader"}.get(status)
    if due is None:
        return 409
    return "ok" if persona == due else 403


def snapshot(access):
    return (
        AccessRequest.objects.filter(pk=access.pk).values_list("status", "updated_at").get(),
        AccessEvent.objects.filter(request=access).count(),
        AuditEntry.objects.count(),
    )


def by_service(user, access, action):
    try:
        SERVICES[action](request_id=access.pk, actor=user, **FIELDS[action])
    except ServiceError as refusal:
        return refusal.status
    return "ok"


def by_api(user, access, action):
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/api/v1/access-requests/{access.pk}/transitions/{action}",
        json.dumps(FIELDS[action]),
        content_type="application/json",
    )
    if response.status_code == 200:
        return "ok"
    body = response.json()
    assert body["detail"]
    return response.status_code


def by_page(user, access, action):
    client = Client()
    client.force_login(user)
    data = {f"{action}-{key}": value for key, value in FIELDS[action].items()}
    response = client.post(reverse("access:request_transition", args=[access.pk, action]), data)
    if response.status_code == 302:
        assert response["Location"] == reverse("access:request_detail", args=[access.pk])
        return "ok"
    return response.status_code


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", ACTORS)
def test_each_move_gives_the_same_answer_everywhere(make_request, people, persona, status):
    """Every move by every channel, each in a savepoint rolled back afterwards, so that all of
    them meet the request in `status`."""
    access = make_request(status)
    user = people[persona]
    for action in ACTIONS:
        want = expected(persona, status, action)
        for channel in (by_service, by_api, by_page):
            before = snapshot(access)
            with transaction.atomic():
                got = channel(user, access, action)
                if want != "ok":
                    assert snapshot(access) == before, (action, channel.__name__)
                transaction.set_rollback(True)
            assert got == want, (action, channel.__name__)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_and_the_api_offer_exactly_the_allowed_moves(
    make_request, people, client, persona, status
):
    access = make_request(status)
    client.force_login(people[persona])
    page = client.get(reverse("access:request_detail", args=[access.pk]))
    api = client.get(f"/api/v1/access-requests/{access.pk}")
    if persona not in SEES:
        assert (page.status_code, api.status_code) == (404, 404)
        assert access.reference not in page.content.decode()
        return
    allowed = [a for a in ACTIONS if expected(persona, status, a) == "ok"]
    assert [m["name"] for m in page.context["moves"]] == allowed
    assert [m["name"] for m in api.json()["allowed_transitions"]] == allowed
    html = page.content.decode()
    for action in ACTIONS:
        url = reverse("access:request_transition", args=[access.pk, action])
        assert (url in html) == (action in allowed)
    granted_url = reverse("access:granted", args=[access.pk])
    opens = persona == "outsider" and status == "granted"
    assert (granted_url in html) == opens
    assert (
        (api.json()["granted_url"] == granted_url) if opens else api.json()["granted_url"] is None
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reader_log_of_a_grant_is_for_the_owner_and_the_requesters_leaders(
    grant, people, client, persona
):
    client.force_login(people[persona])
    api = client.get(f"/api/v1/access-requests/{grant.pk}/uses")
    page = client.get(reverse("access:request_detail", args=[grant.pk]))
    if persona not in SEES:
        assert (api.status_code, page.status_code) == (404, 404)
    elif persona in ("jw_clerk", "jw_leader", "jy_leader"):
        assert api.status_code == 200
        assert page.context["detail"].uses == []
    else:
        assert api.status_code == 403
        assert page.context["detail"].uses is None
