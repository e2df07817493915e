"""Evidence file names: cleaned on the way in, encoded safely on the way out.

A name comes from the uploader's machine and is shown to the other side and offered as a download
name, so it must not carry a path, control or bidirectional-override characters (U+202E can make
"报告<U+202E>fdp.exe" read as "报告exe.pdf"), characters Windows refuses, or a device name. Chinese
characters are kept; the extension is kept when it fits the detected type, and the type's own
extension is appended when it does not, so the name never disguises what the file is.
"""

from __future__ import annotations

import re
import unicodedata

from xianjie.core.downloads import attachment_disposition

from .filetypes import FileType

__all__ = ["attachment_disposition", "sanitise_filename"]

MAX_FILENAME_CHARS = 120
UNNAMED = "未命名文件"

_FORBIDDEN = frozenset('<>:"/\\|?*')
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)


def sanitise_filename(raw: str | None, kind: FileType) -> str:
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    # Unicode category C: controls, format characters (bidi overrides, zero-width), surrogates,
    # private use and unassigned code points.
    name = "".join(
        "_" if char in _FORBIDDEN else char
        for char in name
        if not unicodedata.category(char).startswith("C")
    )
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension.lower()}" in kind.extensions:
        extension = f".{extension.lower()}"
    else:
        stem, extension = name, kind.extensions[0]
    stem = stem.strip(" .")
    if stem.split(".")[0].upper() in _DEVICE_NAMES:
        stem = f"_{stem}"
    stem = stem[: MAX_FILENAME_CHARS - len(extension)].rstrip(" .") or UNNAMED
    return stem + extension
