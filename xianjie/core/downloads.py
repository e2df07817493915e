"""The Content-Disposition of a download, shared by every app that serves files."""

from __future__ import annotations

import re
from urllib.parse import quote


def attachment_disposition(filename: str, fallback_stem: str) -> str:
    """Content-Disposition for a download: the UTF-8 name per RFC 6266/5987 (filename*), and for
    old clients a plain name — the name itself when it is ASCII, else `fallback_stem` with the
    extension (a half-transliterated Chinese name would only mislead)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    if not filename.isascii():
        stem = fallback_stem
    plain_stem = re.sub(r"[^A-Za-z0-9._ ()-]", "_", stem)
    plain_extension = re.sub(r"[^A-Za-z0-9]", "", extension)
    plain = f"{plain_stem}.{plain_extension}" if plain_extension else plain_stem
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
