"""login_attempt for the API token endpoint (channel "api"): no session, one call, same rules."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xianjie.accounts.models import SecurityPolicy, User
from xianjie.accounts.security import (
    AccountLocked,
    OtpEnrolmentRequired,
    OtpRequired,
    PasswordChangeRequired,
    login_attempt,
)
from xianjie.audit.models import LoginEvent
from xianjie.core.errors import InvalidInput

from ..factories import TEST_PASSWORD


@pytest.fixture
def api_request(rf):
    def make(address="10.2.0.1"):
        return rf.post("/api/v1/auth/token", REMOTE_ADDR=address, HTTP_USER_AGENT="curl/8.5")

    return make


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(
        datetime(2026, 3, 2, 9, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return time_machine


def _attempt(request, username="jw.clerk", password=TEST_PASSWORD, otp=None):
    return login_attempt(
        request=request, username=username, password=password, otp=otp, channel="api"
    )


def test_login_api_right_password_answers_the_user(api_request, jw_clerk):
    assert _attempt(api_request()) == jw_clerk
    event = LoginEvent.objects.get()
    assert (event.success, event.channel, event.ip_address, event.user_agent) == (
        True,
        "api",
        "10.2.0.1",
        "curl/8.5",
    )
    jw_clerk.refresh_from_db()
    assert jw_clerk.last_login is not None


def test_login_api_wrong_password_refused(api_request, jw_clerk):
    with pytest.raises(InvalidInput) as exc:
        _attempt(api_request(), password="Wrong-2026-xj")
    assert exc.value.detail == "用户名或密码错误。"
    assert exc.value.status == 400
    assert LoginEvent.objects.get().channel == "api"


def test_login_api_locked_after_five_failures(api_request, clock, jw_clerk):
    for _ in range(4):
        with pytest.raises(InvalidInput):
            _attempt(api_request(), password="Wrong-2026-xj")
    with pytest.raises(AccountLocked) as exc:
        _attempt(api_request(), password="Wrong-2026-xj")
    assert exc.value.status == 403
    assert exc.value.detail == "登录失败次数过多，账户已被锁定，请10分钟后再试。"
    with pytest.raises(AccountLocked):
        _attempt(api_request())


def test_login_api_success_resets_the_failure_count(api_request, clock, jw_clerk):
    for _ in range(4):
        with pytest.raises(InvalidInput):
            _attempt(api_request(), password="Wrong-2026-xj")
    _attempt(api_request())
    for _ in range(4):
        with pytest.raises(InvalidInput):
            _attempt(api_request(), password="Wrong-2026-xj")


@pytest.fixture
def device(jw_clerk):
    return TOTPDevice.objects.create(user=jw_clerk, name="手机令牌", confirmed=True)


def test_login_api_otp_missing_refused_with_401(api_request, clock, device):
    with pytest.raises(OtpRequired) as exc:
        _attempt(api_request())
    assert exc.value.status == 401
    assert exc.value.errors == {"otp": ["请输入动态口令。"]}
    assert LoginEvent.objects.get().reason == "未提供动态口令"


def test_login_api_otp_wrong_refused(api_request, clock, device):
    with pytest.raises(InvalidInput) as exc:
        _attempt(api_request(), otp="000000")
    assert exc.value.errors == {"otp": ["动态口令错误，请重新输入。"]}


def test_login_api_otp_right_accepted(api_request, clock, jw_clerk, device):
    assert _attempt(api_request(), otp=f"{totp(device.bin_key):06d}") == jw_clerk


def test_login_api_required_but_unbound_refused(api_request, jw_clerk):
    SecurityPolicy.objects.create(
        lockout_failures=5, lockout_minutes=10, idle_minutes=30, otp_roles=["clerk"]
    )
    with pytest.raises(OtpEnrolmentRequired) as exc:
        _attempt(api_request())
    assert exc.value.status == 403
    assert "请先登录网页端绑定动态口令" in exc.value.detail
    assert LoginEvent.objects.get().reason == "未绑定动态口令"


def test_login_api_initial_password_refused(api_request, jw_clerk):
    User.objects.filter(pk=jw_clerk.pk).update(must_change_password=True)
    with pytest.raises(PasswordChangeRequired) as exc:
        _attempt(api_request())
    assert "修改初始密码" in exc.value.detail


@pytest.mark.parametrize("username", ["x" * 300, "jw.clerk\x00"])
def test_login_api_impossible_username_refused_like_a_wrong_one(api_request, jw_clerk, username):
    with pytest.raises(InvalidInput) as exc:
        _attempt(api_request(), username=username)
    assert exc.value.detail == "用户名或密码错误。"
    assert LoginEvent.objects.get().success is False
