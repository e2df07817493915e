"""第九条 findings under 第十一条: who sees a tier 2 finding and a tier 3 one (naming an
officer) — over the list, the count, the detail, the API and the pages — and who may act on it.

The matrix: the organisers (the commission and the justice bureau) see and manage both; the
unit's team (jt.clerk) and the unit itself (市场监管局: sj.clerk, sj.leader) see the tier 2
finding only; everyone else, the 三员 included, sees nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import NotFound
from xianjie.inspections.models import Finding
from xianjie.inspections.selectors.findings import finding_list, get_finding_for_user

from .finding_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(9), pytest.mark.article(11)]

TIER2_TITLE = "重要信息问题TITLE-2208"
TIER3_TITLE = "涉案问题TITLE-3309"
ORGANISERS = ("jw_clerk", "jw_leader", "sf_clerk", "sf_leader")
TIER2_ONLY = ("jt_clerk", "sj_clerk", "sj_leader")
SYSTEM = ("sysadmin", "secadmin", "auditor")
NOTHING = ("jt_leader", "outsider", *SYSTEM)
PERSONAS = ORGANISERS + TIER2_ONLY + NOTHING


def sees(name: str) -> set[int]:
    if name in ORGANISERS:
        return {2, 3}
    return {2} if name in TIER2_ONLY else set()


@pytest.fixture
def pair(findings_inspection, record, officer):
    """A tier 2 finding and a tier 3 one of the same unit."""
    tier2 = record(findings_inspection, title=TIER2_TITLE)
    tier3 = record(findings_inspection, title=TIER3_TITLE, officer=officer.pk)
    assert (tier2.tier, tier3.tier) == (2, 3)
    return {2: tier2, 3: tier3}


def body(response) -> str:
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("name", PERSONAS)
def test_list_count_and_detail_follow_the_matrix(request, pair, name):
    user = request.getfixturevalue(name)
    expected = {pair[tier].pk for tier in sees(name)}
    assert {f.pk for f in finding_list(user)} == expected
    assert Finding.objects.restrict(user, "view").count() == len(expected)
    assert finding_list(user, {"tier": 3}).count() == (1 if 3 in sees(name) else 0)
    for tier, finding in pair.items():
        if tier in sees(name):
            assert get_finding_for_user(user, finding.pk) == finding
        else:
            with pytest.raises(NotFound):
                get_finding_for_user(user, finding.pk)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_organisers_may_change_a_finding(request, pair, name):
    user = request.getfixturevalue(name)
    changeable = set(Finding.objects.restrict(user, "change").values_list("pk", flat=True))
    assert changeable == ({pair[2].pk, pair[3].pk} if name in ORGANISERS else set())


@pytest.mark.parametrize("name", PERSONAS)
def test_the_api_follows_the_matrix(request, pair, name):
    client = Client()
    client.force_login(request.getfixturevalue(name))
    listed = client.get("/api/v1/findings")
    if name in SYSTEM:
        assert listed.status_code in (200, 403)
    else:
        assert listed.status_code == 200
    if listed.status_code == 200:
        items = listed.json()["items"]
        assert {item["tier"] for item in items} == sees(name)
        assert listed.json()["count"] == len(sees(name))
    for tier, finding in pair.items():
        shown = client.get(f"/api/v1/findings/{finding.pk}")
        if tier in sees(name):
            assert shown.status_code == 200
            assert shown.json()["title"] in (TIER2_TITLE, TIER3_TITLE)
        else:
            assert shown.status_code in ((403, 404) if name in SYSTEM else (404,))
            assert TIER3_TITLE not in body(shown)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_pages_follow_the_matrix(request, pair, name):
    client = Client()
    client.force_login(request.getfixturevalue(name))
    listed = client.get(reverse("inspections:finding_list"))
    assert listed.status_code in ((200, 403) if name in SYSTEM else (200,))
    assert (TIER2_TITLE in body(listed)) == (2 in sees(name))
    assert (TIER3_TITLE in body(listed)) == (3 in sees(name))
    for tier, finding in pair.items():
        page = client.get(reverse("inspections:finding_detail", args=[finding.pk]))
        if tier in sees(name):
            assert page.status_code == 200
        else:
            assert page.status_code in ((403, 404) if name in SYSTEM else (404,))
            assert TIER3_TITLE not in body(page)
            assert "王某某" not in body(page)


def test_a_tier_3_page_is_labelled_and_watermarked_for_its_viewer(pair, client, sf_clerk):
    client.force_login(sf_clerk)
    page = body(client.get(reverse("inspections:finding_detail", args=[pair[3].pk])))
    assert "涉案保密" in page
    assert 'class="watermark"' in page
    assert f"{sf_clerk.display_name} {sf_clerk.org.name}" in page
    assert "王某某" in page and "14110012345" in page
    plain = body(client.get(reverse("inspections:finding_detail", args=[pair[2].pk])))
    assert 'class="watermark"' not in plain
    assert "涉案保密" not in plain


def test_the_list_labels_tier_3_rows(pair, client, jw_leader):
    client.force_login(jw_leader)
    page = body(client.get(reverse("inspections:finding_list")))
    row = page.split(TIER3_TITLE)[1].split("</tr>")[0]
    assert "涉案保密" in row
    assert "涉案保密" not in page.split(TIER2_TITLE)[1].split("</tr>")[0]


def test_every_opening_of_a_tier_3_finding_is_audited(pair, client, jw_clerk):
    client.force_login(jw_clerk)
    client.get(reverse("inspections:finding_detail", args=[pair[3].pk]))
    client.get(f"/api/v1/findings/{pair[3].pk}")
    client.get(reverse("inspections:finding_detail", args=[pair[2].pk]))
    views = AuditEntry.objects.filter(action="finding.view")
    assert [(v.object_id, v.tier) for v in views] == [(str(pair[3].pk), 3)] * 2


def test_an_inspector_who_names_an_officer_no_longer_sees_the_finding(
    findings_inspection, client, jt_clerk, officer
):
    """The tier 3 rule holds for its own recorder too: told so, sent back to the list."""
    client.force_login(jt_clerk)
    response = client.post(
        reverse("inspections:finding_create", args=[findings_inspection.pk]),
        {
            "unit": str(officer.org_id),
            "severity": "serious",
            "title": TIER3_TITLE,
            "description": "当场收受财物",
            "officer": str(officer.pk),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "仅组织单位可以查看" in body(response)
    finding = Finding.objects.get()
    assert finding.tier == 3
    assert TIER3_TITLE not in body(response)
    page = client.get(reverse("inspections:finding_detail", args=[finding.pk]))
    assert page.status_code == 404
