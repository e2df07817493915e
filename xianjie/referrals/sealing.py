"""Field encryption of one referral under its own data key (第十一条 tier 3 at rest).

Each referral's data key is unwrapped once per loaded instance and kept on it, so a page that
shows a referral unwraps one key, not one per field.
"""

from __future__ import annotations

from xianjie.core import crypto

from .models import Referral


def new_wrapped_key() -> str:
    return crypto.wrap_data_key(crypto.new_data_key())


def data_key(referral: Referral) -> bytes:
    key = getattr(referral, "_data_key", None)
    if key is None:
        key = crypto.unwrap_data_key(referral.wrapped_key)
        referral._data_key = key  # type: ignore[attr-defined]
    return key


def seal(referral: Referral, field: str, text: str) -> str:
    """Encrypt `text` bound to this referral and field; empty stays empty."""
    if not text:
        return ""
    return crypto.encrypt_text(data_key(referral), text, context=f"referral:{referral.pk}:{field}")


def unseal(referral: Referral, field: str, token: str) -> str:
    if not token:
        return ""
    return crypto.decrypt_text(data_key(referral), token, context=f"referral:{referral.pk}:{field}")


def cert_index(cert_no: str) -> str:
    """Keyed blind index of a certificate number: equal numbers match, nothing is revealed."""
    return crypto.blind_index(cert_no, purpose="cert_no") if cert_no.strip() else ""


def name_index(name: str) -> str:
    return crypto.blind_index(name, purpose="subject_name") if name.strip() else ""
