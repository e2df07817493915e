"""Date formatting conventions: 2026年11月27日 in documents, 2026-11-27 in tables."""

from __future__ import annotations

from datetime import date


def cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: date) -> str:
    return value.isoformat()
