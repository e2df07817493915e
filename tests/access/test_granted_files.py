"""Files under an access grant (第十一条 严格审批共享): a download is watermarked with the reader's
name, org, time and grant, logged for the owner and audited; a file that cannot carry a mark is
not offered, one that fails its integrity check or cannot be marked is refused, never served."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from xianjie.access.models import AccessUse
from xianjie.audit.models import AuditEntry
from xianjie.referrals.evidence import evidence_upload
from xianjie.referrals.models import Referral

pytestmark = [pytest.mark.article(11), pytest.mark.usefixtures("data_dir")]

MOMENT = datetime(2026, 11, 27, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
ORIGINAL = "ORIGINAL-EVIDENCE-5521"


def pdf_bytes(pages: int = 2) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842))
    for number in range(pages):
        sheet.drawString(72, 760, f"{ORIGINAL} page {number + 1}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (250, 250, 245)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture
def files(make_referral, sj_clerk, sample_file):
    """A received referral with a PDF, a PNG, a JPEG and a DOCX: (referral, {kind: (evidence,
    data)})."""
    referral = make_referral(sender="sj", receiver="jw", status="draft", facts="案情")
    contents = {
        "pdf": ("询问笔录.pdf", pdf_bytes()),
        "png": ("现场照片.png", image_bytes("PNG")),
        "jpeg": ("现场照片.jpg", image_bytes("JPEG")),
        "docx": ("情况说明.docx", sample_file("docx", "情况说明")),
    }
    uploaded = {}
    for kind, (name, data) in contents.items():
        evidence = evidence_upload(
            referral=referral, actor=sj_clerk, file=SimpleUploadedFile(name, data)
        )
        uploaded[kind] = (evidence, data)
    Referral.objects.filter(pk=referral.pk).update(
        status="received", number="文市监法移〔2026〕90号", sent_at=timezone.now()
    )
    referral.refresh_from_db()
    return referral, uploaded


@pytest.fixture
def reader(outsider):
    outsider.full_name = "周敏"
    outsider.save(update_fields=["full_name"])
    return outsider


@pytest.fixture
def grant(make_grant, files, county, reader):
    referral, _ = files
    with time_machine.travel(MOMENT, tick=False):
        return make_grant("referral", referral, referral.number, county["jw"], reader)


def download(user, grant, evidence):
    client = Client()
    client.force_login(user)
    with time_machine.travel(MOMENT, tick=False):
        return client.get(reverse("access:granted_file", args=[grant.pk, evidence.pk]))


def test_downloaded_pdf_carries_reader_org_time_and_grant_on_every_page(files, grant, reader):
    evidence, _ = files[1]["pdf"]
    response = download(reader, grant, evidence)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2
    mark = f"周敏 jy.clerk 文水县教育局法制股 2026-11-27 10:30 授权调阅#{grant.pk}"
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"{ORIGINAL} page {number}" in text
        assert mark in text


def test_a_download_is_an_uncached_attachment_logged_and_audited(files, grant, reader):
    evidence, _ = files[1]["pdf"]
    response = download(reader, grant, evidence)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Length"] == str(len(response.content))
    use = AccessUse.objects.get(request=grant, use="download")
    assert (use.user, use.what) == (reader, "附件：询问笔录.pdf")
    entry = AuditEntry.objects.get(action="access.grant_use", actor_id=reader.pk)
    assert (entry.tier, entry.payload["use"]) == (3, "download")


@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_downloaded_image_is_marked_all_over_and_keeps_its_size_and_format(
    files, grant, reader, kind
):
    evidence, data = files[1][kind]
    response = download(reader, grant, evidence)
    assert response.status_code == 200
    original, marked = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(response.content))
    assert marked.format == original.format
    assert marked.size == original.size
    difference = ImageChops.difference(original.convert("L"), marked.convert("L"))
    # Pixels whose grey level moved by more than JPEG's own noise.
    assert sum(difference.histogram()[13:]) > 5_000
    # Tiled over the whole picture, not in one corner: each quarter carries some of the mark.
    width, height = marked.size
    for left, top in ((0, 0), (width // 2, 0), (0, height // 2), (width // 2, height // 2)):
        quarter = difference.crop((left, top, left + width // 2, top + height // 2))
        assert sum(quarter.histogram()[13:]) > 100
    assert AccessUse.objects.filter(request=grant, use="download").count() == 1


def test_a_docx_is_listed_but_never_downloadable(files, grant, reader):
    evidence, _ = files[1]["docx"]
    client = Client()
    client.force_login(reader)
    with time_machine.travel(MOMENT, tick=False):
        html = client.get(reverse("access:granted", args=[grant.pk])).content.decode()
    assert "情况说明.docx" in html
    assert "该类型文件无法加注水印，授权调阅时不提供下载" in html
    assert reverse("access:granted_file", args=[grant.pk, evidence.pk]) not in html
    assert download(reader, grant, evidence).status_code == 404
    assert not AccessUse.objects.filter(use="download").exists()


def test_a_corrupted_file_is_refused_audited_and_not_served(data_dir, files, grant, reader):
    evidence, _ = files[1]["pdf"]
    blob = data_dir / "evidence" / evidence.blob_name
    damaged = bytearray(blob.read_bytes())
    damaged[-20] ^= 0xFF
    blob.write_bytes(bytes(damaged))
    response = download(reader, grant, evidence)
    assert response.status_code == 409
    assert "校验未通过" in response.content.decode()
    assert ORIGINAL.encode() not in response.content
    assert not AccessUse.objects.filter(use="download").exists()
    entry = AuditEntry.objects.get(action="access.grant_file_refused")
    assert entry.payload["file"] == evidence.pk
    assert entry.payload["status"] == 409


def test_a_missing_blob_is_refused(data_dir, files, grant, reader):
    evidence, _ = files[1]["png"]
    (data_dir / "evidence" / evidence.blob_name).unlink()
    assert download(reader, grant, evidence).status_code == 409
    assert not AccessUse.objects.filter(use="download").exists()


def test_an_encrypted_pdf_is_refused_rather_than_served_unmarked(
    make_referral, make_grant, sj_clerk, county, reader
):
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(1)))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)
    referral = make_referral(sender="sj", receiver="jw", status="draft")
    evidence = evidence_upload(
        referral=referral,
        actor=sj_clerk,
        file=SimpleUploadedFile("加密.pdf", locked.getvalue()),
    )
    Referral.objects.filter(pk=referral.pk).update(
        status="received", number="文市监法移〔2026〕91号", sent_at=timezone.now()
    )
    with time_machine.travel(MOMENT, tick=False):
        grant = make_grant("referral", referral, "文市监法移〔2026〕91号", county["jw"], reader)
    response = download(reader, grant, evidence)
    assert response.status_code == 409
    assert "无法加注水印" in response.content.decode()
    assert not AccessUse.objects.filter(use="download").exists()


def test_parties_keep_their_own_unmarked_download(files, sj_clerk):
    """The watermark is the grant's: the two sides still download the exact bytes."""
    referral, uploaded = files
    evidence, data = uploaded["pdf"]
    client = Client()
    client.force_login(sj_clerk)
    url = reverse("referrals:evidence_download", args=[referral.pk, evidence.pk])
    assert b"".join(client.get(url).streaming_content) == data
