"""Checks of free-text input shared by every app's services: each bad field gets its Chinese
message in `errors`, so that a service can report every bad field at once (InvalidInput)."""

from __future__ import annotations

from typing import Any


def clean_text(
    value: Any,
    *,
    field: str,
    label: str,
    limit: int,
    errors: dict[str, list[str]],
    required: bool = False,
) -> str:
    """`value` trimmed; "请填写…" when required and empty, "…不应超过N个字" when too long."""
    text = str(value or "").strip()
    if required and not text:
        errors.setdefault(field, []).append(f"请填写{label}。")
    elif len(text) > limit:
        errors.setdefault(field, []).append(f"{label}不应超过{limit}个字。")
    return text
