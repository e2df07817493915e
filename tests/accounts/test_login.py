"""The web login and the login log (等保 2.0 level 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xianjie.accounts.models import User
from xianjie.audit.models import LoginEvent

from ..factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) 测试浏览器"


def _login(client, username, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_page_is_chinese(client, db):
    body = client.get(LOGIN).content.decode()
    assert 'name="username"' in body
    assert 'name="password"' in body
    assert ">登录</button>" in body


def test_login_correct_password_redirects_to_workbench(client, jw_clerk):
    response = _login(client, "jw.clerk", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(jw_clerk.pk)
    event = LoginEvent.objects.get()
    assert (event.username, event.user, event.success, event.channel) == (
        "jw.clerk",
        jw_clerk,
        True,
        "web",
    )
    assert (event.ip_address, event.user_agent, event.reason) == ("10.1.2.3", BROWSER, "登录成功")
    jw_clerk.refresh_from_db()
    assert jw_clerk.last_login is not None


def test_login_goes_to_the_page_asked_for(client, jw_clerk):
    response = client.post(
        f"{LOGIN}?next=/accounts/password/",
        {"username": "jw.clerk", "password": TEST_PASSWORD, "next": "/accounts/password/"},
    )
    assert response["Location"] == "/accounts/password/"


def test_login_ignores_next_to_another_site(client, jw_clerk):
    response = client.post(
        LOGIN, {"username": "jw.clerk", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_login_wrong_password_refused_in_chinese_and_logged(client, jw_clerk):
    response = _login(client, "jw.clerk", "Wrong-2026-xj", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 400
    body = response.content.decode()
    assert "用户名或密码错误。" in body
    assert 'value="jw.clerk"' in body
    assert "_auth_user_id" not in client.session
    event = LoginEvent.objects.get()
    assert (event.username, event.user, event.success, event.reason) == (
        "jw.clerk",
        jw_clerk,
        False,
        "用户名或密码错误",
    )
    assert event.ip_address == "10.1.2.3"


def test_login_unknown_user_gets_the_same_message(client, db):
    response = _login(client, "nobody")
    assert "用户名或密码错误。" in response.content.decode()
    event = LoginEvent.objects.get()
    assert (event.username, event.user, event.success) == ("nobody", None, False)


def test_login_inactive_user_gets_the_same_message(client, jw_clerk):
    User.objects.filter(pk=jw_clerk.pk).update(is_active=False)
    response = _login(client, "jw.clerk")
    assert response.status_code == 400
    assert "用户名或密码错误。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_empty_fields_listed(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 400
    assert response.content.decode().count("这个字段是必填项。") == 2
    assert not LoginEvent.objects.exists()


def test_logout_by_post_ends_the_session(client, jw_clerk):
    _login(client, "jw.clerk")
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    follow = client.get(LOGIN)
    assert "会话已超时" not in follow.content.decode()


def test_logout_by_get_refused(client, jw_clerk):
    _login(client, "jw.clerk")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(jw_clerk.pk)


@pytest.mark.parametrize("url_name", ["accounts:password_change", "accounts:otp_setup"])
def test_own_security_pages_need_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
