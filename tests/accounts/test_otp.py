"""The TOTP second factor (动态口令) at login and its binding (等保 2.0 双因素认证)."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xianjie.accounts.models import SecurityPolicy
from xianjie.audit.models import AuditEntry, LoginEvent

from ..factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
LOGIN_OTP = reverse("accounts:login_otp")
OTP_SETUP = reverse("accounts:otp_setup")
PAGE = reverse("accounts:password_change")


def code_for(key: bytes, offset_steps: int = 0) -> str:
    return f"{totp(key, drift=offset_steps):06d}"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(
        datetime(2026, 3, 2, 9, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return time_machine


@pytest.fixture
def clerk_policy(db):
    """The security administrator requires a second factor for clerks."""
    return SecurityPolicy.objects.create(
        lockout_failures=5, lockout_minutes=10, idle_minutes=30, otp_roles=["clerk"]
    )


@pytest.fixture
def device(jw_clerk):
    return TOTPDevice.objects.create(user=jw_clerk, name="手机令牌", confirmed=True)


def _password_step(client, username="jw.clerk"):
    return client.post(LOGIN, {"username": username, "password": TEST_PASSWORD})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_otp_password_alone_does_not_log_in(client, clock, clerk_policy, device):
    response = _password_step(client)
    assert response["Location"] == LOGIN_OTP
    assert not _logged_in(client)
    page = client.get(LOGIN_OTP).content.decode()
    assert 'name="otp"' in page
    assert ">验证</button>" in page
    # Nothing behind the login is reachable between the two steps.
    assert client.get(PAGE)["Location"].startswith(LOGIN)


def test_otp_valid_code_logs_in_verified(client, clock, clerk_policy, device):
    _password_step(client)
    response = client.post(LOGIN_OTP, {"otp": code_for(device.bin_key)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)
    assert client.get(PAGE).status_code == 200
    assert LoginEvent.objects.get().success is True


def test_otp_bad_code_refused_in_chinese(client, clock, clerk_policy, device):
    _password_step(client)
    response = client.post(LOGIN_OTP, {"otp": "000000"})
    assert response.status_code == 400
    assert "动态口令错误，请重新输入。" in response.content.decode()
    assert not _logged_in(client)
    event = LoginEvent.objects.get()
    assert (event.success, event.reason) == (False, "动态口令错误")


def test_otp_bad_codes_count_towards_lockout(client, clock, clerk_policy, device):
    _password_step(client)
    responses = []
    for _ in range(5):
        responses.append(client.post(LOGIN_OTP, {"otp": "000000"}))
        clock.shift(timedelta(seconds=20))  # past the device's own back-off
    assert [r.status_code for r in responses] == [400] * 4 + [403]
    assert "账户已被锁定" in responses[-1].content.decode()
    clock.shift(timedelta(minutes=1))
    assert _password_step(client).status_code == 403


def test_otp_right_code_too_soon_after_a_wrong_one_asks_to_wait(
    client, clock, clerk_policy, device
):
    _password_step(client)
    client.post(LOGIN_OTP, {"otp": "000000"})
    too_soon = client.post(LOGIN_OTP, {"otp": code_for(device.bin_key)})
    assert too_soon.status_code == 400
    assert "动态口令输入过于频繁，请稍候几秒再试。" in too_soon.content.decode()
    clock.shift(timedelta(seconds=2))
    assert client.post(LOGIN_OTP, {"otp": code_for(device.bin_key)})["Location"] == "/"
    reasons = list(LoginEvent.objects.order_by("pk").values_list("reason", flat=True))
    assert reasons == ["动态口令错误", "动态口令尝试过快", "登录成功"]


def test_otp_code_used_once_only(client, clock, clerk_policy, device):
    code = code_for(device.bin_key)
    _password_step(client)
    client.post(LOGIN_OTP, {"otp": code})
    client.post(reverse("accounts:logout"))
    _password_step(client)
    assert client.post(LOGIN_OTP, {"otp": code}).status_code == 400


def test_otp_step_expires_after_five_minutes(client, clock, clerk_policy, device):
    _password_step(client)
    clock.shift(timedelta(minutes=5, seconds=1))
    response = client.post(LOGIN_OTP, {"otp": code_for(device.bin_key)})
    assert response["Location"] == LOGIN
    assert not _logged_in(client)


def test_otp_step_without_password_step_goes_to_login(client, db):
    assert client.get(LOGIN_OTP)["Location"] == LOGIN


def test_otp_bound_device_asked_for_even_without_policy(client, clock, device):
    assert _password_step(client)["Location"] == LOGIN_OTP


def test_otp_session_not_verified_is_not_accepted(client, clock, jw_clerk, device):
    """A session that never gave the code (here one opened without it) is ended."""
    client.force_login(jw_clerk)
    response = client.get(PAGE)
    assert response["Location"] == LOGIN
    assert not _logged_in(client)


def _secret_on_page(body: str) -> bytes:
    match = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', body)
    assert match, "base32 secret shown"
    return b32decode(match.group(1).replace(" ", ""))


def test_otp_required_role_without_device_must_bind_first(client, clock, clerk_policy, jw_clerk):
    response = _password_step(client)
    assert _logged_in(client)
    assert client.get(response["Location"])["Location"] == OTP_SETUP
    assert client.get(reverse("accounts:security_policy"))["Location"] == OTP_SETUP
    page = client.get(OTP_SETUP)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body
    assert "须使用动态口令登录" in body
    key = _secret_on_page(body)
    assert not TOTPDevice.objects.filter(user=jw_clerk).exists()

    bad = client.post(OTP_SETUP, {"otp": "123456" if code_for(key) != "123456" else "654321"})
    assert bad.status_code == 400
    assert "动态口令不正确" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=jw_clerk).exists()

    done = client.post(OTP_SETUP, {"otp": code_for(key)})
    assert done["Location"] == "/"
    bound = TOTPDevice.objects.get(user=jw_clerk)
    assert bound.confirmed and bound.bin_key == key
    assert AuditEntry.objects.filter(action="otp_device.confirm", actor=jw_clerk).count() == 1
    # This session proved the device, so it goes on.
    assert client.get(PAGE).status_code == 200


def test_otp_voluntary_binding_then_asked_at_login(client, clock, jw_clerk):
    _password_step(client)
    body = client.get(OTP_SETUP).content.decode()
    assert "须使用动态口令登录" not in body
    key = _secret_on_page(body)
    client.post(OTP_SETUP, {"otp": code_for(key)})
    client.post(reverse("accounts:logout"))
    clock.shift(timedelta(seconds=30))
    assert _password_step(client)["Location"] == LOGIN_OTP


def test_otp_setup_page_shows_binding_once_bound(client, clock, jw_clerk, device):
    _password_step(client)
    client.post(LOGIN_OTP, {"otp": code_for(device.bin_key)})
    body = client.get(OTP_SETUP).content.decode()
    assert "您已绑定动态口令" in body
    assert "<svg" not in body
