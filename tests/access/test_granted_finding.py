"""A tier 3 finding under an access grant (第十一条 严格审批共享): found by its 问题编号 only
when it is tier 3, owned by the organiser that recorded it, opened read-only by its grant alone,
with its evidence watermarked on download — and nothing of the inspection opens along with it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from xianjie.access.grantables import grantable
from xianjie.access.models import AccessUse
from xianjie.audit.models import AuditEntry
from xianjie.inspections.grants import finding_reference
from xianjie.inspections.models import Finding
from xianjie.inspections.services.findings import finding_attach

pytestmark = [pytest.mark.article(11), pytest.mark.usefixtures("data_dir")]

TITLE = "涉案问题TITLE-6120"
DESCRIPTION = "执法人员违规减免罚款DESC-6121"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pair(findings_inspection, record, officer):
    tier2 = record(findings_inspection, title="重要信息问题")
    tier3 = record(findings_inspection, title=TITLE, description=DESCRIPTION, officer=officer.pk)
    assert (tier2.tier, tier3.tier) == (2, 3)
    return tier2, tier3


@pytest.fixture
def finding(pair, jw_clerk):
    tier3 = pair[1]
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 760, "FINDING-EVIDENCE-6122")
    sheet.save()
    finding_attach(
        finding_id=tier3.pk,
        actor=jw_clerk,
        file=SimpleUploadedFile("执法记录.pdf", buffer.getvalue()),
    )
    return tier3


@pytest.fixture
def grant(make_grant, finding, county, outsider):
    return make_grant("finding", finding, finding_reference(finding), county["jw"], outsider)


def test_finding_grantable_finds_only_tier_3_findings_by_their_reference(pair):
    tier2, tier3 = pair
    kind = grantable("finding")
    assert kind is not None
    assert kind.label == "联合督查发现的涉案问题"
    assert "问题编号" in kind.reference_label
    reference = f"督查{tier3.inspection_id}-问题{tier3.sequence}"
    assert kind.describe(tier3) == reference
    assert kind.find(reference) == tier3
    assert kind.find(f" {tier3.inspection_id}-{tier3.sequence} ") == tier3
    assert kind.find(f"督查{tier3.inspection_id}－问题{tier3.sequence}") == tier3
    assert kind.find(f"督查{tier2.inspection_id}-问题{tier2.sequence}") is None
    assert kind.get(tier2.pk) is None
    assert kind.get(tier3.pk) == tier3
    for nonsense in ("", "问题2", f"{tier3.inspection_id}", "督查x-问题1", "99999-1"):
        assert kind.find(nonsense) is None


def test_finding_owner_is_the_recording_organiser_and_parties_are_the_organisers(
    pair, county, jw_leader, sf_clerk, sj_leader, jt_clerk, outsider
):
    kind = grantable("finding")
    assert kind is not None
    tier3 = pair[1]
    assert kind.owner_org(tier3) == county["jw"]
    assert kind.is_party(tier3, jw_leader)
    assert kind.is_party(tier3, sf_clerk)
    for stranger in (sj_leader, jt_clerk, outsider):
        assert not kind.is_party(tier3, stranger)


def test_a_finding_an_inspector_recorded_is_owned_by_the_first_organiser(
    findings_inspection, record, officer, county, jt_clerk
):
    """jt.clerk inspects for the organisers but does not see a tier 3 finding: the organiser
    that holds it approves."""
    kind = grantable("finding")
    assert kind is not None
    tier3 = record(findings_inspection, actor=jt_clerk, title=TITLE, officer=officer.pk)
    first = findings_inspection.organisers.order_by("id").first()
    assert kind.owner_org(tier3) == first
    assert first in (county["jw"], county["sf"])


def test_grant_page_shows_the_finding_read_only(grant, finding, outsider, officer):
    response = client_of(outsider).get(reverse("access:granted", args=[grant.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (TITLE, DESCRIPTION, "王某某", "文水县市场监督管理局", "涉案保密"):
        assert text in html
    assert finding_reference(finding) in html
    assert "执法记录.pdf" in html
    assert "授权调阅 · 只读 · 有效期至" in html
    assert 'class="watermark"' in html
    assert 'method="post" action="/' not in html.replace(
        f'method="post" action="{reverse("accounts:logout")}"', ""
    )
    assert reverse("inspections:finding_detail", args=[finding.pk]) not in html
    use = AccessUse.objects.get(request=grant)
    assert (use.use, use.what) == ("view", finding_reference(finding))


def test_a_finding_grant_never_widens_into_the_inspection_pages(grant, finding, outsider):
    client = client_of(outsider)
    assert client.get(reverse("access:granted", args=[grant.pk])).status_code == 200
    assert Finding.objects.restrict(outsider, "view").count() == 0
    assert client.get(reverse("inspections:finding_detail", args=[finding.pk])).status_code == 404
    attachment = finding.attachments.get()
    download = reverse("inspections:attachment_download", args=[attachment.pk])
    assert client.get(download).status_code == 404
    assert TITLE not in client.get(reverse("inspections:finding_list")).content.decode()


def test_a_finding_file_downloads_watermarked_and_logged(grant, finding, outsider):
    attachment = finding.attachments.get()
    url = reverse("access:granted_file", args=[grant.pk, attachment.pk])
    response = client_of(outsider).get(url)
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "FINDING-EVIDENCE-6122" in text
    assert "jy.clerk 文水县教育局法制股" in text
    assert f"授权调阅#{grant.pk}" in text
    use = AccessUse.objects.get(request=grant, use="download")
    assert use.what == "附件：执法记录.pdf"
    entries = AuditEntry.objects.filter(action="access.grant_use", actor_id=outsider.pk)
    assert entries.count() == 1


def test_a_corrupted_finding_file_is_refused(data_dir, grant, finding, outsider):
    attachment = finding.attachments.get()
    blob = data_dir / "evidence" / attachment.blob_name
    blob.write_bytes(blob.read_bytes()[:-5])
    url = reverse("access:granted_file", args=[grant.pk, attachment.pk])
    response = client_of(outsider).get(url)
    assert response.status_code == 409
    assert b"FINDING-EVIDENCE-6122" not in response.content
    assert not AccessUse.objects.filter(use="download").exists()


def test_an_expired_or_revoked_finding_grant_opens_nothing(
    make_grant, grant, finding, county, outsider
):
    url = reverse("access:granted", args=[grant.pk])
    with time_machine.travel(grant.expires_at + timedelta(minutes=1), tick=False):
        assert client_of(outsider).get(url).status_code == 404
    revoked = make_grant(
        "finding", finding, finding_reference(finding), county["jw"], outsider, status="revoked"
    )
    assert client_of(outsider).get(reverse("access:granted", args=[revoked.pk])).status_code == 404
    assert not AccessUse.objects.exists()


def test_a_grant_of_a_finding_now_tier_2_opens_nothing(grant, finding, outsider):
    """The grant names a tier 3 item; should the finding no longer be one, it is not the item."""
    Finding.objects.filter(pk=finding.pk).update(tier=2)
    assert client_of(outsider).get(reverse("access:granted", args=[grant.pk])).status_code == 404
