"""What an evidence file is, decided by its content (magic bytes) — never by its name or by the
content type the browser claims.

The allow-list is the formats case material comes in: scans and documents (PDF, OFD, DOCX,
XLSX), photographs (JPEG, PNG) and whole-process recordings (MP4, MP3, WAV). Anything else —
an executable renamed .pdf, an archive of other files, an empty file — is refused (415), and the
detected type, not the claimed one, is what the file is stored and served as.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from xianjie.core.errors import FileTypeRefused

#: Enough of the start of a file for every check below, including a second MPEG audio frame.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    #: Extensions a file of this type may carry; the first is the one given when it has none.
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
OFD = FileType("ofd", "OFD", "application/ofd", (".ofd",))
DOCX = FileType(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
JPEG = FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "PNG", "image/png", (".png",))
MP4 = FileType("mp4", "MP4", "video/mp4", (".mp4", ".m4v", ".m4a"))
MP3 = FileType("mp3", "MP3", "audio/mpeg", (".mp3",))
WAV = FileType("wav", "WAV", "audio/wav", (".wav",))

ACCEPTED: tuple[FileType, ...] = (PDF, OFD, DOCX, XLSX, JPEG, PNG, MP4, MP3, WAV)
ACCEPTED_LABELS = "、".join(kind.label for kind in ACCEPTED)

#: Zip containers accepted by the part that defines them (OFD: GB/T 33190; OOXML: ECMA-376).
ZIP_PARTS: tuple[tuple[FileType, frozenset[str]], ...] = (
    (OFD, frozenset({"OFD.xml"})),
    (DOCX, frozenset({"[Content_Types].xml", "word/document.xml"})),
    (XLSX, frozenset({"[Content_Types].xml", "xl/workbook.xml"})),
)

#: ISO BMFF brands of still images (HEIF, AVIF, camera raw), which share MP4's container.
IMAGE_BRANDS = frozenset(
    {b"mif1", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"avif", b"avis"}
    | {b"crx "}
)


def refused(reason: str) -> FileTypeRefused:
    detail = f"{reason}仅接受 {ACCEPTED_LABELS} 格式的文件（按文件内容识别，与文件名无关）。"
    return FileTypeRefused(detail, errors={"file": [detail]})


def detect(file: Any) -> FileType:
    """The type of a seekable file by its content; FileTypeRefused (415) when not accepted.

    The file is left positioned at its start.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if not head:
        raise refused("文件为空。")
    found = detect_head(head)
    if found is None and head.startswith(b"PK\x03\x04"):
        found = _zip_kind(file)
        file.seek(0)
    if found is None:
        raise refused("不支持此文件类型。")
    return found


def detect_head(head: bytes) -> FileType | None:
    """The type told by the first bytes alone; zip containers need the whole file (`detect`)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if _is_iso_media(head):
        return MP4
    if _is_id3(head) or _is_mpeg_audio(head):
        return MP3
    return None


def _zip_kind(file: Any) -> FileType | None:
    """Read only the archive's directory (no member is decompressed, so a zip bomb costs
    nothing); an archive that is none of the accepted containers is refused like any file."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except Exception:  # a damaged or hostile archive is simply not an accepted type
        return None
    for kind, parts in ZIP_PARTS:
        if parts <= names:
            return kind
    return None


def _is_iso_media(head: bytes) -> bool:
    """An ISO base media file starts with its `ftyp` box: size, 'ftyp', major brand, minor
    version, compatible brands."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    brand = head[8:12]
    return (
        16 <= size <= 4096
        and size % 4 == 0
        and all(0x20 <= byte < 0x7F for byte in brand)
        and brand not in IMAGE_BRANDS
    )


def _is_id3(head: bytes) -> bool:
    """An ID3v2 tag: 'ID3', major version 2 to 4, flags, and a four-byte syncsafe size."""
    return (
        len(head) >= 10
        and head[:3] == b"ID3"
        and head[3] in (2, 3, 4)
        and head[4] != 0xFF
        and all(byte < 0x80 for byte in head[6:10])
    )


# MPEG audio layer III: bit rates (kbit/s) by index and sample rates (Hz), by MPEG version.
_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mpeg_frame_length(head: bytes, offset: int) -> int | None:
    """The length of the layer III frame whose header starts at `offset`, or None."""
    header = head[offset : offset + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = (header[1] >> 3) & 0b11
    layer = (header[1] >> 1) & 0b11
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0b11
    if version == 1 or layer != 0b01 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrates = _BITRATES_V1 if version == 3 else _BITRATES_V2
    per_frame = 144 if version == 3 else 72
    padding = (header[2] >> 1) & 1
    sample_rate = _SAMPLE_RATES[version][rate_index]
    return per_frame * bitrates[bitrate_index] * 1000 // sample_rate + padding


def _is_mpeg_audio(head: bytes) -> bool:
    """A layer III frame header at the start, and — unless the file is shorter than one frame —
    another right after it, so that random bytes that happen to begin 0xFFE are not taken for
    audio."""
    length = _mpeg_frame_length(head, 0)
    if length is None:
        return False
    if len(head) < length + 4:
        return len(head) <= length
    return _mpeg_frame_length(head, length) is not None
