"""Binding a TOTP device (动态口令): the second factor of 等保 2.0 level 3.

The secret is offered first (as a QR code and in base32) and the device is saved only once the
user has typed a code made from it, so a half-finished binding never locks anyone out.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import segno
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from xianjie.accounts.models import User
from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, InvalidInput

DEVICE_NAME = "手机令牌"
#: Codes one step (30 s) before or after the current one are accepted, for phone clock skew.
TOLERANCE = 1


def otp_new_key() -> str:
    """A fresh 20-byte secret, hex-encoded as TOTPDevice stores it."""
    return random_hex(20)


def otp_secret_base32(key: str) -> str:
    """The secret as authenticator apps take it when typed by hand, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otp_provisioning_uri(user: Any, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def otp_qr_svg(uri: str) -> str:
    """The provisioning address as an inline SVG QR code: made here, no outside service."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _matching_step(key: str, token: str) -> int | None:
    try:
        code = int(token)
    except ValueError:
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if not totp.verify(code, tolerance=TOLERANCE):
        return None
    return totp.t()


def otp_device_confirm(*, actor: Any, key: str, token: str) -> TOTPDevice:
    """Bind the device whose secret is `key`, once `token` proves the user's app holds it."""
    token = "".join((token or "").split())
    if not (len(token) == 6 and token.isdigit()):
        raise InvalidInput(errors={"otp": ["请输入手机令牌上显示的6位数字动态口令。"]})
    step = _matching_step(key, token)
    if step is None:
        raise InvalidInput(
            errors={"otp": ["动态口令不正确，请确认手机时间准确后输入最新的动态口令。"]}
        )
    with transaction.atomic():
        # The user row serialises two confirmations racing from two browser tabs.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if TOTPDevice.objects.filter(user_id=actor.pk, confirmed=True).exists():
            raise Conflict("您已绑定动态口令，无须重复绑定。")
        # last_t = the step just used, so the same code cannot log in a second time.
        device = TOTPDevice.objects.create(
            user_id=actor.pk, name=DEVICE_NAME, key=key, confirmed=True, last_t=step
        )
        audit_record(actor=actor, action="otp_device.confirm", obj=device)
    return device
