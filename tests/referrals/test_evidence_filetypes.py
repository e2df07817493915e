"""Evidence file types by content, file names on the way in and out (no database needed)."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest

from xianjie.core.errors import FileTypeRefused
from xianjie.referrals.evidence import filetypes
from xianjie.referrals.evidence.filenames import attachment_disposition, sanitise_filename

EXPECTED = {
    "pdf": filetypes.PDF,
    "jpeg": filetypes.JPEG,
    "png": filetypes.PNG,
    "ofd": filetypes.OFD,
    "docx": filetypes.DOCX,
    "xlsx": filetypes.XLSX,
    "mp4": filetypes.MP4,
    "mp3": filetypes.MP3,
    "mp3_frames": filetypes.MP3,
    "wav": filetypes.WAV,
}


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
    return buffer.getvalue()


REFUSED = {
    "exe": b"MZ\x90\x00\x03\x00\x00\x00"
    + b"\x00" * 56
    + b"This program cannot be run in DOS mode.",
    "elf": b"\x7fELF\x02\x01\x01" + b"\x00" * 64,
    "random": random.Random(20261127).randbytes(4096),
    "plain_zip": _zip("readme.txt", "data/table.csv"),
    "zip_with_document_but_no_content_types": _zip("word/document.xml"),
    "broken_zip": b"PK\x03\x04" + b"\x00" * 100,
    "old_word_doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "heic_photo": struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic",
    "lone_mpeg_sync": b"\xff\xfb\x90\x64" + b"\x01" * 2000,
    "aac_adts": b"\xff\xf1\x50\x80" + b"\x00" * 2000,
    "empty": b"",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_accepted_type_is_detected_by_content(sample_file, kind):
    assert filetypes.detect(io.BytesIO(sample_file(kind, "案情"))) == EXPECTED[kind]


def test_detect_leaves_the_file_at_its_start(sample_file):
    source = io.BytesIO(sample_file("docx"))
    source.seek(10)
    filetypes.detect(source)
    assert source.tell() == 0


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unaccepted_content_is_refused_with_the_accepted_list(name):
    with pytest.raises(FileTypeRefused) as refused:
        filetypes.detect(io.BytesIO(REFUSED[name]))
    assert refused.value.status == 415
    assert "PDF、OFD、DOCX、XLSX、JPEG、PNG、MP4、MP3、WAV" in refused.value.detail
    assert refused.value.errors["file"] == [refused.value.detail]


def test_empty_file_is_refused_as_empty():
    with pytest.raises(FileTypeRefused) as refused:
        filetypes.detect(io.BytesIO(b""))
    assert refused.value.detail.startswith("文件为空")


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("证据材料.pdf", filetypes.PDF, "证据材料.pdf"),
        ("现场照片.JPEG", filetypes.JPEG, "现场照片.jpeg"),
        ("../../etc/passwd.pdf", filetypes.PDF, "passwd.pdf"),
        ("C:\\Users\\张三\\执法记录.mp4", filetypes.MP4, "执法记录.mp4"),
        ("报告\u202efdp.exe", filetypes.PDF, "报告fdp.exe.pdf"),
        ("询问\x00笔录\r\n.docx", filetypes.DOCX, "询问笔录.docx"),
        ('a<b>c:d"e|f?g*.xlsx', filetypes.XLSX, "a_b_c_d_e_f_g_.xlsx"),
        ("照片.exe", filetypes.PNG, "照片.exe.png"),
        ("扫描件", filetypes.PDF, "扫描件.pdf"),
        ("", filetypes.WAV, "未命名文件.wav"),
        (None, filetypes.OFD, "未命名文件.ofd"),
        ("...", filetypes.PDF, "未命名文件.pdf"),
        ("CON.pdf", filetypes.PDF, "_CON.pdf"),
        ("  录音　第一段 .mp3", filetypes.MP3, "录音 第一段.mp3"),
    ],
)
def test_filename_is_sanitised(raw, kind, expected):
    assert sanitise_filename(raw, kind) == expected


def test_long_filename_keeps_its_extension():
    name = sanitise_filename("很长的文件名" * 50 + ".pdf", filetypes.PDF)
    assert len(name) == 120
    assert name.endswith(".pdf")
    assert name.startswith("很长的文件名")


def test_disposition_of_a_mixed_name_falls_back_to_the_id():
    header = attachment_disposition("询问笔录（第1次）.pdf", fallback_stem="evidence-7")
    assert header == (
        "attachment; filename=\"evidence-7.pdf\"; filename*=UTF-8''"
        "%E8%AF%A2%E9%97%AE%E7%AC%94%E5%BD%95%EF%BC%88%E7%AC%AC1%E6%AC%A1%EF%BC%89.pdf"
    )


def test_disposition_of_a_purely_chinese_name_falls_back_to_the_id():
    header = attachment_disposition("现场照片.jpg", fallback_stem="evidence-7")
    assert header == (
        'attachment; filename="evidence-7.jpg"; '
        "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg"
    )


def test_disposition_keeps_an_ascii_name():
    header = attachment_disposition("scan 2026-11.pdf", fallback_stem="evidence-7")
    assert header.startswith('attachment; filename="scan 2026-11.pdf"; ')
    assert header.endswith("filename*=UTF-8''scan%202026-11.pdf")
