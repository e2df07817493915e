"""The referral list and the 司法局's oversight page (第十一条): each persona sees the referrals
it is party to and nothing else; filters stay in the URL; the oversight shows status only."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianjie.referrals.models import Referral

pytestmark = pytest.mark.django_db

LIST = reverse("referrals:list")
OVERSIGHT = reverse("referrals:oversight")


def listed(client, user, query=""):
    """The referral ids linked from the list page."""
    client.force_login(user)
    response = client.get(LIST + query)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', response.content.decode())}


@pytest.fixture
def both_ways(flow):
    """A lead still a draft, a lead sent, both by the 司法局; a fault sent to the transport
    bureau's legal unit by the commission."""
    return {
        "draft": flow.to_status("draft"),
        "lead": flow.to_status("sent"),
        "fault": flow.to_status("sent", direction="to_supervision"),
    }


@pytest.mark.article(11)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("sf_clerk", {"draft", "lead"}),
        ("sf_leader", {"draft", "lead"}),
        ("jw_clerk", {"lead", "fault"}),
        ("jw_leader", {"lead", "fault"}),
        ("jt_clerk", {"fault"}),
        ("sj_clerk", set()),
        ("outsider", set()),
        ("sysadmin", set()),
        ("secadmin", set()),
        ("auditor", set()),
    ],
)
def test_list_shows_each_persona_its_own_referrals_only(
    client, request, both_ways, persona, expected
):
    user = request.getfixturevalue(persona)
    assert listed(client, user) == {both_ways[key].pk for key in expected}


def test_list_row_shows_number_parties_status_clock_and_date(client, both_ways, jw_clerk):
    client.force_login(jw_clerk)
    html = client.get(LIST).content.decode()
    lead = Referral.objects.get(pk=both_ways["lead"].pk)
    row = html[html.index(lead.number) :].split("</tr>")[0]
    assert "移送纪检监察机关" in row
    assert "文水县司法局" in row and "中共文水县纪委 文水县监委" in row
    assert "已移送" in row
    assert 'class="light-green"' in row
    assert lead.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d") in row


def test_fault_in_verification_reads_hechazhong(client, flow, jt_clerk):
    flow.to_status("handling", direction="to_supervision")
    client.force_login(jt_clerk)
    assert "核查中" in client.get(LIST).content.decode()


def test_filters_stay_in_the_url_and_narrow_the_list(client, both_ways, jw_clerk):
    lead, fault = both_ways["lead"], both_ways["fault"]
    assert listed(client, jw_clerk, "?direction=to_supervision") == {fault.pk}
    assert listed(client, jw_clerk, "?source=supervision_check") == {lead.pk}
    assert listed(client, jw_clerk, "?code=P08") == {lead.pk}
    assert listed(client, jw_clerk, "?code=e03") == {fault.pk}
    assert listed(client, jw_clerk, "?status=received") == set()
    number = Referral.objects.get(pk=lead.pk).number
    assert listed(client, jw_clerk, f"?q={number}") == {lead.pk}
    html = client.get(LIST + "?direction=to_supervision").content.decode()
    assert '<option value="to_supervision" selected>' in html


def test_keyword_finds_an_exact_certificate_number(client, flow, sf_clerk):
    wanted = flow.to_status("draft", cert_no="14119990001")
    flow.to_status("draft", cert_no="14119990002")
    assert listed(client, sf_clerk, "?q=14119990001") == {wanted.pk}
    assert listed(client, sf_clerk, "?q=1411999") == set()


def test_overdue_filter_and_badge(client, flow, jw_clerk):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        late = flow.to_status("sent")
    fresh = flow.to_status("sent")
    assert listed(client, jw_clerk, "?overdue=1") == {late.pk}
    html = client.get(LIST).content.decode()
    row = html[html.index(Referral.objects.get(pk=late.pk).number) :].split("</tr>")[0]
    assert '<span class="badge badge-urgent">逾期</span>' in row
    assert 'class="light-red"' in row
    assert fresh.pk in listed(client, jw_clerk)


def test_bad_date_range_is_said_in_chinese(client, jw_clerk):
    client.force_login(jw_clerk)
    html = client.get(LIST + "?date_from=2026-12-01&date_to=2026-11-01").content.decode()
    assert "截止日期不能早于起始日期。" in html


def test_list_is_paginated_keeping_the_filters(client, flow, sf_clerk):
    for _ in range(21):
        flow.draft(evidence=False)
    client.force_login(sf_clerk)
    html = client.get(LIST + "?direction=to_discipline").content.decode()
    assert "共 21 条" in html
    assert "?direction=to_discipline&amp;page=2" in html
    assert len(listed(client, sf_clerk, "?direction=to_discipline&page=2")) == 1


def test_list_queries_do_not_grow_with_the_rows(client, flow, sf_clerk):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(LIST)
        return len(captured)

    client.force_login(sf_clerk)
    flow.to_status("sent")
    few = queries()
    for _ in range(6):
        flow.to_status("sent")
    assert queries() == few


# --- The 司法局's oversight (status only)


@pytest.fixture
def departmental(flow):
    """A lead of the market regulator's legal unit to the commission, and the commission's
    fault to the transport bureau's legal unit — the 司法局 is party to neither."""
    return {
        "lead": flow.to_status("received", sender="sj"),
        "fault": flow.to_status("handling", direction="to_supervision"),
        "draft": flow.to_status("draft", sender="sj"),
        "own": flow.to_status("sent"),
    }


@pytest.mark.article(11)
def test_oversight_shows_status_of_departmental_referrals_without_content(
    client, departmental, sf_leader
):
    client.force_login(sf_leader)
    response = client.get(OVERSIGHT)
    html = response.content.decode()
    assert response.status_code == 200
    for key in ("lead", "fault"):
        referral = Referral.objects.get(pk=departmental[key].pk)
        assert referral.number in html
        assert f'href="/referrals/{referral.pk}/"' not in html
    assert "已签收" in html and "核查中" in html
    assert "文水县市场监督管理局法制股" in html and "文水县交通运输局法制股" in html
    # Drafts are nobody's business but the drafter's; content never shows.
    assert f"草稿#{departmental['draft'].pk}" not in html
    assert Referral.objects.get(pk=departmental["own"].pk).number not in html
    assert "王某某" not in html and "P08" not in html
    assert (
        client.get(reverse("referrals:detail", args=[departmental["lead"].pk])).status_code == 404
    )


@pytest.mark.article(11)
@pytest.mark.parametrize("persona", ["jw_leader", "sj_clerk", "outsider", "sysadmin", "auditor"])
def test_oversight_refused_outside_the_justice_bureau(client, request, departmental, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(OVERSIGHT).status_code == 403


def test_oversight_filters_by_number_and_status(client, departmental, sf_clerk):
    client.force_login(sf_clerk)
    fault = Referral.objects.get(pk=departmental["fault"].pk)
    lead = Referral.objects.get(pk=departmental["lead"].pk)
    html = client.get(OVERSIGHT + f"?q={fault.number}").content.decode()
    assert fault.number in html and lead.number not in html
    html = client.get(OVERSIGHT + "?status=received").content.decode()
    assert lead.number in html and fault.number not in html
