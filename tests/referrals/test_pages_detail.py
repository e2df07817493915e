"""The referral's page (第十一条 tier 3): who may open it, the audit entry and the watermark of
every view, the content, clocks, timeline and files, and only the acts the viewer may take."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from xianjie.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Who sees a referral by the status it is in (the receiver once it has been sent).
SIDES = {
    "sf_clerk": "sender",
    "sf_leader": "sender",
    "jw_clerk": "receiver",
    "jw_leader": "receiver",
    "sj_clerk": "none",
    "outsider": "none",
    "sysadmin": "none",
    "secadmin": "none",
    "auditor": "none",
}


def url(referral, name="detail", *args):
    return reverse(f"referrals:{name}", args=[referral.pk, *args])


def page(client, user, referral):
    client.force_login(user)
    return client.get(url(referral))


def buttons(html):
    """The labels of the act buttons on the page."""
    return re.findall(r'<summary class="btn[^"]*">([^<]+)</summary>', html)


@pytest.mark.article(11)
@pytest.mark.parametrize("persona", SIDES)
@pytest.mark.parametrize("status", ["draft", "sent"])
def test_detail_opens_for_the_parties_only(client, request, flow, persona, status):
    referral = flow.to_status(status)
    response = page(client, request.getfixturevalue(persona), referral)
    side = SIDES[persona]
    visible = side == "sender" or (side == "receiver" and status == "sent")
    assert response.status_code == (200 if visible else 404)
    if not visible:
        assert "王某某" not in response.content.decode()


@pytest.mark.article(11)
def test_detail_view_writes_a_tier3_audit_entry_without_content(client, flow, jw_clerk):
    referral = flow.to_status("sent")
    before = AuditEntry.objects.filter(action="referral.view").count()
    page(client, jw_clerk, referral)
    entry = AuditEntry.objects.filter(action="referral.view").last()
    assert AuditEntry.objects.filter(action="referral.view").count() == before + 1
    assert entry.actor_id == jw_clerk.pk
    assert entry.tier == 3
    assert entry.object_id == str(referral.pk)
    assert "王某某" not in str(entry.payload)


@pytest.mark.article(11)
def test_refused_viewer_leaves_no_view_entry(client, flow, sj_clerk):
    referral = flow.to_status("sent")
    page(client, sj_clerk, referral)
    assert not AuditEntry.objects.filter(action="referral.view", actor_id=sj_clerk.pk).exists()


@pytest.mark.article(11)
def test_detail_carries_watermark_with_viewer_and_secrecy_label(client, flow, sf_leader):
    referral = flow.to_status("draft")
    html = page(client, sf_leader, referral).content.decode()
    mark = re.search(r'<div class="watermark" aria-hidden="true"><span>([^<]+)</span>', html)
    assert mark is not None
    assert sf_leader.display_name in mark.group(1)
    assert "文水县司法局" in mark.group(1)
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", mark.group(1))
    assert '<span class="badge tier3">涉案保密</span>' in html


def test_detail_shows_content_clocks_timeline_and_files(client, flow, jw_clerk):
    referral = flow.to_status("sent")
    html = page(client, jw_clerk, referral).content.decode()
    for text in ("王某某", "执法队员", "对某商户作出罚款决定", "第四十七条", "P08", "未全过程记录"):
        assert text in html
    assert "签收移送" in html or "签收" in html
    assert 'class="light-green"' in html
    assert "evidence.pdf" in html
    assert url(referral, "evidence_download", referral.evidence.get().pk) in html
    assert "批准移送" in html and "提交审批" in html  # the timeline


@pytest.mark.article(5)
def test_return_reason_shows_in_red_to_the_sender_only(client, flow, sf_clerk, jw_clerk):
    referral = flow.to_status("returned")
    sender = page(client, sf_clerk, referral).content.decode()
    receiver = page(client, jw_clerk, referral).content.decode()
    assert '<dd class="return-reason">所涉人员为市管干部，不属本机关管辖。</dd>' in sender
    assert "所涉人员为市管干部" in receiver
    assert 'class="return-reason"' not in receiver


@pytest.mark.parametrize(
    ("status", "persona", "expected"),
    [
        ("draft", "sf_clerk", ["提交审批"]),
        ("draft", "sf_leader", []),
        ("pending_approval", "sf_leader", ["批准移送", "退回修改"]),
        ("pending_approval", "sf_clerk", []),
        ("sent", "sf_clerk", ["撤回"]),
        ("sent", "jw_clerk", ["签收"]),
        ("sent", "jw_leader", []),
        ("received", "jw_leader", ["处置", "退回", "转办"]),
        ("received", "jw_clerk", ["要求补充材料"]),
        ("handling", "jw_leader", ["退回", "转办", "书面反馈"]),
        ("awaiting_supplement", "sf_clerk", ["补充材料"]),
        ("fed_back", "sf_clerk", ["办结"]),
        ("returned", "sf_clerk", ["修改后重新移送", "办结"]),
        ("closed", "sf_clerk", []),
    ],
)
def test_detail_offers_only_the_acts_of_the_viewer(
    client, request, flow, status, persona, expected
):
    referral = flow.to_status(status)
    html = page(client, request.getfixturevalue(persona), referral).content.decode()
    assert buttons(html) == expected
    if not expected:
        assert "当前没有需要您办理的事项。" in html


def test_draft_shows_edit_link_to_its_clerk_only(client, flow, sf_clerk, sf_leader):
    referral = flow.to_status("draft")
    assert url(referral, "edit") in page(client, sf_clerk, referral).content.decode()
    assert url(referral, "edit") not in page(client, sf_leader, referral).content.decode()


def test_irreversible_acts_state_their_consequence(client, flow, sf_leader, jw_leader):
    pending = flow.to_status("pending_approval")
    html = page(client, sf_leader, pending).content.decode()
    assert 'data-confirm="确认后将编发文号并正式移送纪检监察机关' in html
    handling = flow.to_status("handling")
    html = page(client, jw_leader, handling).content.decode()
    assert "确认后将退回移送单位" in html
    assert "确认后将向移送单位书面反馈处理结果" in html


@pytest.mark.article(4)
def test_duplicate_warning_on_a_draft_naming_an_officer_already_referred(client, flow, sf_clerk):
    flow.to_status("sent", cert_no="14110099999")
    draft = flow.draft(cert_no="14110099999")
    html = page(client, sf_clerk, draft).content.decode()
    assert "涉及相同的人员或单位" in html


def test_clock_due_in_a_year_without_official_schedule_reads_unconfirmed(client, flow, jw_clerk):
    # Received on 2026-12-15: the 30-day disposal clock runs into 2027, not yet entered.
    with time_machine.travel(datetime(2026, 12, 15, 9, 0, tzinfo=SHANGHAI), tick=False):
        referral = flow.to_status("received")
        html = page(client, jw_clerk, referral).content.decode()
    clocks = html[html.index('id="clocks-title"') :]
    assert "2027-01-14" in clocks
    assert "未确认" in clocks
