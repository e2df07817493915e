"""Downloading evidence: exact bytes, audited, checked against the upload's hashes, served as an
attachment, and to the two parties only (第十一条)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import NotFound
from xianjie.referrals.evidence import (
    EvidenceCorrupted,
    download_response,
    evidence_download,
    evidence_listing,
    evidence_open,
    evidence_upload,
)
from xianjie.referrals.models import Evidence, Referral

pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def received(make_referral, sj_clerk, sample_file):
    """A lead from the market regulator's legal unit to the commission, received, with a PDF of
    more than two encryption chunks."""
    referral = make_referral(sender="sj", receiver="jw", status="draft")
    data = sample_file("pdf", "询问笔录") + bytes(range(256)) * 10_000
    evidence = evidence_upload(
        referral=referral,
        actor=sj_clerk,
        file=SimpleUploadedFile("张某询问笔录.pdf", data),
        description="第一次询问",
    )
    Referral.objects.filter(pk=referral.pk).update(
        status="received", sent_at=timezone.now(), received_at=timezone.now()
    )
    return referral, evidence, data


def blob_of(data_dir, evidence):
    return data_dir / "evidence" / evidence.blob_name


@pytest.mark.article(11)
@pytest.mark.parametrize("persona", ["sj_clerk", "sj_leader", "jw_clerk", "jw_leader"])
def test_parties_download_the_exact_bytes_and_each_download_is_audited(request, received, persona):
    referral, evidence, data = received
    actor = request.getfixturevalue(persona)
    opened = evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=actor)
    assert (opened.filename, opened.content_type, opened.size) == (
        "张某询问笔录.pdf",
        "application/pdf",
        len(data),
    )
    assert b"".join(opened.chunks) == data
    evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=actor).chunks.close()
    entries = AuditEntry.objects.filter(action="referral.evidence_download", actor_id=actor.pk)
    assert entries.count() == 2
    entry = entries.first()
    assert (entry.tier, entry.object_id) == (3, str(referral.pk))
    assert entry.payload["evidence"] == evidence.pk
    assert "张某" not in str(entry.payload)


def test_download_response_is_an_uncached_attachment(received, jw_clerk):
    referral, evidence, data = received
    response = download_response(
        evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=jw_clerk)
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"] == (
        f'attachment; filename="evidence-{evidence.pk}.pdf"; '
        "filename*=UTF-8''%E5%BC%A0%E6%9F%90%E8%AF%A2%E9%97%AE%E7%AC%94%E5%BD%95.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == data
    response.close()


def test_the_view_serves_parties_and_hides_from_others(received, jw_leader, outsider):
    referral, evidence, data = received
    get = RequestFactory().get("/")
    get.user = outsider
    with pytest.raises(Http404):
        evidence_download(get, pk=referral.pk, evidence_id=evidence.pk)
    get.user = AnonymousUser()
    assert evidence_download(get, pk=referral.pk, evidence_id=evidence.pk).status_code == 302
    get.user = jw_leader
    response = evidence_download(get, pk=referral.pk, evidence_id=evidence.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    # Last: closing a response ends the request, and with it the test's database connection.
    response.close()


@pytest.mark.article(11)
def test_a_tampered_blob_is_refused_and_the_refusal_audited(data_dir, received, jw_clerk):
    referral, evidence, _ = received
    blob = blob_of(data_dir, evidence)
    ciphertext = bytearray(blob.read_bytes())
    ciphertext[len(ciphertext) // 2] ^= 0x01
    blob.write_bytes(bytes(ciphertext))
    with pytest.raises(EvidenceCorrupted) as refused:
        evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=jw_clerk)
    assert refused.value.status == 409
    assert "校验未通过" in refused.value.detail
    entry = AuditEntry.objects.get(action="referral.evidence_corrupted")
    assert entry.payload == {"evidence": evidence.pk, "problem": "decryption_failed"}
    assert not AuditEntry.objects.filter(action="referral.evidence_download").exists()


@pytest.mark.article(11)
def test_another_files_blob_in_its_place_is_refused(data_dir, received, sj_clerk, jw_clerk):
    """Both blobs decrypt under the referral's key; only the recorded hashes tell them apart."""
    referral, evidence, _ = received
    Referral.objects.filter(pk=referral.pk).update(status="draft")
    other = evidence_upload(
        referral=Referral.objects.get(pk=referral.pk),
        actor=sj_clerk,
        file=SimpleUploadedFile("另一份.pdf", b"%PDF-1.4 another"),
    )
    blob_of(data_dir, evidence).write_bytes(blob_of(data_dir, other).read_bytes())
    with pytest.raises(EvidenceCorrupted):
        evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=sj_clerk)
    entry = AuditEntry.objects.get(action="referral.evidence_corrupted")
    assert entry.payload["problem"] == "hash_mismatch"


def test_a_missing_blob_is_refused(data_dir, received, jw_clerk):
    referral, evidence, _ = received
    blob_of(data_dir, evidence).unlink()
    with pytest.raises(EvidenceCorrupted):
        evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=jw_clerk)


def test_the_view_answers_a_corrupted_file_with_a_chinese_409(data_dir, received, jw_clerk):
    referral, evidence, _ = received
    blob_of(data_dir, evidence).write_bytes(b"XJF1 broken")
    get = RequestFactory().get("/")
    get.user = jw_clerk
    response = evidence_download(get, pk=referral.pk, evidence_id=evidence.pk)
    assert response.status_code == 409
    assert "校验未通过" in response.content.decode()


@pytest.mark.article(11)
@pytest.mark.parametrize(
    "persona", ["sysadmin", "secadmin", "auditor", "outsider", "sf_clerk", "sf_leader", "jt_clerk"]
)
def test_others_get_404_and_see_no_files(request, received, persona):
    referral, evidence, _ = received
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotFound):
        evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=actor)
    assert evidence_listing(referral, actor) == []
    assert not Evidence.objects.restrict(actor, "download").exists()
    assert not AuditEntry.objects.filter(action="referral.evidence_download").exists()


@pytest.mark.article(11)
def test_receiver_sees_no_file_before_the_referral_is_sent(make_referral, sj_clerk, jw_clerk):
    referral = make_referral(status="draft")
    evidence = evidence_upload(
        referral=referral, actor=sj_clerk, file=SimpleUploadedFile("a.pdf", b"%PDF-1.7")
    )
    with pytest.raises(NotFound):
        evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=jw_clerk)
    assert evidence_listing(referral, jw_clerk) == []


def test_a_file_is_opened_only_through_its_own_referral(received, make_referral, jw_clerk):
    referral, evidence, _ = received
    other = make_referral(sender="sj", receiver="jw", status="received")
    with pytest.raises(NotFound):
        evidence_open(evidence_id=evidence.pk, referral_id=other.pk, actor=jw_clerk)
    with pytest.raises(NotFound):
        evidence_open(evidence_id="1 or 1=1", referral_id=referral.pk, actor=jw_clerk)


def test_listing_shows_the_parties_the_decrypted_names(received, jw_clerk, sj_clerk):
    referral, evidence, data = received
    (item,) = evidence_listing(referral, jw_clerk)
    assert (item.id, item.filename, item.description, item.size) == (
        evidence.pk,
        "张某询问笔录.pdf",
        "第一次询问",
        len(data),
    )
    assert (item.role_label, item.uploaded_by) == ("证据材料", sj_clerk.display_name)


def test_a_sealed_name_moved_to_another_row_does_not_decrypt(received, sj_clerk):
    referral, evidence, _ = received
    Referral.objects.filter(pk=referral.pk).update(status="draft")
    other = evidence_upload(
        referral=Referral.objects.get(pk=referral.pk),
        actor=sj_clerk,
        file=SimpleUploadedFile("b.pdf", b"%PDF-1.7"),
    )
    Evidence.objects.filter(pk=other.pk).update(filename_enc=evidence.filename_enc)
    names = {item.id: item.filename for item in evidence_listing(referral, sj_clerk)}
    assert names == {evidence.pk: "张某询问笔录.pdf", other.pk: "（文件名无法解密）"}
    with pytest.raises(EvidenceCorrupted):
        evidence_open(evidence_id=other.pk, referral_id=referral.pk, actor=sj_clerk)
