"""Tiny real files of every accepted evidence type, made in memory for the tests."""

from __future__ import annotations

import io
import struct
import wave
import zipfile
import zlib
from collections.abc import Callable


def _png(text: bytes) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    comment = chunk(b"tEXt", b"Comment\x00" + text) if text else b""
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + comment + pixels + chunk(b"IEND", b"")


def _jpeg(text: bytes) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    return b"\xff\xd8" + app0 + comment + b"\xff\xd9"


def _pdf(text: bytes) -> bytes:
    return (
        b"%PDF-1.4\n%" + text + b"\n"
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0" encoding="UTF-8"?><Types/>'


def _wav(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\x00\x01" * 800 + text)
    return buffer.getvalue()


def _mp4(text: bytes) -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftyp" + b"isom" + struct.pack(">I", 0x200) + b"isommp42"
    payload = text or b"\x00" * 16
    return ftyp + struct.pack(">I", 8 + len(payload)) + b"mdat" + payload


#: MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def _mp3(text: bytes) -> bytes:
    # ID3v2.4 header: version, flags, syncsafe size of the tag body (the text, under 128 bytes).
    return b"ID3\x04\x00\x00" + bytes([0, 0, 0, len(text)]) + text + MP3_FRAME * 2


SAMPLES: dict[str, Callable[[bytes], bytes]] = {
    "pdf": _pdf,
    "jpeg": _jpeg,
    "png": _png,
    "ofd": lambda text: _zip(
        {
            "OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0">'
            b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            "Doc_0/Document.xml": b"<ofd:Document>" + text + b"</ofd:Document>",
        }
    ),
    "docx": lambda text: _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document><w:body>" + text + b"</w:body></w:document>",
        }
    ),
    "xlsx": lambda text: _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook><sheets/></workbook>",
            "xl/worksheets/sheet1.xml": b"<worksheet>" + text + b"</worksheet>",
        }
    ),
    "mp4": _mp4,
    "mp3": _mp3,
    "mp3_frames": lambda text: MP3_FRAME * 3,
    "wav": _wav,
}
