"""Attachments of shared items and typical cases (第十一条 at rest): encrypted on disk under their
own key, refused by content (415) and size (413) leaving nothing behind, added and removed only
while the owner is a draft by its org, downloaded exactly by the owner's readers after a hash
check — every download audited — kept by the orphan sweep and re-wrapped on key rotation."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.core import crypto
from xianjie.core.errors import (
    Conflict,
    FileTooLarge,
    FileTypeRefused,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from xianjie.referrals.evidence import EvidenceCorrupted, storage, sweep_orphan_files
from xianjie.sharing.models import Lesson, LessonStatus, SharedFile
from xianjie.sharing.services.files import (
    MAX_FILES,
    shared_file_delete,
    shared_file_items,
    shared_file_open,
    shared_file_upload,
    uploads_guard,
)
from xianjie.sharing.services.items import shared_item_publish

from .items_fixtures import *  # noqa: F403
from .items_fixtures import EXE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

MARK = "MARKBODY-5521 案卷评查表"


def blobs(root) -> list:
    evidence = root / "evidence"
    return sorted(p for p in evidence.iterdir() if p.is_file()) if evidence.exists() else []


def read(opened) -> bytes:
    try:
        return b"".join(opened.chunks)
    finally:
        opened.chunks.close()


@pytest.fixture
def draft(make_item):
    return make_item(status="draft")


@pytest.fixture
def lesson(county, make_referral, jw_leader):
    """A typical case drafted by the commission, built directly (its services are not the
    subject here)."""
    referral = make_referral(sender="sf", receiver="jw", status="closed")
    return Lesson.objects.create(
        referral=referral,
        title="某局执法人员滥用职权案",
        text="某局执法人员张某某滥用职权。",
        org=county["jw"],
        created_by=jw_leader,
        tier=1,
    )


def test_a_file_is_kept_encrypted_and_read_back_whole(data_dir, draft, sf_clerk, sample_file):
    content = sample_file("pdf", MARK)
    shared = shared_file_upload(
        owner=draft, file=SimpleUploadedFile("评查表.pdf", content), actor=sf_clerk
    )
    (blob,) = blobs(data_dir)
    assert blob.name == shared.blob_name and blob.stat().st_mode & 0o777 == 0o600
    assert MARK.split(" ")[0].encode() not in blob.read_bytes()
    opened = shared_file_open(file_id=shared.pk, actor=sf_clerk)
    assert (opened.filename, opened.content_type, opened.size) == (
        "评查表.pdf",
        "application/pdf",
        len(content),
    )
    assert read(opened) == content
    (item,) = shared_file_items([shared])
    assert (item.type_label, item.uploaded_by) == ("PDF", "sf.clerk")
    entry = AuditEntry.objects.filter(action="shared_file.download").get()
    assert entry.payload["item"] == draft.pk and "评查表" not in str(entry.payload)


def test_a_refused_type_is_415_and_leaves_nothing(data_dir, draft, sf_clerk):
    audits = AuditEntry.objects.count()
    with pytest.raises(FileTypeRefused):
        shared_file_upload(owner=draft, file=SimpleUploadedFile("通知.pdf", EXE), actor=sf_clerk)
    assert SharedFile.objects.count() == 0 and blobs(data_dir) == []
    assert AuditEntry.objects.count() == audits


def test_a_file_over_the_limit_is_413_even_when_it_lies_about_its_size(
    data_dir, settings, draft, sf_clerk
):
    settings.EVIDENCE_MAX_BYTES = 4096
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"\x00" * 20000)
    with pytest.raises(FileTooLarge):
        shared_file_upload(owner=draft, file=big, actor=sf_clerk)
    big.size = 10
    with pytest.raises(FileTooLarge):
        shared_file_upload(owner=draft, file=big, actor=sf_clerk)
    assert SharedFile.objects.count() == 0 and blobs(data_dir) == []
    assert not [p for p in (data_dir / "evidence").iterdir() if p.name.startswith(".upload-")]


def test_no_file_and_too_many_files_are_named(data_dir, draft, sf_clerk, pdf, settings):
    with pytest.raises(InvalidInput) as refused:
        shared_file_upload(owner=draft, file=None, actor=sf_clerk)
    assert refused.value.errors == {"file": ["请选择要上传的文件。"]}
    for n in range(MAX_FILES):
        shared_file_upload(owner=draft, file=pdf(str(n)), actor=sf_clerk)
    with pytest.raises(InvalidInput):
        shared_file_upload(owner=draft, file=pdf("多"), actor=sf_clerk)
    assert draft.files.count() == MAX_FILES


def test_only_the_owner_org_adds_files_and_only_to_a_draft(
    data_dir, make_item, draft, sf_leader, jw_clerk, sj_clerk, pdf
):
    with pytest.raises(NotFound):
        shared_file_upload(owner=draft, file=pdf(), actor=jw_clerk)
    published = make_item()
    with pytest.raises(NotPermitted):
        shared_file_upload(owner=published, file=pdf(), actor=sj_clerk)
    with pytest.raises(Conflict):
        shared_file_upload(owner=published, file=pdf(), actor=sf_leader)
    assert SharedFile.objects.count() == 0 and blobs(data_dir) == []


def test_a_file_is_removed_from_a_draft_only(
    data_dir, draft, sf_clerk, sf_leader, pdf, django_capture_on_commit_callbacks
):
    keep = shared_file_upload(owner=draft, file=pdf("留"), actor=sf_clerk)
    drop = shared_file_upload(owner=draft, file=pdf("删"), actor=sf_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        shared_file_delete(file_id=drop.pk, actor=sf_leader)
    assert [p.name for p in blobs(data_dir)] == [keep.blob_name]
    shared_item_publish(item_id=draft.pk, actor=sf_leader)
    with pytest.raises(Conflict):
        shared_file_delete(file_id=keep.pk, actor=sf_clerk)
    assert AuditEntry.objects.filter(action="shared_file.delete").count() == 1


def test_a_tampered_file_is_refused_with_409_and_audited(data_dir, make_item, sj_clerk, pdf):
    item = make_item(files=(pdf("原件"),))
    shared = item.files.get()
    (blob,) = blobs(data_dir)
    data = bytearray(blob.read_bytes())
    data[-5] ^= 0xFF
    blob.write_bytes(bytes(data))
    with pytest.raises(EvidenceCorrupted):
        shared_file_open(file_id=shared.pk, actor=sj_clerk)
    client = Client()
    client.force_login(sj_clerk)
    answer = client.get(reverse("sharing:item_file_download", args=[item.pk, shared.pk]))
    assert answer.status_code == 409 and "校验未通过" in answer.content.decode()
    blob.unlink()
    api = client.get(f"/api/v1/shared-items/{item.pk}/files/{shared.pk}")
    assert api.status_code == 409
    problems = AuditEntry.objects.filter(action="shared_file.corrupted")
    assert sorted(e.payload["problem"] for e in problems) == [
        "decryption_failed",
        "decryption_failed",
        "missing",
    ]


def test_the_guard_removes_placed_files_when_the_owner_fails(data_dir, draft, sf_clerk, pdf):
    with pytest.raises(RuntimeError), uploads_guard(), transaction.atomic():
        shared_file_upload(owner=draft, file=pdf(), actor=sf_clerk)
        raise RuntimeError("the owner's next step failed")
    assert SharedFile.objects.count() == 0 and blobs(data_dir) == []


def test_a_typical_case_owns_files_read_by_its_readers(
    data_dir, lesson, jw_clerk, sf_clerk, sj_leader, pdf
):
    shared = shared_file_upload(owner=lesson, file=pdf("案例材料"), actor=jw_clerk)
    assert (shared.lesson, shared.item) == (lesson, None)
    with pytest.raises(NotFound):
        shared_file_upload(owner=lesson, file=pdf(), actor=sf_clerk)
    with pytest.raises(NotFound):
        shared_file_open(file_id=shared.pk, actor=sj_leader)
    Lesson.objects.filter(pk=lesson.pk).update(status=LessonStatus.PUBLISHED)
    assert read(shared_file_open(file_id=shared.pk, lesson_id=lesson.pk, actor=sj_leader))
    with pytest.raises(NotFound):
        shared_file_open(file_id=shared.pk, item_id=1, actor=sj_leader)
    lesson.refresh_from_db()
    with pytest.raises(Conflict):
        shared_file_upload(owner=lesson, file=pdf(), actor=jw_clerk)


def test_the_orphan_sweep_keeps_shared_files(data_dir, draft, sf_clerk, pdf):
    shared = shared_file_upload(owner=draft, file=pdf(), actor=sf_clerk)
    orphan = data_dir / "evidence" / ("cd" * 32)
    orphan.write_bytes(b"left by a killed worker")
    old = time.time() - 3 * 24 * 3600
    for path in blobs(data_dir):
        os.utime(path, (old, old))
    assert sweep_orphan_files() == 1
    assert [p.name for p in blobs(data_dir)] == [shared.blob_name]


def test_key_rotation_rewraps_shared_files(tmp_path, settings, data_dir, draft, sf_clerk, pdf):
    shared = shared_file_upload(owner=draft, file=pdf("ROT-7"), actor=sf_clerk)
    before = shared.wrapped_key
    new_key = tmp_path / "new.key"
    crypto.generate_master_key_file(new_key)
    call_command("keys", "rotate", str(new_key))
    settings.MASTER_KEY_FILE = str(new_key)
    crypto._load_master.cache_clear()
    shared.refresh_from_db()
    assert shared.wrapped_key != before
    assert b"ROT-7" in read(shared_file_open(file_id=shared.pk, actor=sf_clerk))
    assert storage.blob_path(shared.blob_name).exists()
