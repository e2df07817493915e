"""Files of rectification reports (第九条; 第十一条 at rest): encrypted on disk under their own key,
refused by content (415) and size (413) leaving nothing behind, downloaded only by the task's
parties — every download audited — and kept by the orphan-file sweep."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import FileTooLarge, FileTypeRefused, NotFound
from xianjie.inspections.models import Attachment, RectificationReport
from xianjie.inspections.services.attachments import (
    attachment_items,
    attachment_open,
    attachment_upload,
)
from xianjie.inspections.services.rectifications import rectification_report
from xianjie.referrals.evidence import EvidenceCorrupted, storage, sweep_orphan_files

from .rectification_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(9), pytest.mark.usefixtures("data_dir")]

BODY = "MARKBODY-3318 整改台账"
NAME = "MARKNAME-7702 整改照片.pdf"
DESCRIPTION = "MARKDESC-5129 现场照片说明"


def files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def every_byte(root) -> bytes:
    return b"".join(path.read_bytes() for path in files_under(root))


def blobs(root) -> list:
    evidence = root / "evidence"
    return sorted(evidence.iterdir()) if evidence.exists() else []


@pytest.fixture
def report(task, sj_clerk):
    return rectification_report(task_id=task.pk, actor=sj_clerk, text="进展")


def test_a_file_is_kept_encrypted_with_its_name_and_description_sealed(
    data_dir, report, sj_clerk, pdf
):
    attachment = attachment_upload(
        report=report, file=pdf(BODY, NAME), description=DESCRIPTION, actor=sj_clerk
    )
    (blob,) = blobs(data_dir)
    assert blob.name == attachment.blob_name
    assert blob.stat().st_mode & 0o777 == 0o600
    disk = every_byte(data_dir)
    for marker in (BODY, NAME, DESCRIPTION):
        assert marker.split(" ")[0].encode() not in disk
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM inspections_attachment")
        stored = str(cursor.fetchall())
    assert "MARKNAME" not in stored and "MARKDESC" not in stored
    (item,) = attachment_items([attachment])
    assert (item.filename, item.description, item.type_label) == (NAME, DESCRIPTION, "PDF")
    assert item.url == reverse("inspections:attachment_download", args=[attachment.pk])


def test_an_attachment_has_exactly_one_owner(report, sj_clerk, pdf):
    with pytest.raises(ValueError):
        attachment_upload(file=pdf(), actor=sj_clerk)


def test_a_report_with_files_keeps_them_all(data_dir, task, sj_clerk, pdf):
    report = rectification_report(
        task_id=task.pk, actor=sj_clerk, text="进展", files=[pdf("一"), pdf("二", "二.pdf")]
    )
    assert report.attachments.count() == 2
    assert len(blobs(data_dir)) == 2
    assert task.events.last().data == {"report": report.pk, "files": 2}


def test_a_refused_type_is_415_and_leaves_nothing(data_dir, task, sj_clerk, pdf):
    audits = AuditEntry.objects.count()
    exe = SimpleUploadedFile("整改报告.pdf", EXE, "application/pdf")  # noqa: F405
    with pytest.raises(FileTypeRefused) as refused:
        rectification_report(task_id=task.pk, actor=sj_clerk, text="进展", files=[pdf(), exe])
    assert refused.value.status == 415
    assert RectificationReport.objects.count() == 0
    assert Attachment.objects.count() == 0
    # The first file had been placed: the report's failure removed it again.
    assert blobs(data_dir) == []
    assert AuditEntry.objects.count() == audits
    assert task.events.count() == 1


def test_a_file_over_the_limit_is_413_and_leaves_nothing(data_dir, settings, task, sj_clerk):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"\x00" * 4096, "application/pdf")
    with pytest.raises(FileTooLarge) as refused:
        rectification_report(task_id=task.pk, actor=sj_clerk, text="进展", files=[big])
    assert refused.value.status == 413
    assert Attachment.objects.count() == 0 and blobs(data_dir) == []


def test_a_file_lying_about_its_size_is_counted_and_refused(data_dir, settings, task, sj_clerk):
    settings.EVIDENCE_MAX_BYTES = 4096
    lying = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"\x00" * 20000, "application/pdf")
    lying.size = 10
    with pytest.raises(FileTooLarge):
        rectification_report(task_id=task.pk, actor=sj_clerk, text="进展", files=[lying])
    assert blobs(data_dir) == []
    assert not [p for p in files_under(data_dir) if p.name.startswith(storage.TEMP_PREFIX)]


@pytest.mark.parametrize("persona", ["sj_leader", "jw_clerk", "sf_leader"])
def test_the_parties_download_and_each_download_is_audited(report, sj_clerk, pdf, people, persona):
    attachment = attachment_upload(report=report, file=pdf(BODY), actor=sj_clerk)
    opened = attachment_open(attachment_id=attachment.pk, actor=people[persona])
    assert b"".join(opened.chunks).startswith(b"%PDF-1.4\n%" + BODY.encode())
    assert (opened.filename, opened.content_type) == ("整改报告.pdf", "application/pdf")
    entry = AuditEntry.objects.get(action="attachment.download")
    assert entry.actor_id == people[persona].pk
    assert entry.payload["attachment"] == attachment.pk and entry.payload["report"] == report.pk
    assert "整改报告" not in str(entry.payload)


@pytest.mark.parametrize(
    "persona", ["jt_clerk", "jt_leader", "outsider", "sysadmin", "secadmin", "auditor"]
)
def test_anyone_else_gets_404_and_no_audit(report, sj_clerk, pdf, people, persona):
    attachment = attachment_upload(report=report, file=pdf(), actor=sj_clerk)
    with pytest.raises(NotFound):
        attachment_open(attachment_id=attachment.pk, actor=people[persona])
    assert not AuditEntry.objects.filter(action="attachment.download").exists()


def test_a_file_of_another_task_is_404_under_this_one(make_task, report, sj_clerk, pdf):
    other = make_task(title="另一任务")
    attachment = attachment_upload(report=report, file=pdf(), actor=sj_clerk)
    with pytest.raises(NotFound):
        attachment_open(attachment_id=attachment.pk, actor=sj_clerk, task_id=other.pk)
    assert attachment_open(attachment_id=attachment.pk, actor=sj_clerk, task_id=report.task_id)


def test_a_tampered_blob_is_refused_and_audited(data_dir, report, sj_clerk, jw_clerk, pdf):
    attachment = attachment_upload(report=report, file=pdf(BODY), actor=sj_clerk)
    (blob,) = blobs(data_dir)
    data = bytearray(blob.read_bytes())
    data[-20] ^= 0xFF
    blob.write_bytes(bytes(data))
    with pytest.raises(EvidenceCorrupted):
        attachment_open(attachment_id=attachment.pk, actor=jw_clerk)
    entry = AuditEntry.objects.get(action="attachment.corrupted")
    assert entry.payload == {"attachment": attachment.pk, "problem": "decryption_failed"}


def test_the_download_page_serves_an_attachment_and_404s_others(
    client, report, sj_clerk, outsider, pdf
):
    attachment = attachment_upload(report=report, file=pdf(BODY), actor=sj_clerk)
    url = reverse("inspections:attachment_download", args=[attachment.pk])
    client.force_login(sj_clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert BODY.encode() in b"".join(response.streaming_content)
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 404


def test_the_orphan_sweep_keeps_attachment_blobs(data_dir, report, sj_clerk, pdf):
    attachment = attachment_upload(report=report, file=pdf(), actor=sj_clerk)
    orphan = data_dir / "evidence" / ("ab" * 32)
    orphan.write_bytes(b"XJF1 left by a killed worker")
    old = time.time() - 3 * 24 * 3600
    for path in blobs(data_dir):
        os.utime(path, (old, old))
    assert sweep_orphan_files() == 1
    assert [p.name for p in blobs(data_dir)] == [attachment.blob_name]
