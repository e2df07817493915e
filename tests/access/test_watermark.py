"""The watermark itself (第十一条 严格审批共享): every page of a PDF and all of an image carry the
reader's mark, the file keeps its size, format and content, and a file that cannot be marked is
refused rather than passed through."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import reportlab
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from xianjie.access import watermark as wm
from xianjie.access.watermark import (
    WatermarkFailed,
    can_watermark,
    watermark,
    watermark_image,
    watermark_pdf,
    watermark_text,
)

pytestmark = pytest.mark.article(11)

MARK = "周敏 jy.clerk 文水县教育局法制股 2026-11-27 10:30 授权调阅#7"


def pdf_of(*sizes: tuple[float, float], origin: tuple[float, float] = (0, 0)) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for number, size in enumerate(sizes, start=1):
        sheet.setPageSize(size)
        sheet.drawString(40, 40, f"BODY-{number}")
        sheet.showPage()
    sheet.save()
    if origin == (0, 0):
        return buffer.getvalue()
    # Pages whose media box does not start at the origin (cropped scans do this).
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    for page in writer.pages:
        page.mediabox.lower_left = origin
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_of(image_format: str, mode: str = "RGB", size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    colour = (20, 30, 40, 255)[: len(mode)] if mode != "L" else 20
    Image.new(mode, size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


def changed_pixels(before: bytes, after: bytes) -> int:
    first = Image.open(io.BytesIO(before)).convert("L")
    second = Image.open(io.BytesIO(after)).convert("L")
    return sum(ImageChops.difference(first, second).histogram()[13:])


def test_the_mark_names_reader_username_org_time_and_grant():
    org = SimpleNamespace(name="文水县教育局法制股")
    user = SimpleNamespace(display_name="周敏", username="jy.clerk", org_id=1, org=org)
    at = datetime(2026, 11, 27, 2, 30, tzinfo=ZoneInfo("UTC"))
    assert watermark_text(user, SimpleNamespace(pk=7), at) == MARK


def test_only_pdf_png_and_jpeg_can_be_marked():
    assert can_watermark("application/pdf")
    assert can_watermark("image/png")
    assert can_watermark("image/jpeg")
    for other in ("application/ofd", "video/mp4", "audio/wav", "image/gif", ""):
        assert not can_watermark(other)
    with pytest.raises(WatermarkFailed):
        watermark(b"PK\x03\x04", "application/ofd", MARK)


def test_every_page_of_every_size_carries_the_mark_and_keeps_its_text():
    data = pdf_of((595, 842), (842, 595), (300, 300))
    pages = PdfReader(io.BytesIO(watermark_pdf(data, MARK))).pages
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"BODY-{number}" in text
        assert MARK in text
    assert [tuple(p.mediabox) for p in pages] == [
        tuple(p.mediabox) for p in PdfReader(io.BytesIO(data)).pages
    ]


def test_a_page_whose_box_is_not_at_the_origin_is_marked():
    data = pdf_of((400, 400), origin=(100, 100))
    page = PdfReader(io.BytesIO(watermark_pdf(data, MARK))).pages[0]
    assert MARK in page.extract_text()


def test_a_blank_page_without_a_content_stream_is_marked():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    blank = io.BytesIO()
    writer.write(blank)
    page = PdfReader(io.BytesIO(watermark_pdf(blank.getvalue(), MARK))).pages[0]
    assert MARK in page.extract_text()


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=io.BytesIO(pdf_of((595, 842))))
    writer.encrypt(user_password="reader", owner_password="owner", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(WatermarkFailed) as refusal:
        watermark_pdf(locked.getvalue(), MARK)
    assert refusal.value.status == 409
    assert "已加密" in refusal.value.detail


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot a pdf at all", b"%PDF-", b""])
def test_an_unreadable_pdf_is_refused(data):
    with pytest.raises(WatermarkFailed) as refusal:
        watermark_pdf(data, MARK)
    assert "无法加注水印" in refusal.value.detail


@pytest.mark.parametrize(
    ("image_format", "content_type", "mode"),
    [
        ("PNG", "image/png", "RGB"),
        ("PNG", "image/png", "RGBA"),
        ("PNG", "image/png", "L"),
        ("JPEG", "image/jpeg", "RGB"),
        ("JPEG", "image/jpeg", "L"),
    ],
)
def test_an_image_keeps_size_format_and_mode_and_is_marked(image_format, content_type, mode):
    data = image_of(image_format, mode)
    marked = watermark_image(data, content_type, MARK)
    result = Image.open(io.BytesIO(marked))
    assert (result.format, result.size, result.mode) == (image_format, (300, 200), mode)
    assert changed_pixels(data, marked) > 2_000


def test_a_large_photo_is_marked_across_all_of_it():
    data = image_of("JPEG", size=(2400, 1600))
    marked = Image.open(io.BytesIO(watermark_image(data, "image/jpeg", MARK))).convert("L")
    difference = ImageChops.difference(Image.open(io.BytesIO(data)).convert("L"), marked)
    for column in range(4):
        for row in range(4):
            box = (column * 600, row * 400, column * 600 + 600, row * 400 + 400)
            assert sum(difference.crop(box).histogram()[13:]) > 500


def test_without_a_cjk_font_the_ascii_part_is_still_drawn(monkeypatch, settings):
    settings.WATERMARK_FONT = "/nonexistent/font.ttc"
    monkeypatch.setattr(wm, "FONT_PATHS", ())
    _, text = wm._image_font(MARK, 20)
    assert text == "jy.clerk 2026-11-27 10:30 #7"
    data = image_of("PNG")
    assert changed_pixels(data, watermark_image(data, "image/png", MARK)) > 2_000


def test_the_configured_font_is_used_first(settings):
    # Any TrueType file will do to see that the setting wins; reportlab ships one.
    path = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
    settings.WATERMARK_FONT = path
    font, text = wm._image_font(MARK, 20)
    assert text == MARK
    assert font.path == path


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\nbroken", b""])
def test_an_undecodable_image_is_refused(data):
    with pytest.raises(WatermarkFailed):
        watermark_image(data, "image/png", MARK)
