"""Forms of the login-security pages. They only read input; the services judge it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from xianjie.core.errors import ServiceError

from .models import Role
from .security.policy import LIMITS, field_label


def add_service_errors(form: forms.Form, exc: ServiceError) -> None:
    """Show a refusal on the form: each field's messages beside it, the rest above the form."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.detail)


class LoginForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _otp_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
            "autofocus": True,
        }
    )


class OtpForm(forms.Form):
    otp = forms.CharField(
        label="动态口令",
        max_length=10,
        help_text="请输入手机令牌应用上显示的6位数字。",
        widget=_otp_widget(),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="确认新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Built per form, in the request's language, from the rules actually configured.
        self.fields["new_password1"].help_text = (
            "；".join(str(text).rstrip("。") for text in password_validators_help_texts()) + "。"
        )


def _policy_number(field: str, help_text: str) -> forms.IntegerField:
    low, high = LIMITS[field]
    return forms.IntegerField(
        label=field_label(field),
        help_text=f"{help_text}（可设 {low} 至 {high}）",
        widget=forms.NumberInput(attrs={"min": low, "max": high}),
    )


class SecurityPolicyForm(forms.Form):
    lockout_failures = _policy_number(
        "lockout_failures", "同一账户或同一地址连续登录失败达到此次数即锁定"
    )
    lockout_minutes = _policy_number("lockout_minutes", "锁定期间即使密码正确也不能登录")
    idle_minutes = _policy_number("idle_minutes", "无操作超过此时长，须重新登录")
    otp_roles = forms.MultipleChoiceField(
        label=field_label("otp_roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="担任所选角色的用户登录时须输入动态口令；尚未绑定的，登录后须先绑定。",
    )
