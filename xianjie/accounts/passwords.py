"""Password rules of 等保 2.0 level 3 (settings.AUTH_PASSWORD_VALIDATORS).

A password is long enough, mixes at least three kinds of character and does not contain the
username.
"""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CHARACTER_KINDS = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c in string.digits),
    # Anything else that is visible counts as a symbol, punctuation or not.
    ("符号", lambda c: not c.isspace() and c not in string.ascii_letters + string.digits),
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese: Django 5.2 reworded the message and its
    Simplified Chinese catalogue has not caught up, so the page would show English."""

    def get_error_message(self) -> str:
        return f"密码长度太短，至少须{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少须{self.min_length}个字符。"


class ComplexityValidator:
    """At least `min_kinds` of: upper-case letter, lower-case letter, digit, symbol."""

    def __init__(self, min_kinds: int = 3):
        self.min_kinds = min_kinds

    def _message(self) -> str:
        kinds = "、".join(name for name, _ in CHARACTER_KINDS)
        return f"密码须至少包含{kinds}中的{self.min_kinds}类。"

    def validate(self, password: str, user: Any = None) -> None:
        present = sum(1 for _, test in CHARACTER_KINDS if any(test(c) for c in password))
        if present < self.min_kinds:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self) -> str:
        return self._message()


class NotUsernameValidator:
    """The password must not be, nor contain, the username (letter case ignored)."""

    message = "密码不能与用户名相同，也不能包含用户名。"

    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", "") or ""
        if username and username.casefold() in password.casefold():
            raise ValidationError(self.message, code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"
