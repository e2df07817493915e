"""第九条 "对于严重违法违纪的行为，要依法依规严肃处理": a serious finding becomes a referral in
one step — pre-filled, with its evidence, linked both ways — only once, only by an organiser's
clerk; and nobody outside the referral's parties learns of it through the finding."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, NotFound, NotPermitted
from xianjie.inspections.models import Finding, FindingEvent
from xianjie.inspections.selectors.findings import finding_events, finding_referral
from xianjie.inspections.services.findings import finding_attach, finding_referral_create
from xianjie.referrals.evidence import evidence_open
from xianjie.referrals.models import Evidence, Referral
from xianjie.referrals.origins import referral_origins
from xianjie.referrals.selectors import referral_content
from xianjie.referrals.services import submit_problems

from .finding_fixtures import *  # noqa: F403
from .finding_fixtures import DESCRIPTION

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]

BASIS = "《中华人民共和国行政处罚法》第四十七条；《山西省行政执法条例》第二十条第一款"


@pytest.fixture
def serious(findings_inspection, record, officer, data_dir, pdf, jw_clerk):
    """A serious finding naming an officer, tagged P08 and E01, with one evidence file."""
    finding = record(
        findings_inspection,
        severity="serious",
        officer=officer.pk,
        basis=BASIS,
        violation_codes=["P08", "E01"],
    )
    finding_attach(
        finding_id=finding.pk, actor=jw_clerk, file=pdf("现场照片"), description="现场检查记录"
    )
    return finding


def test_the_justice_bureau_sends_a_complete_lead_to_the_commission(
    serious, sf_clerk, county, findings_inspection
):
    referral = finding_referral_create(finding_id=serious.pk, actor=sf_clerk)
    assert referral.direction == "to_discipline"
    assert referral.status == "draft"
    assert referral.sender_org == county["sf"]
    assert referral.receiver_org == county["jw"]
    assert referral.source == "joint_inspection"
    content = referral_content(referral)
    [subject] = content.subjects
    assert (subject.kind, subject.name, subject.cert_no) == ("person", "王某某", "14110012345")
    assert (subject.post, subject.org_name) == ("执法队员", county["sj_dept"].name)
    assert findings_inspection.title in content.facts
    assert DESCRIPTION in content.facts
    assert content.norms == [
        {"name": "《中华人民共和国行政处罚法》", "clause": "第四十七条"},
        {"name": "《山西省行政执法条例》", "clause": "第二十条第一款"},
    ]
    # A lead to the commission carries 第十三、十四条 codes only.
    assert content.codes == ["P08"]
    assert findings_inspection.title in content.summary and "问题1" in content.summary
    # Nothing of 第四条 is missing: the clerk may submit it for approval as it is.
    assert submit_problems(referral) == {}


def test_the_evidence_is_copied_under_the_referrals_key(serious, sf_clerk):
    referral = finding_referral_create(finding_id=serious.pk, actor=sf_clerk)
    original = serious.attachments.get()
    copy = Evidence.objects.get(referral=referral)
    assert (copy.role, copy.sha256, copy.size) == ("evidence", original.sha256, original.size)
    assert copy.blob_name != original.blob_name
    opened = evidence_open(evidence_id=copy.pk, referral_id=referral.pk, actor=sf_clerk)
    try:
        assert b"".join(opened.chunks).startswith(b"%PDF")
    finally:
        opened.chunks.close()
    assert opened.filename == "证据.pdf"


def test_the_commission_sends_a_fault_to_the_justice_bureau(serious, jw_clerk, county):
    referral = finding_referral_create(finding_id=serious.pk, actor=jw_clerk)
    assert referral.direction == "to_supervision"
    assert referral.sender_org == county["jw"]
    assert referral.receiver_org == county["sf"]
    assert referral.source == "supervision"
    # A fault carries 第六条 codes only.
    assert referral_content(referral).codes == ["E01"]


def test_without_an_officer_the_unit_is_the_subject_and_no_norm_is_guessed(
    findings_inspection, record, sf_clerk, county
):
    finding = record(findings_inspection, severity="serious", basis="有关规定")
    referral = finding_referral_create(finding_id=finding.pk, actor=sf_clerk)
    content = referral_content(referral)
    assert [(s.kind, s.name) for s in content.subjects] == [("agency", county["sj_dept"].name)]
    assert content.norms == []
    assert not Evidence.objects.filter(referral=referral).exists()
    assert set(submit_problems(referral)) == {"norms", "evidence"}


def test_the_two_are_linked_both_ways(serious, sf_clerk, reg_origins):
    referral = finding_referral_create(finding_id=serious.pk, actor=sf_clerk)
    serious.refresh_from_db()
    assert serious.referral == referral
    assert finding_referral(serious, sf_clerk) == referral
    [(label, url)] = referral_origins(referral, sf_clerk)
    assert url == reverse("inspections:finding_detail", args=[serious.pk])
    assert "问题1" in label
    event = FindingEvent.objects.get(finding=serious, action="referral")
    assert event.data == {"referral": referral.pk}
    entry = AuditEntry.objects.get(action="finding.referral")
    assert (entry.tier, entry.payload["referral"]) == (3, referral.pk)


def test_the_pages_link_the_finding_and_the_referral(serious, sf_clerk, reg_origins):
    client = Client()
    client.force_login(sf_clerk)
    response = client.post(reverse("inspections:finding_referral", args=[serious.pk]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    page = client.get(response["Location"]).content.decode()
    assert "来源" in page
    assert reverse("inspections:finding_detail", args=[serious.pk]) in page
    finding_page = client.get(reverse("inspections:finding_detail", args=[serious.pk]))
    assert reverse("referrals:detail", args=[referral.pk]) in finding_page.content.decode()


def test_the_referral_names_no_finding_its_viewer_may_not_see(
    findings_inspection, record, sf_clerk, reg_origins, jt_clerk, outsider
):
    finding = record(findings_inspection, severity="serious", officer_name="李某")
    referral = finding_referral_create(finding_id=finding.pk, actor=sf_clerk)
    assert referral_origins(referral, sf_clerk) != []
    assert referral_origins(referral, jt_clerk) == []
    assert referral_origins(referral, outsider) == []


def test_a_finding_is_referred_once(serious, sf_clerk, jw_clerk):
    finding_referral_create(finding_id=serious.pk, actor=sf_clerk)
    with pytest.raises(Conflict):
        finding_referral_create(finding_id=serious.pk, actor=jw_clerk)
    assert Referral.objects.count() == 1


def test_a_general_finding_is_not_referred(findings_inspection, record, sf_clerk):
    finding = record(findings_inspection, severity="general")
    with pytest.raises(Conflict):
        finding_referral_create(finding_id=finding.pk, actor=sf_clerk)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("name", ["jw_leader", "sf_leader"])
def test_an_organisers_leader_does_not_draft_the_referral(request, serious, name):
    with pytest.raises(NotPermitted):
        finding_referral_create(finding_id=serious.pk, actor=request.getfixturevalue(name))
    assert not Referral.objects.exists()


@pytest.mark.parametrize("name", ["jt_clerk", "sj_clerk"])
def test_the_team_and_the_unit_may_not_refer_a_tier_2_finding(
    request, findings_inspection, record, name
):
    finding = record(findings_inspection, severity="serious")
    with pytest.raises(NotPermitted):
        finding_referral_create(finding_id=finding.pk, actor=request.getfixturevalue(name))
    assert not Referral.objects.exists()


@pytest.mark.parametrize("name", ["jt_clerk", "sj_clerk", "outsider", "sysadmin"])
def test_a_tier_3_finding_is_404_to_all_but_the_organisers(request, serious, name):
    with pytest.raises(NotFound):
        finding_referral_create(finding_id=serious.pk, actor=request.getfixturevalue(name))
    assert not Referral.objects.exists()
    assert Finding.objects.get(pk=serious.pk).referral is None


def test_the_team_and_the_unit_never_learn_of_the_referral(
    findings_inspection, record, sf_clerk, jt_clerk, sj_clerk, jw_leader
):
    finding = record(findings_inspection, severity="serious")
    referral = finding_referral_create(finding_id=finding.pk, actor=sf_clerk)
    for user in (jt_clerk, sj_clerk):
        assert finding_referral(finding, user) is None
        assert "referral" not in {e.action for e in finding_events(finding, user)}
        client = Client()
        client.force_login(user)
        page = client.get(reverse("inspections:finding_detail", args=[finding.pk])).content
        assert "移送线索" not in page.decode()
        api = client.get(f"/api/v1/findings/{finding.pk}").json()
        assert api["referral"] is None
        assert "referral" not in {e["action"] for e in api["events"]}
    # The receiving organiser learns of it once the lead is sent, not while it is a draft.
    assert finding_referral(finding, jw_leader) is None
    assert "referral" in {e.action for e in finding_events(finding, jw_leader)}
    assert referral.receiver_org_id == jw_leader.org_id
