"""Who sees which supervision act and A10 flag (第二条, 第十一条, 第十三条（十）), over every
surface: the selectors, the list pages with their counts, the detail pages, the API lists and
details.

The issuing org sees its acts, drafts included; the target unit (its own people and its legal
unit) sees an act once issued, never a draft; the justice bureau sees the issued acts of the
departmental legal units of its region (第二条: it guides them) and their flags; nobody else —
the commission, another department, the 三员 — sees anything.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from xianjie.inspections.models import ComplianceFlag
from xianjie.inspections.selectors.supervision import act_list, flag_list
from xianjie.inspections.services.flags import flags_raise

from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import ALL_PERSONAS, SupervisionApi, lapse

pytestmark = [pytest.mark.django_db, pytest.mark.article(13)]
SYSTEM = ("sysadmin", "secadmin", "auditor")

#: A: the bureau's draft to the market regulator; B: the bureau's issued notice to it;
#: C: the regulator's legal unit's issued notice to its department; D: that unit's draft;
#: E: the transport bureau's legal unit's issued notice to its department. B, C, E are flagged.
ACTS = {
    "sf_clerk": "ABCE",
    "sf_leader": "ABCE",
    "sj_clerk": "BCD",
    "sj_leader": "BCD",
    "jt_clerk": "E",
    "jt_leader": "E",
}
FLAGS = {
    "sf_clerk": "BCE",
    "sf_leader": "BCE",
    "sj_clerk": "C",
    "sj_leader": "C",
    "jt_clerk": "E",
    "jt_leader": "E",
}


@pytest.fixture
def world(make_act, data_dir):
    acts = {
        "A": make_act(issued=False),
        "B": make_act(),
        "C": make_act(issuer="sj"),
        "D": make_act(issuer="sj", issued=False),
        "E": make_act(issuer="jt", target="jt_dept"),
    }
    for key in "BCE":
        lapse(acts[key])
    flags_raise()
    flags = {key: ComplianceFlag.objects.get(act=acts[key]) for key in "BCE"}
    return acts, flags


def _keys(objects: dict, ids: set[int]) -> str:
    return "".join(sorted(key for key, obj in objects.items() if obj.pk in ids))


def _linked(response, pattern: str) -> set[int]:
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(pattern, response.content.decode())}


def _count(response) -> int:
    """The total the pagination states; an empty list states its emptiness instead."""
    page = response.content.decode()
    match = re.search(r"共 (\d+) 条", page)
    if match is None:
        assert "没有符合条件的" in page
        return 0
    return int(match.group(1))


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_selectors_list_only_what_each_persona_may_see(world, people, persona):
    acts, flags = world
    user = people[persona]
    assert _keys(acts, set(act_list(user).values_list("pk", flat=True))) == ACTS.get(persona, "")
    assert act_list(user).count() == len(ACTS.get(persona, ""))
    assert _keys(flags, set(flag_list(user).values_list("pk", flat=True))) == FLAGS.get(persona, "")


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_list_pages_and_counts_show_only_what_each_persona_may_see(world, people, persona):
    acts, flags = world
    client = Client()
    client.force_login(people[persona])
    response = client.get(reverse("inspections:act_list"))
    if persona in SYSTEM and response.status_code == 403:
        return
    assert _keys(acts, _linked(response, r'href="/inspections/supervision/(\d+)/"')) == ACTS.get(
        persona, ""
    )
    assert _count(response) == len(ACTS.get(persona, ""))
    flag_page = client.get(reverse("inspections:flag_list"))
    assert _keys(flags, _linked(flag_page, r'href="/inspections/flags/(\d+)/"')) == FLAGS.get(
        persona, ""
    )
    assert _count(flag_page) == len(FLAGS.get(persona, ""))


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_detail_pages_open_only_for_those_who_may_see(world, people, persona):
    acts, flags = world
    client = Client()
    client.force_login(people[persona])
    refused = {403, 404} if persona in SYSTEM else {404}
    for key, act in acts.items():
        response = client.get(reverse("inspections:act_detail", args=[act.pk]))
        if key in ACTS.get(persona, ""):
            assert response.status_code == 200, (persona, key)
            assert act.problem in response.content.decode()
        else:
            assert response.status_code in refused, (persona, key, response.status_code)
            assert act.problem not in response.content.decode()
    for key, flag in flags.items():
        response = client.get(reverse("inspections:flag_detail", args=[flag.pk]))
        expected = 200 if key in FLAGS.get(persona, "") else None
        assert response.status_code == expected or response.status_code in refused


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_api_lists_and_details_answer_only_what_each_persona_may_see(world, people, persona):
    acts, flags = world
    api, user = SupervisionApi(), people[persona]
    listed = api.get(user, "/supervision-acts", page_size=200)
    if persona in SYSTEM and listed.status_code == 403:
        return
    body = api.ok(listed)
    assert _keys(acts, {item["id"] for item in body["items"]}) == ACTS.get(persona, "")
    assert body["count"] == len(ACTS.get(persona, ""))
    flag_body = api.ok(api.get(user, "/compliance-flags"))
    assert _keys(flags, {item["id"] for item in flag_body["items"]}) == FLAGS.get(persona, "")
    assert flag_body["count"] == len(FLAGS.get(persona, ""))
    for key, act in acts.items():
        status = api.get(user, f"/supervision-acts/{act.pk}").status_code
        assert status == (200 if key in ACTS.get(persona, "") else 404), (persona, key)
    for key, flag in flags.items():
        status = api.get(user, f"/compliance-flags/{flag.pk}").status_code
        assert status == (200 if key in FLAGS.get(persona, "") else 404), (persona, key)


@pytest.mark.parametrize("persona", ["jw_clerk", "outsider", "jt_leader", "auditor"])
def test_acts_on_invisible_records_answer_404_and_change_nothing(world, people, persona):
    acts, flags = world
    client, api, user = Client(), SupervisionApi(), people[persona]
    client.force_login(user)
    refused = {403, 404} if persona in SYSTEM else {404}
    draft, flag = acts["A"], flags["B"]
    requests = [
        client.get(reverse("inspections:act_edit", args=[draft.pk])),
        client.post(reverse("inspections:act_issue", args=[draft.pk])),
        client.post(reverse("inspections:flag_refer", args=[flag.pk])),
        client.post(reverse("inspections:flag_dismiss", args=[flag.pk]), {"reason": "越权"}),
    ]
    assert all(r.status_code in refused for r in requests), [r.status_code for r in requests]
    api_requests = [
        api.patch(user, f"/supervision-acts/{draft.pk}", {"period_days": 5}),
        api.post(user, f"/supervision-acts/{draft.pk}/transitions/issue"),
        api.post(user, f"/compliance-flags/{flag.pk}/transitions/refer"),
        api.post(user, f"/compliance-flags/{flag.pk}/transitions/dismiss", {"reason": "越权"}),
    ]
    assert all(r.status_code in refused for r in api_requests)
    draft.refresh_from_db()
    flag.refresh_from_db()
    assert (draft.status, draft.period_days, flag.status) == ("draft", 30, "open")


def test_the_justice_bureau_sees_a_legal_units_act_but_not_its_task(world, people):
    acts, _ = world
    client = Client()
    client.force_login(people["sf_clerk"])
    page = client.get(reverse("inspections:act_detail", args=[acts["C"].pk])).content.decode()
    assert not re.search(r"/inspections/rectifications/\d+/", page)
    assert "由制发机关跟踪检查" in page
    body = SupervisionApi().ok(
        SupervisionApi().get(people["sf_clerk"], f"/supervision-acts/{acts['C'].pk}")
    )
    assert body["task"] is None and body["deadline"]["state"] == "overdue"


def test_the_target_unit_sees_its_task_link_but_no_signing(world, people):
    acts, _ = world
    client = Client()
    client.force_login(people["sj_leader"])
    page = client.get(reverse("inspections:act_detail", args=[acts["B"].pk])).content.decode()
    assert re.search(r'href="/inspections/rectifications/\d+/"', page)
    assert reverse("inspections:act_issue", args=[acts["B"].pk]) not in page
