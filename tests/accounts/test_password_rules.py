"""Password rules and the forced change at first login (等保 2.0 level 3)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from xianjie.accounts.models import User
from xianjie.audit.models import AuditEntry

from ..factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "Xin-Mima-2026"


def _messages(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@pytest.mark.parametrize(
    "password", ["Abcdefg1", "abcdef1!", "ABCDEF1!", "Abcdefg!", "宋体Ab12xyz"]
)
def test_password_with_three_kinds_accepted(password):
    assert _messages(password) == []


@pytest.mark.parametrize("password", ["abcdefgh1", "ABCDEFGH", "abcdefgh", "12345678!"])
def test_password_with_fewer_than_three_kinds_refused(password):
    assert "密码须至少包含大写字母、小写字母、数字、符号中的3类。" in _messages(password)


def test_password_shorter_than_eight_refused():
    assert _messages("Ab1!xyz") == ["密码长度太短，至少须8个字符。"]


@pytest.mark.parametrize("password", ["Zhang.San1", "xx-ZHANG.SAN-2026", "zhang.san"])
def test_password_containing_username_refused(password):
    user = User(username="zhang.san")
    assert "密码不能与用户名相同，也不能包含用户名。" in _messages(password, user)


def test_password_without_username_accepted_for_that_user():
    assert _messages("Good-Pass-2026", User(username="zhang.san")) == []


@pytest.fixture
def new_account(county):
    """An account just opened by the system administrator, with a password they chose."""
    return UserFactory(username="li.si", org=county["jw"], must_change_password=True)


def _login(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD})


def test_first_login_every_page_redirects_to_password_change(client, new_account):
    _login(client, "li.si")
    for url in ("/", reverse("accounts:otp_setup"), reverse("accounts:security_policy")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert "须先修改密码才能继续使用系统" in page.content.decode()


def test_first_login_password_change_lifts_the_obligation(client, new_account):
    _login(client, "li.si")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    new_account.refresh_from_db()
    assert new_account.must_change_password is False
    assert new_account.password_changed_at is not None
    assert new_account.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor_id == new_account.pk
    assert entry.payload == {"forced": True}
    # Still logged in with the same browser, and no longer sent to the password page.
    assert client.get(reverse("accounts:otp_setup")).status_code == 200


def test_password_change_errors_listed_and_nothing_changed(client, new_account):
    _login(client, "li.si")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "li.si-abc", "new_password2": "other"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "当前密码不正确。" in body
    assert "密码不能与用户名相同，也不能包含用户名。" in body
    assert "两次输入的新密码不一致。" in body
    new_account.refresh_from_db()
    assert new_account.must_change_password is True
    assert new_account.check_password(TEST_PASSWORD)
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


def test_logout_allowed_before_password_change(client, new_account):
    _login(client, "li.si")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
