"""A referral under an access grant (第十一条 严格审批共享): the grantable finds only sent referrals
by number and names the receiver as owner; a live grant of the requester opens exactly that one
referral, read-only, and every showing is logged for the owner — nothing else opens, nothing
widens, and a grant that is not the requester's own and live is 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xianjie.access.grantables import grantable
from xianjie.access.models import AccessUse
from xianjie.audit.models import AuditEntry
from xianjie.referrals.evidence import evidence_upload
from xianjie.referrals.models import Referral

pytestmark = [pytest.mark.article(11), pytest.mark.usefixtures("data_dir")]

FACTS = "执法人员张某某收受管理对象财物FACTS-7781"


@pytest.fixture
def case(make_referral, sj_clerk, sample_file):
    """A lead of the market regulator's legal unit, received by the commission, with a PDF."""
    referral = make_referral(sender="sj", receiver="jw", status="draft", facts=FACTS)
    evidence_upload(
        referral=referral,
        actor=sj_clerk,
        file=SimpleUploadedFile("询问笔录.pdf", sample_file("pdf", "询问笔录")),
    )
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(
        status="received", number="文市监法移〔2026〕88号", sent_at=now, received_at=now
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def grant(make_grant, case, county, outsider):
    return make_grant("referral", case, case.number, county["jw"], outsider)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(grant_id) -> str:
    return reverse("access:granted", args=[grant_id])


# --- The grantable.


def test_referral_grantable_finds_a_sent_referral_by_its_exact_number(case, make_referral):
    kind = grantable("referral")
    assert kind is not None
    assert kind.label == "移送线索（含证据材料）"
    assert kind.reference_label == "移送文号"
    assert kind.find(case.number) == case
    assert kind.find(f"  {case.number} ") == case
    assert kind.find(case.number[:-2]) is None
    assert kind.find("") is None
    assert kind.describe(case) == case.number
    assert kind.get(case.pk) == case


def test_referral_grantable_never_finds_an_unsent_referral(make_referral):
    kind = grantable("referral")
    assert kind is not None
    draft = make_referral(sender="sj", receiver="jw", status="draft")
    pending = make_referral(sender="sj", receiver="jw", status="pending_approval", number="X-1号")
    assert kind.find("X-1号") is None
    assert kind.get(draft.pk) is None
    assert kind.get(pending.pk) is None


def test_referral_owner_is_the_receiver_and_parties_are_the_two_sides(
    case, county, sj_clerk, jw_leader, outsider, jt_leader, sysadmin
):
    kind = grantable("referral")
    assert kind is not None
    assert kind.owner_org(case) == county["jw"]
    assert kind.is_party(case, sj_clerk)
    assert kind.is_party(case, jw_leader)
    for stranger in (outsider, jt_leader, sysadmin):
        assert not kind.is_party(case, stranger)


# --- The page.


def test_grant_page_shows_the_referral_read_only_with_banner_badge_and_watermark(
    grant, case, outsider
):
    outsider.full_name = "周敏"
    outsider.save(update_fields=["full_name"])
    response = client_of(outsider).get(page_url(grant.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert FACTS in html
    assert case.number in html
    assert "文水县市场监督管理局法制股" in html
    assert "涉案保密" in html
    expires = timezone.localtime(grant.expires_at)
    assert (
        f"授权调阅 · 只读 · 有效期至 {expires:%Y-%m-%d %H:%M} · "
        "您的每次查阅和下载均被记录并告知数据所属单位"
    ) in html
    assert 'class="watermark"' in html
    assert "周敏 jy.clerk 文水县教育局法制股" in html
    assert "询问笔录.pdf" in html
    assert reverse("access:granted_file", args=[grant.pk, case.evidence.get().pk]) in html


def test_grant_page_has_no_form_but_logout_and_no_link_into_the_case(grant, case, outsider):
    html = client_of(outsider).get(page_url(grant.pk)).content.decode()
    forms = re.findall(r"<form\b[^>]*>", html)
    assert forms
    assert all(reverse("accounts:logout") in form for form in forms)
    assert 'method="post"' not in html.replace(
        f'method="post" action="{reverse("accounts:logout")}"', ""
    )
    assert reverse("referrals:detail", args=[case.pk]) not in html


def test_every_showing_is_a_reader_log_row_and_an_audit_entry(grant, case, outsider):
    client = client_of(outsider)
    client.get(page_url(grant.pk))
    client.get(page_url(grant.pk))
    uses = AccessUse.objects.filter(request=grant, user=outsider)
    assert [(u.use, u.what) for u in uses] == [("view", case.number)] * 2
    entries = AuditEntry.objects.filter(action="access.grant_use", actor_id=outsider.pk)
    assert entries.count() == 2
    entry = entries.first()
    assert entry.tier == 3
    assert entry.payload["use"] == "view"
    assert entry.payload["object_id"] == case.pk
    assert FACTS not in str(entry.payload)


def test_a_grant_never_widens_into_the_referral_pages_lists_or_counts(grant, case, outsider):
    client = client_of(outsider)
    assert client.get(page_url(grant.pk)).status_code == 200
    assert Referral.objects.restrict(outsider, "view").count() == 0
    assert Referral.objects.restrict(outsider, "status").count() == 0
    assert client.get(reverse("referrals:detail", args=[case.pk])).status_code == 404
    evidence = case.evidence.get()
    download = reverse("referrals:evidence_download", args=[case.pk, evidence.pk])
    assert client.get(download).status_code == 404
    listing = client.get(reverse("referrals:list")).content.decode()
    assert case.number not in listing


def test_a_grant_opens_only_its_own_referral(
    grant, make_referral, make_grant, county, outsider, jt_clerk, sj_clerk
):
    other = make_referral(sender="jt", receiver="jw", status="received", facts="OTHER-FACTS-4410")
    theirs = make_grant("referral", other, other.number, county["jw"], jt_clerk)
    client = client_of(outsider)
    assert client.get(page_url(theirs.pk)).status_code == 404
    assert client.get(page_url(grant.pk + theirs.pk + 100)).status_code == 404
    html = client.get(page_url(grant.pk)).content.decode()
    assert "OTHER-FACTS-4410" not in html
    # A file id of another referral under this grant is not this referral's file.
    other_file = evidence_upload(
        referral=make_referral(sender="sj", receiver="jw", status="draft"),
        actor=sj_clerk,
        file=SimpleUploadedFile("别的.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    url = reverse("access:granted_file", args=[grant.pk, other_file.pk])
    assert client.get(url).status_code == 404
    assert not AccessUse.objects.filter(use="download").exists()


@pytest.mark.parametrize("status", ["pending_own", "pending_owner", "rejected", "revoked"])
def test_a_grant_that_is_not_granted_opens_nothing(make_grant, case, county, outsider, status):
    row = make_grant("referral", case, case.number, county["jw"], outsider, status=status)
    assert client_of(outsider).get(page_url(row.pk)).status_code == 404
    assert not AccessUse.objects.exists()


def test_a_grant_closes_by_itself_at_its_end(grant, case, outsider):
    # Logged in again at each moment: a session does not outlive a week of idleness either.
    with time_machine.travel(grant.expires_at - timedelta(minutes=1), tick=False):
        assert client_of(outsider).get(page_url(grant.pk)).status_code == 200
    with time_machine.travel(grant.expires_at + timedelta(seconds=1), tick=False):
        client = client_of(outsider)
        assert client.get(page_url(grant.pk)).status_code == 404
        file_id = case.evidence.get().pk
        url = reverse("access:granted_file", args=[grant.pk, file_id])
        assert client.get(url).status_code == 404
    assert AccessUse.objects.filter(request=grant).count() == 1


def test_someone_elses_grant_is_404_even_to_its_approvers(grant, jy_leader, jw_leader, jw_clerk):
    for user in (jy_leader, jw_leader, jw_clerk):
        assert client_of(user).get(page_url(grant.pk)).status_code == 404
    assert not AccessUse.objects.exists()


def test_the_grant_page_is_get_only_and_needs_a_login(grant, outsider):
    assert client_of(outsider).post(page_url(grant.pk)).status_code == 405
    response = Client().get(page_url(grant.pk))
    assert response.status_code == 302
    assert not AccessUse.objects.exists()
