"""The policy document as received (an OCR, tests/catalog/data/) and its OCR slips corrected as
the seed's README lists them, parsed independently of the migration that seeds the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).parent / "data" / "wenshui-2025-5-mechanism.txt"

#: OCR slips (seed README): a dropped 行 in 第十三条（二）.
CORRECTIONS = {"未实行政裁量权基准制度": "未实行行政裁量权基准制度"}

_ITEM = re.compile(r"^(?:-\s*)?[（(]([一二三四五六七八九十]+)[)）]\s*(.+)$")
_CN = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def _number(cn: str) -> int:
    if cn == "十":
        return 10
    if cn.startswith("十"):
        return 10 + _CN[cn[1:]]
    return _CN[cn]


def article_text(article: str) -> str:
    """The body of **第N条** up to the next article."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index(f"**{article}**")
    end = text.find("**第", start + 2)
    return text[start : end if end != -1 else None]


def article_items(article: str) -> dict[int, str]:
    """{item number: corrected text} of an article's numbered list."""
    items = {}
    for line in article_text(article).splitlines():
        match = _ITEM.match(line.strip())
        if match:
            text = match.group(2).strip().rstrip("；;。")
            for wrong, right in CORRECTIONS.items():
                text = text.replace(wrong, right)
            items[_number(match.group(1))] = text
    return items
