"""Visible watermarks on tier 3 files downloaded under an access grant (第十一条 严格审批共享).

A file that leaves the platform under a grant carries who took it, from which org, when, and
under which grant — tiled diagonally over every page of a PDF and over the whole of an image, so
that no crop or single page escapes it. Only types that can carry such a mark are served: a file
that cannot be marked (a document of another type, an encrypted or unreadable PDF, an image that
does not decode) is refused rather than handed out unmarked.

PDFs get a text layer in the standard CID font STSong-Light, which every PDF reader knows, so no
font file is needed and the mark stays extractable text. Images need a CJK font file for the
Chinese part: settings.WATERMARK_FONT, else the usual Debian paths; without one the ASCII part
of the text (user name and time) is drawn in Pillow's own font, so an image is always marked.
"""

from __future__ import annotations

import functools
import io
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from xianjie.core.errors import ServiceError

PDF = "application/pdf"
#: Image types the evidence store accepts (referrals/evidence/filetypes.py), by Pillow format.
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
PDF_FONT = "STSong-Light"
#: CJK fonts of the usual Debian packages (fonts-noto-cjk, fonts-wqy-zenhei, fonts-arphic-*).
FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
ANGLE = 30
#: Grey at low opacity: lighter than dark content, darker than light content, readable over both.
PDF_GREY, PDF_ALPHA = 0.45, 0.22
IMAGE_FILL = (128, 128, 128, 110)
IMAGE_STROKE = (255, 255, 255, 60)


class WatermarkFailed(ServiceError):
    """The file cannot carry a watermark (encrypted, damaged, or not what its type says), so it
    is not served under a grant. 409: the request is sound; the stored file cannot be marked."""

    status = 409
    default_detail = "该文件已加密或无法解析，无法加注水印，授权调阅时不提供下载。"


def can_watermark(content_type: str) -> bool:
    return content_type == PDF or content_type in IMAGE_FORMATS


def watermark_text(user: Any, grant: Any, now: datetime | None = None) -> str:
    """Who took the file, from which org, when, and under which grant."""
    at = timezone.localtime(now or timezone.now())
    org = user.org.name if user.org_id else ""
    return f"{user.display_name} {user.username} {org} {at:%Y-%m-%d %H:%M} 授权调阅#{grant.pk}"


def watermark(data: bytes, content_type: str, text: str) -> bytes:
    """The file with `text` over all of it; WatermarkFailed for a type or file that cannot be
    marked."""
    if content_type == PDF:
        return watermark_pdf(data, text)
    if content_type in IMAGE_FORMATS:
        return watermark_image(data, content_type, text)
    raise WatermarkFailed("该类型文件无法加注水印，授权调阅时不提供下载。")


# --- PDF.


def watermark_pdf(data: bytes, text: str) -> bytes:
    """Every page with a tiled, rotated, semi-transparent text layer merged on top."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Decrypting would hand out a copy without the restrictions its author set.
            raise WatermarkFailed("该PDF文件已加密，无法加注水印，授权调阅时不提供下载。")
        writer = PdfWriter(clone_from=reader)
        marks: dict[tuple[float, float], Any] = {}
        for page in writer.pages:
            box = page.mediabox
            size = (float(box.width), float(box.height))
            if size not in marks:
                marks[size] = _pdf_mark(text, *size)
            page.merge_transformed_page(
                marks[size], Transformation().translate(float(box.left), float(box.bottom))
            )
        if not writer.pages:
            raise WatermarkFailed()
        out = io.BytesIO()
        writer.write(out)
    except WatermarkFailed:
        raise
    except Exception as error:  # pypdf raises many kinds of error on a damaged or hostile file
        raise WatermarkFailed() from error
    return out.getvalue()


@functools.cache
def _register_pdf_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def _pdf_mark(text: str, width: float, height: float) -> Any:
    """One page of `width` × `height` points holding the tiled mark."""
    _register_pdf_font()
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height))
    # Drawn once into a form XObject that the page only references: merging the page into
    # every page of a long file then copies one short operator instead of re-parsing the tiles.
    sheet.beginForm("xianjie-mark", lowerx=0, lowery=0, upperx=width, uppery=height)
    size = max(9.0, min(16.0, min(width, height) / 40))
    sheet.setFont(PDF_FONT, size)
    step_x = pdfmetrics.stringWidth(text, PDF_FONT, size) + size * 4
    step_y = size * 7
    # Rotated about the centre; rows long enough to cover the page's diagonal in every direction.
    reach = math.hypot(width, height) / 2 + step_x
    sheet.translate(width / 2, height / 2)
    sheet.rotate(ANGLE)
    row = 0
    y = -reach
    while y <= reach:
        x = -reach - (step_x / 2 if row % 2 else 0)
        while x <= reach:
            sheet.drawString(x, y, text)
            x += step_x
        y += step_y
        row += 1
    sheet.endForm()
    # The colour and transparency are set where the form is drawn: it inherits them, and the
    # page's resources (not the form's) hold the transparency state.
    sheet.setFillColorRGB(PDF_GREY, PDF_GREY, PDF_GREY, alpha=PDF_ALPHA)
    sheet.doForm("xianjie-mark")
    sheet.showPage()
    sheet.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


# --- Images.


def watermark_image(data: bytes, content_type: str, text: str) -> bytes:
    """The image, same size and format, with the text tiled diagonally over all of it."""
    image_format = IMAGE_FORMATS.get(content_type)
    if image_format is None:
        raise WatermarkFailed("该类型文件无法加注水印，授权调阅时不提供下载。")
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            marked = _marked(source, text)
            out = io.BytesIO()
            options: dict[str, Any] = {}
            for key in ("icc_profile", "exif", "dpi"):
                if source.info.get(key):
                    options[key] = source.info[key]
            if image_format == "JPEG":
                options["quality"] = 90
            marked.save(out, format=image_format, **options)
    except Exception as error:  # a damaged file, a decompression bomb, an unknown mode
        raise WatermarkFailed("该图片无法解析，无法加注水印，授权调阅时不提供下载。") from error
    return out.getvalue()


def _marked(source: Image.Image, text: str) -> Image.Image:
    width, height = source.size
    has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
    base = source.convert("RGBA")
    size = max(12, min(width, height) // 22)
    font, text = _image_font(text, size)
    layer = _tiles(text, font, size, width, height)
    result = Image.alpha_composite(base, layer)
    if source.format == "JPEG" or not has_alpha:
        # JPEG has no alpha; keep a grey or CMYK picture what it was.
        mode = source.mode if source.mode in ("L", "RGB", "CMYK") else "RGB"
        return result.convert(mode)
    return result


def _tiles(text: str, font: Any, size: int, width: int, height: int) -> Image.Image:
    """A transparent layer of `width` × `height` with `text` in rotated rows over all of it:
    one rotated copy of the text, composited along the rows (memory stays that of the image)."""
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    stroke = max(1, size // 14)
    left, top, right, bottom = probe.textbbox((0, 0), text, font=font, stroke_width=stroke)
    box = (math.ceil(right - left) + 2, math.ceil(bottom - top) + 2)
    flat = Image.new("RGBA", box, (0, 0, 0, 0))
    ImageDraw.Draw(flat).text(
        (1 - left, 1 - top),
        text,
        font=font,
        fill=IMAGE_FILL,
        stroke_width=stroke,
        stroke_fill=IMAGE_STROKE,
    )
    tile = flat.rotate(ANGLE, resample=Image.Resampling.BICUBIC, expand=True)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    # Row and column steps in the rotated frame; the frame's axes in image coordinates (y down).
    step_u, step_v = flat.width + size * 3, size * 4
    cos, sin = math.cos(math.radians(ANGLE)), math.sin(math.radians(ANGLE))
    reach = math.hypot(width, height) / 2 + flat.width
    rows, columns = int(reach // step_v) + 1, int(reach // step_u) + 1
    for row in range(-rows, rows + 1):
        shift = step_u / 2 if row % 2 else 0.0
        for column in range(-columns, columns + 1):
            u, v = column * step_u + shift, row * step_v
            x = width / 2 + u * cos + v * sin - tile.width / 2
            y = height / 2 - u * sin + v * cos - tile.height / 2
            left, top = round(x), round(y)
            if left < width and top < height and left + tile.width > 0 and top + tile.height > 0:
                # Composited, not pasted through its own alpha (which would square the opacity);
                # a copy hanging over the top or left edge is cut to the part inside.
                layer.alpha_composite(
                    tile, (max(0, left), max(0, top)), (max(0, -left), max(0, -top))
                )
    return layer


def _image_font(text: str, size: int) -> tuple[Any, str]:
    """A CJK font at `size` and the full text; else Pillow's own font and the text's ASCII part
    (the user name and the time), so that an image is never left unmarked."""
    for path in _font_candidates():
        try:
            return ImageFont.truetype(path, size), text
        except OSError:
            continue
    ascii_text = " ".join("".join(c if c.isascii() else " " for c in text).split())
    return ImageFont.load_default(size=size), ascii_text


def _font_candidates() -> list[str]:
    configured = str(getattr(settings, "WATERMARK_FONT", "") or "")
    paths = [configured] if configured else []
    return paths + [path for path in FONT_PATHS if Path(path).is_file()]
