"""Idle session timeout (等保 2.0 登录连接超时自动退出)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from xianjie.accounts.models import SecurityPolicy

from ..factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
PAGE = reverse("accounts:password_change")
TIMED_OUT = "会话已超时，请重新登录。"


@pytest.fixture
def logged_in(client, time_machine, jw_clerk):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    client.post(LOGIN, {"username": "jw.clerk", "password": TEST_PASSWORD})
    return time_machine


def test_session_alive_before_thirty_idle_minutes(client, logged_in):
    logged_in.shift(timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200


def test_session_activity_keeps_it_alive(client, logged_in):
    for _ in range(3):
        logged_in.shift(timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200


def test_session_expires_after_thirty_idle_minutes(client, logged_in):
    logged_in.shift(timedelta(minutes=30, seconds=1))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    page = client.get(response["Location"])
    assert TIMED_OUT in page.content.decode()
    # Said once: the next visit to the login page is a plain one.
    assert TIMED_OUT not in client.get(LOGIN).content.decode()


def test_session_idle_minutes_follow_the_policy(client, logged_in):
    SecurityPolicy.objects.create(
        lockout_failures=5, lockout_minutes=10, idle_minutes=10, otp_roles=[]
    )
    client.get(PAGE)
    logged_in.shift(timedelta(minutes=9))
    assert client.get(PAGE).status_code == 200
    logged_in.shift(timedelta(minutes=10, seconds=1))
    assert client.get(PAGE).status_code == 302


def test_session_login_page_plain_for_a_new_visitor(client, db):
    assert TIMED_OUT not in client.get(LOGIN).content.decode()
