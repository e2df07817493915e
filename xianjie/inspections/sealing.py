"""Encryption of the inspection app's sealed fields: each sealed row (a finding, a draw's seed, a
file) has its own data key wrapped by the master key; each text is bound to its row and field."""

from __future__ import annotations

from typing import Any

from xianjie.core import crypto


def new_wrapped_key() -> str:
    return crypto.wrap_data_key(crypto.new_data_key())


def data_key(row: Any) -> bytes:
    key = getattr(row, "_data_key", None)
    if key is None:
        key = crypto.unwrap_data_key(row.wrapped_key)
        row._data_key = key
    return key


def _context(row: Any, field: str) -> str:
    return f"inspections.{type(row).__name__.lower()}:{row.pk}:{field}"


def seal(row: Any, field: str, text: str) -> str:
    """Encrypt `text` bound to this row and field; empty stays empty. The row must be saved."""
    if not text:
        return ""
    return crypto.encrypt_text(data_key(row), text, context=_context(row, field))


def unseal(row: Any, field: str, token: str) -> str:
    if not token:
        return ""
    return crypto.decrypt_text(data_key(row), token, context=_context(row, field))
