"""Lockout after repeated failures, per account and per address (等保 2.0 登录失败处理)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from xianjie.accounts.models import SecurityPolicy
from xianjie.accounts.views.auth import lockout_response
from xianjie.audit.models import LoginEvent

from ..factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WRONG = "Wrong-2026-xj"
LOCKED_MESSAGE = "登录失败次数过多，账户已被锁定，请10分钟后再试。"


def _login(client, username, password=TEST_PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username, times, address="10.0.0.1"):
    return [_login(client, username, WRONG, address) for _ in range(times)]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_lockout_fifth_failure_locks_with_chinese_page(client, clock, jw_clerk):
    responses = _fail(client, "jw.clerk", 5)
    assert [r.status_code for r in responses] == [400, 400, 400, 400, 403]
    body = responses[-1].content.decode()
    assert LOCKED_MESSAGE in body
    assert "账户已锁定" in body
    reasons = list(LoginEvent.objects.order_by("pk").values_list("reason", flat=True))
    assert reasons == ["用户名或密码错误"] * 4 + ["账户已锁定"]


def test_lockout_refuses_right_password_within_ten_minutes(client, clock, jw_clerk):
    _fail(client, "jw.clerk", 5)
    clock.shift(timedelta(minutes=9, seconds=59))
    response = _login(client, "jw.clerk")
    assert response.status_code == 403
    assert LOCKED_MESSAGE in response.content.decode()
    assert not _logged_in(client)
    assert not LoginEvent.objects.filter(success=True).exists()


def test_lockout_ends_after_ten_minutes(client, clock, jw_clerk):
    _fail(client, "jw.clerk", 5)
    clock.shift(timedelta(minutes=10, seconds=1))
    response = _login(client, "jw.clerk")
    assert response.status_code == 302
    assert _logged_in(client)


def test_lockout_four_failures_do_not_lock(client, clock, jw_clerk):
    _fail(client, "jw.clerk", 4)
    assert _login(client, "jw.clerk").status_code == 302


def test_lockout_success_resets_the_count(client, clock, jw_clerk):
    _fail(client, "jw.clerk", 4)
    _login(client, "jw.clerk")
    client.post(reverse("accounts:logout"))
    responses = _fail(client, "jw.clerk", 4)
    assert [r.status_code for r in responses] == [400] * 4


def test_lockout_per_account_from_any_address(client, clock, jw_clerk):
    for n in range(5):
        _login(client, "jw.clerk", WRONG, address=f"10.0.1.{n}")
    response = _login(client, "jw.clerk", address="10.0.9.9")
    assert response.status_code == 403
    assert not _logged_in(client)


def test_lockout_per_address_for_any_account(client, clock, jw_clerk, sf_clerk):
    for name in ("a.one", "b.two", "c.three", "d.four", "e.five"):
        _login(client, name, WRONG, address="10.0.0.7")
    response = _login(client, "sf.clerk", address="10.0.0.7")
    assert response.status_code == 403
    assert not _logged_in(client)
    # The same account from another address is not locked: only the address is.
    assert _login(client, "sf.clerk", address="10.0.0.8").status_code == 302


def test_lockout_follows_the_policy(client, clock, jw_clerk):
    SecurityPolicy.objects.create(
        lockout_failures=3, lockout_minutes=30, idle_minutes=30, otp_roles=[]
    )
    responses = _fail(client, "jw.clerk", 3)
    assert responses[-1].status_code == 403
    assert "请30分钟后再试" in responses[-1].content.decode()
    clock.shift(timedelta(minutes=20))
    assert _login(client, "jw.clerk").status_code == 403
    clock.shift(timedelta(minutes=31))
    assert _login(client, "jw.clerk").status_code == 302


def test_lockout_answers_json_under_the_api(rf, db):
    """The lockout answer of axes itself (settings.AXES_LOCKOUT_CALLABLE) for an API request."""
    response = lockout_response(rf.post("/api/v1/auth/token"), None, {"username": "jw.clerk"})
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": LOCKED_MESSAGE, "errors": {}}
