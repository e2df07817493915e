"""Uploading evidence: types by content, the size limit, who uploads what when, and that a
refused or interrupted upload leaves nothing behind (第四、五、七、十一条)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.http.request import UnreadablePostError
from django.test import RequestFactory

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import FileTooLarge, FileTypeRefused, InvalidInput, ServiceError
from xianjie.referrals.evidence import (
    evidence_listing,
    evidence_open,
    evidence_upload,
    refuse_oversized_request,
    storage,
    sweep_orphan_files,
)
from xianjie.referrals.models import Evidence, Referral

from .test_evidence_filetypes import REFUSED

pytestmark = pytest.mark.usefixtures("data_dir")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "mp4": "video/mp4",
    "mp3": "audio/mpeg",
    "mp3_frames": "audio/mpeg",
    "wav": "audio/wav",
}


def upload_of(name: str, data: bytes) -> SimpleUploadedFile:
    # The browser's claimed type is always wrong here: only the content may decide.
    return SimpleUploadedFile(name, data, content_type="application/x-msdownload")


def stored(data_dir: Path) -> list[Path]:
    evidence = data_dir / "evidence"
    return sorted(evidence.iterdir()) if evidence.exists() else []


def assert_nothing_left(data_dir: Path, rows: int = 0, blobs: int = 0) -> None:
    assert Evidence.objects.count() == rows
    assert len(stored(data_dir)) == blobs
    assert not [p for p in stored(data_dir) if p.name.startswith(storage.TEMP_PREFIX)]


@pytest.mark.parametrize("kind", sorted(CONTENT_TYPES))
def test_each_accepted_type_is_kept_encrypted_as_detected(
    data_dir, make_referral, sj_clerk, sample_file, kind
):
    referral = make_referral()
    data = sample_file(kind, "现场检查记录")
    evidence = evidence_upload(referral=referral, actor=sj_clerk, file=upload_of("材料", data))
    assert evidence.content_type == CONTENT_TYPES[kind]
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.sm3 == hashlib.new("sm3", data).hexdigest()
    (blob,) = stored(data_dir)
    assert blob.name == evidence.blob_name
    ciphertext = blob.read_bytes()
    assert ciphertext.startswith(b"XJF1")
    assert data[:12] not in ciphertext
    assert "现场检查记录".encode() not in ciphertext
    assert blob.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("name", "sample"),
    [
        ("起诉书.pdf", "exe"),
        ("照片.docx", "random"),
        ("材料.zip", "plain_zip"),
        ("空白.pdf", "empty"),
        ("笔录.doc", "old_word_doc"),
    ],
)
def test_refused_type_is_415_and_writes_nothing(data_dir, make_referral, sj_clerk, name, sample):
    referral = make_referral()
    audits = AuditEntry.objects.count()
    with pytest.raises(FileTypeRefused) as refused:
        evidence_upload(referral=referral, actor=sj_clerk, file=upload_of(name, REFUSED[sample]))
    assert refused.value.status == 415
    assert_nothing_left(data_dir)
    assert AuditEntry.objects.count() == audits


def test_declared_size_over_the_limit_is_413_and_writes_nothing(
    data_dir, settings, make_referral, sj_clerk, sample_file
):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    data = sample_file("pdf") + b"\x00" * (1024 * 1024)
    with pytest.raises(FileTooLarge) as refused:
        evidence_upload(referral=make_referral(), actor=sj_clerk, file=upload_of("大.pdf", data))
    assert refused.value.status == 413
    assert refused.value.detail == "文件过大：单个文件不能超过 1 MB。"
    assert_nothing_left(data_dir)


def test_a_file_lying_about_its_size_is_counted_and_refused(
    data_dir, settings, make_referral, sj_clerk, sample_file
):
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    upload = upload_of("大.pdf", sample_file("pdf") + b"\x00" * (300 * 1024))
    upload.size = 10
    with pytest.raises(FileTooLarge):
        evidence_upload(referral=make_referral(), actor=sj_clerk, file=upload)
    assert_nothing_left(data_dir)


def test_a_file_of_exactly_the_limit_is_accepted(
    data_dir, settings, make_referral, sj_clerk, sample_file
):
    data = sample_file("pdf")
    settings.EVIDENCE_MAX_BYTES = len(data)
    evidence_upload(referral=make_referral(), actor=sj_clerk, file=upload_of("a.pdf", data))
    assert_nothing_left(data_dir, rows=1, blobs=1)


class BrokenUpload(SimpleUploadedFile):
    """An upload whose connection breaks after the first chunk."""

    def chunks(self, chunk_size=None):
        yield self.read(1000)
        raise UnreadablePostError("connection reset by peer")


def test_an_interrupted_upload_leaves_nothing(data_dir, make_referral, sj_clerk, sample_file):
    upload = BrokenUpload("笔录.pdf", sample_file("pdf") + b"\x00" * 5000)
    with pytest.raises(UnreadablePostError):
        evidence_upload(referral=make_referral(), actor=sj_clerk, file=upload)
    assert_nothing_left(data_dir)


def test_a_failed_insert_after_the_file_was_written_leaves_no_blob(
    data_dir, make_referral, sj_clerk, sample_file, monkeypatch
):
    referral = make_referral()
    first = evidence_upload(referral=referral, actor=sj_clerk, file=upload_of("一.pdf", b"%PDF-1"))
    # The database refuses the second row (its blob name is taken): a real insert failure.
    monkeypatch.setattr(storage, "new_blob_name", lambda: first.blob_name)
    with pytest.raises(IntegrityError):
        evidence_upload(referral=referral, actor=sj_clerk, file=upload_of("二.pdf", b"%PDF-2"))
    assert_nothing_left(data_dir, rows=1, blobs=1)
    opened = evidence_open(evidence_id=first.pk, referral_id=referral.pk, actor=sj_clerk)
    assert b"".join(opened.chunks) == b"%PDF-1"


def test_a_failure_after_the_blob_was_placed_removes_it(
    data_dir, make_referral, sj_clerk, sample_file, monkeypatch
):
    def disk_fails(path):
        raise OSError("no space left on device")

    monkeypatch.setattr(storage, "_sync_directory", disk_fails)
    with pytest.raises(OSError):
        evidence_upload(
            referral=make_referral(), actor=sj_clerk, file=upload_of("a.pdf", sample_file("pdf"))
        )
    assert_nothing_left(data_dir)


class SubmittedMeanwhile(SimpleUploadedFile):
    """While the file streams in, a colleague submits the draft."""

    referral_id = 0

    def chunks(self, chunk_size=None):
        yield from super().chunks(chunk_size)
        Referral.objects.filter(pk=self.referral_id).update(status="pending_approval")


def test_a_status_change_during_the_upload_is_409_and_leaves_nothing(
    data_dir, make_referral, sj_clerk, sample_file
):
    referral = make_referral()
    upload = SubmittedMeanwhile("a.pdf", sample_file("pdf"))
    upload.referral_id = referral.pk
    with pytest.raises(ServiceError) as refused:
        evidence_upload(referral=referral, actor=sj_clerk, file=upload)
    assert refused.value.status == 409
    assert_nothing_left(data_dir)


def test_bad_fields_are_all_listed_at_once(make_referral, sj_clerk):
    with pytest.raises(InvalidInput) as refused:
        evidence_upload(
            referral=make_referral(),
            actor=sj_clerk,
            file=None,
            role="photo",
            description="长" * 501,
        )
    assert set(refused.value.errors) == {"file", "role", "description"}
    assert "500" in refused.value.errors["description"][0]


def test_description_of_500_characters_is_accepted(make_referral, sj_clerk, sample_file):
    referral = make_referral()
    evidence_upload(
        referral=referral,
        actor=sj_clerk,
        file=upload_of("a.pdf", sample_file("pdf")),
        description="说" * 500,
    )
    (item,) = evidence_listing(referral, sj_clerk)
    assert item.description == "说" * 500


@pytest.mark.article(11)
def test_name_and_description_are_sealed_and_kept_out_of_the_audit(
    make_referral, sj_clerk, sample_file
):
    referral = make_referral()
    evidence = evidence_upload(
        referral=referral,
        actor=sj_clerk,
        file=upload_of("../张某某询问笔录.pdf", sample_file("pdf")),
        role="other",
        description="张某某承认未出示执法证",
    )
    row = Evidence.objects.get(pk=evidence.pk)
    assert "张某某" not in row.filename_enc + row.description_enc
    (item,) = evidence_listing(referral, sj_clerk)
    assert (item.filename, item.description) == ("张某某询问笔录.pdf", "张某某承认未出示执法证")
    assert (item.role, item.role_label, item.type_label) == ("other", "其他材料", "PDF")
    entry = AuditEntry.objects.get(action="referral.evidence_upload")
    assert (entry.tier, entry.object_id, entry.actor_id) == (3, str(referral.pk), sj_clerk.pk)
    assert entry.payload["evidence"] == evidence.pk
    assert entry.payload["sha256"] == evidence.sha256
    assert entry.payload["size"] == evidence.size
    assert "张某某" not in str(entry.payload)


# Who uploads what, and when (CONTRACT.md "Files"): the sender's clerk and leader upload evidence
# while draft and supplements while awaiting_supplement; the receiver's clerk and leader upload
# feedback letters while handling. 403: never this side's role; 409: not in this status.
UPLOAD_MATRIX = [
    ("sj_clerk", "sj", "jw", "draft", "evidence", None),
    ("sj_leader", "sj", "jw", "draft", "other", None),
    ("sj_clerk", "sj", "jw", "draft", "supplement", 409),
    ("sj_clerk", "sj", "jw", "draft", "feedback_letter", 403),
    ("jw_clerk", "sj", "jw", "draft", "evidence", 404),
    ("jw_leader", "sj", "jw", "pending_approval", "feedback_letter", 404),
    ("jw_clerk", "sj", "jw", "received", "feedback_letter", 409),
    ("jw_leader", "sj", "jw", "handling", "feedback_letter", None),
    ("jw_clerk", "sj", "jw", "handling", "feedback_letter", None),
    ("jw_leader", "sj", "jw", "handling", "evidence", 403),
    ("sj_clerk", "sj", "jw", "handling", "evidence", 409),
    ("sj_leader", "sj", "jw", "handling", "feedback_letter", 403),
    ("sj_clerk", "sj", "jw", "awaiting_supplement", "supplement", None),
    ("sj_clerk", "sj", "jw", "awaiting_supplement", "evidence", 409),
    ("sj_clerk", "sj", "jw", "closed", "evidence", 409),
    ("jw_clerk", "jw", "sj", "draft", "evidence", None),
    ("sj_leader", "jw", "sj", "handling", "feedback_letter", None),
    ("jw_clerk", "jw", "sj", "handling", "evidence", 409),
    ("outsider", "sj", "jw", "handling", "evidence", 404),
    ("jt_clerk", "sj", "jw", "handling", "feedback_letter", 404),
    ("sf_clerk", "sj", "jw", "handling", "feedback_letter", 404),
    ("sysadmin", "sj", "jw", "draft", "evidence", 404),
    ("secadmin", "sj", "jw", "handling", "feedback_letter", 404),
    ("auditor", "sj", "jw", "handling", "feedback_letter", 404),
]


@pytest.mark.article(11)
@pytest.mark.parametrize(
    ("persona", "sender", "receiver", "status", "role", "refusal"), UPLOAD_MATRIX
)
def test_who_uploads_what_when(
    request, data_dir, make_referral, sample_file, persona, sender, receiver, status, role, refusal
):
    actor = request.getfixturevalue(persona)
    referral = make_referral(sender=sender, receiver=receiver, status=status)
    upload = upload_of("材料.pdf", sample_file("pdf"))
    if refusal is None:
        evidence = evidence_upload(referral=referral, actor=actor, file=upload, role=role)
        assert (evidence.role, evidence.uploaded_by_id) == (role, actor.pk)
        assert_nothing_left(data_dir, rows=1, blobs=1)
    else:
        with pytest.raises(ServiceError) as refused:
            evidence_upload(referral=referral, actor=actor, file=upload, role=role)
        assert refused.value.status == refusal
        assert_nothing_left(data_dir)


def test_a_request_declaring_too_many_bytes_is_refused_before_parsing(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = RequestFactory().post("/", data=b"", content_type="multipart/form-data; boundary=x")
    big.META["CONTENT_LENGTH"] = str(3 * 1024 * 1024)
    with pytest.raises(FileTooLarge):
        refuse_oversized_request(big)
    big.META["CONTENT_LENGTH"] = str(1024 * 1024 + 1000)
    refuse_oversized_request(big)


def test_sweep_removes_old_leftovers_only(data_dir, make_referral, sj_clerk, sample_file):
    kept = evidence_upload(
        referral=make_referral(), actor=sj_clerk, file=upload_of("a.pdf", sample_file("pdf"))
    )
    evidence_dir = data_dir / "evidence"
    old_temp = evidence_dir / f"{storage.TEMP_PREFIX}abc"
    orphan = evidence_dir / ("ab" * 32)
    buffered = data_dir / "uploads" / "tmp1234.upload.pdf"
    fresh_temp = evidence_dir / f"{storage.TEMP_PREFIX}def"
    for path in (old_temp, orphan, buffered, fresh_temp):
        path.write_bytes(b"x")
    day_ago = time.time() - storage.ORPHAN_AGE_SECONDS - 60
    for path in (old_temp, orphan, buffered, evidence_dir / kept.blob_name):
        os.utime(path, (day_ago, day_ago))
    assert sweep_orphan_files() == 3
    assert sorted(p.name for p in stored(data_dir)) == sorted([kept.blob_name, fresh_temp.name])
    assert not buffered.exists()
    assert sweep_orphan_files() == 0
