"""Evidence travelling with a forward (转办): re-encrypted under the new referral's key, opened
by the competent org, checked against the original's hashes on the way (第十一条)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import NotFound
from xianjie.referrals.evidence import (
    EvidenceCorrupted,
    evidence_copy,
    evidence_listing,
    evidence_open,
    evidence_upload,
)
from xianjie.referrals.models import Evidence, Referral

pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def forwarding(make_referral, sj_clerk, sample_file):
    """A lead received by the commission, with one file, and the new referral it is being
    forwarded as — from the commission to the justice bureau."""
    original = make_referral(sender="sj", receiver="jw", status="draft")
    data = sample_file("pdf", "执法记录") + b"\x00" * 3_000_000
    evidence = evidence_upload(
        referral=original,
        actor=sj_clerk,
        file=SimpleUploadedFile("执法记录仪视频截图.pdf", data),
        description="第二段",
    )
    Referral.objects.filter(pk=original.pk).update(status="received", sent_at=timezone.now())
    target = make_referral(
        sender="jw",
        receiver="sf",
        status="sent",
        direction="to_discipline",
        forwarded_from=original,
    )
    return original, evidence, target, data


@pytest.mark.article(11)
def test_the_copy_is_reencrypted_and_opened_by_the_competent_org(
    data_dir, forwarding, jw_leader, sf_clerk
):
    original, evidence, target, data = forwarding
    with transaction.atomic():
        copy = evidence_copy(evidence=evidence, to_referral=target, actor=jw_leader)
    assert (copy.referral_id, copy.role, copy.uploaded_by_id) == (
        target.pk,
        "evidence",
        jw_leader.pk,
    )
    assert (copy.size, copy.sha256, copy.sm3) == (evidence.size, evidence.sha256, evidence.sm3)
    old_blob = (data_dir / "evidence" / evidence.blob_name).read_bytes()
    new_blob = (data_dir / "evidence" / copy.blob_name).read_bytes()
    assert old_blob[64:4096] != new_blob[64:4096]
    (item,) = evidence_listing(target, sf_clerk)
    assert (item.filename, item.description) == ("执法记录仪视频截图.pdf", "第二段")
    opened = evidence_open(evidence_id=copy.pk, referral_id=target.pk, actor=sf_clerk)
    assert b"".join(opened.chunks) == data
    with pytest.raises(NotFound):
        evidence_open(evidence_id=evidence.pk, referral_id=original.pk, actor=sf_clerk)
    entry = AuditEntry.objects.get(action="referral.evidence_copy")
    assert entry.payload["copied_from"] == evidence.pk
    assert entry.object_id == str(target.pk)


@pytest.mark.article(11)
def test_a_damaged_original_stops_the_copy_and_leaves_nothing(data_dir, forwarding, jw_leader):
    _, evidence, target, _ = forwarding
    blob = data_dir / "evidence" / evidence.blob_name
    damaged = bytearray(blob.read_bytes())
    damaged[-40] ^= 0xFF
    blob.write_bytes(bytes(damaged))
    with pytest.raises(EvidenceCorrupted) as refused:
        evidence_copy(evidence=evidence, to_referral=target, actor=jw_leader)
    assert refused.value.status == 409
    assert not Evidence.objects.filter(referral=target).exists()
    assert [p.name for p in (data_dir / "evidence").iterdir()] == [evidence.blob_name]


def test_only_a_party_to_the_original_copies_it(forwarding, outsider):
    _, evidence, target, _ = forwarding
    with pytest.raises(NotFound):
        evidence_copy(evidence=evidence, to_referral=target, actor=outsider)
