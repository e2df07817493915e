"""Logging in (等保 2.0 level 3): one service for the web pages and the API token endpoint.

Passwords go through django.contrib.auth.authenticate, so django-axes counts each failure and
refuses a locked account or address before the password is even checked. A wrong dynamic
password (动态口令) is reported to axes as a failure too, so guessing the six digits locks the
account just as guessing the password does. Every success and failure is written to the login
log (LoginEvent); the writes are not rolled back by the refusal, so callers must not wrap these
functions in a transaction.
"""

from __future__ import annotations

import enum
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as django_login
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_login_failed
from django.db import models
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from xianjie.accounts.models import SecurityPolicy, User
from xianjie.audit.models import LoginEvent
from xianjie.core.errors import InvalidInput

from .errors import (
    BAD_CREDENTIALS,
    AccountLocked,
    OtpEnrolmentRequired,
    OtpRequired,
    PasswordChangeRequired,
)
from .policy import current_policy


class LoginChannel(models.TextChoices):
    WEB = "web", "网页"
    API = "api", "接口"


class LoginReason(models.TextChoices):
    """What the login log says about an attempt; stored as its Chinese text."""

    SUCCESS = "登录成功", "登录成功"
    BAD_CREDENTIALS = "用户名或密码错误", "用户名或密码错误"
    LOCKED = "账户已锁定", "账户已锁定"
    OTP_MISSING = "未提供动态口令", "未提供动态口令"
    OTP_WRONG = "动态口令错误", "动态口令错误"
    OTP_THROTTLED = "动态口令尝试过快", "动态口令尝试过快"
    OTP_NOT_ENROLLED = "未绑定动态口令", "未绑定动态口令"
    PASSWORD_CHANGE = "须修改初始密码", "须修改初始密码"


class SecondFactor(enum.Enum):
    NONE = "none"
    #: The user has a confirmed device: the dynamic password is checked at every login.
    VERIFY = "verify"
    #: The policy requires one for a role of the user, and none is bound yet.
    ENROL = "enrol"


OTP_WRONG_MESSAGE = "动态口令错误，请重新输入。"
OTP_THROTTLED_MESSAGE = "动态口令输入过于频繁，请稍候几秒再试。"
USERNAME_MAX = 150


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor(user: Any, policy: SecurityPolicy) -> SecondFactor:
    """Whether `user` must give a dynamic password: once a device is bound it is always asked
    for; otherwise the policy may require one for a role the user holds."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return SecondFactor.VERIFY
    if user.role_set() & policy.otp_role_set:
        return SecondFactor.ENROL
    return SecondFactor.NONE


def client_address(request: HttpRequest) -> str | None:
    """The address axes counts failures against, so the log and the lockout agree."""
    return get_client_ip_address(request)


def login_event_record(
    *,
    request: HttpRequest,
    username: str,
    user: Any | None,
    success: bool,
    reason: str,
    channel: str,
) -> LoginEvent:
    """One line of the login log (登录日志): time, address and browser of every attempt."""
    if user is None:
        # Named for the auditor only: the person trying is told nothing about the account.
        user = get_user_model()._default_manager.filter(username=username).first()
    return LoginEvent.objects.create(
        username=username[:USERNAME_MAX],
        user=user,
        success=success,
        reason=reason,
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        channel=channel,
    )


def _log_failure(
    request: HttpRequest, username: str, user: Any | None, reason: str, channel: str
) -> None:
    login_event_record(
        request=request,
        username=username,
        user=user,
        success=False,
        reason=reason,
        channel=channel,
    )


def _refuse_locked(request: HttpRequest, username: str, user: Any, channel: str) -> AccountLocked:
    _log_failure(request, username, user, LoginReason.LOCKED, channel)
    return AccountLocked(current_policy(request).lockout_minutes)


def password_check(*, request: HttpRequest, username: str, password: str, channel: str) -> User:
    """The first factor. Answers the user, or refuses with one message for an unknown user, a
    wrong password and a disabled account alike."""
    username = (username or "").strip()
    missing: dict[str, list[str]] = {}
    if not username:
        missing["username"] = ["请输入用户名。"]
    if not password:
        missing["password"] = ["请输入密码。"]
    if missing:
        raise InvalidInput(errors=missing)
    if len(username) > USERNAME_MAX or "\x00" in username + password:
        # No account has such a name or password; refused before the lockout tables, whose
        # columns (and PostgreSQL) would not take the value.
        _log_failure(
            request, username.replace("\x00", ""), None, LoginReason.BAD_CREDENTIALS, channel
        )
        raise InvalidInput(BAD_CREDENTIALS)
    user = authenticate(request, username=username, password=password)
    if user is None:
        # axes sets this flag both when the account or address was locked already and when
        # this failure reached the limit.
        if getattr(request, "axes_locked_out", False):
            raise _refuse_locked(request, username, None, channel)
        _log_failure(request, username, None, LoginReason.BAD_CREDENTIALS, channel)
        raise InvalidInput(BAD_CREDENTIALS)
    return user


def otp_check(*, request: HttpRequest, user: Any, otp: str | None, channel: str) -> TOTPDevice:
    """The second factor, for a user with a confirmed device. A wrong code counts as a failed
    login for the lockout."""
    username = user.get_username()
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials):
        raise _refuse_locked(request, username, user, channel)
    otp = "".join((otp or "").split())
    if not otp:
        _log_failure(request, username, user, LoginReason.OTP_MISSING, channel)
        raise OtpRequired()
    device = confirmed_device(user)
    if device is not None and not device.verify_is_allowed()[0]:
        # The device's own back-off after a wrong code (a few seconds, doubling). The code is not
        # even checked, so it is not held against the user as a failure.
        _log_failure(request, username, user, LoginReason.OTP_THROTTLED, channel)
        raise InvalidInput(OTP_THROTTLED_MESSAGE, errors={"otp": [OTP_THROTTLED_MESSAGE]})
    verified = device and django_otp.verify_token(user, device.persistent_id, otp)
    if not verified:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            raise _refuse_locked(request, username, user, channel)
        _log_failure(request, username, user, LoginReason.OTP_WRONG, channel)
        raise InvalidInput(OTP_WRONG_MESSAGE, errors={"otp": [OTP_WRONG_MESSAGE]})
    return verified


def login_complete(
    *, request: HttpRequest, user: Any, device: TOTPDevice | None, channel: str
) -> Any:
    """Both factors passed. The web gets a session (verified by the device, if any); the API
    caller gets nothing here and issues its token. Either way the failure counters are reset."""
    if channel == LoginChannel.WEB:
        # login() resets the axes counters and sets last_login through user_logged_in.
        django_login(request, user)
        if device is not None:
            django_otp.login(request, device)
    else:
        AxesProxyHandler.reset_attempts(
            ip_address=client_address(request), username=user.get_username(), ip_or_username=True
        )
        update_last_login(type(user), user)
    login_event_record(
        request=request,
        username=user.get_username(),
        user=user,
        success=True,
        reason=LoginReason.SUCCESS,
        channel=channel,
    )
    return user


def login_attempt(
    *,
    request: HttpRequest,
    username: str,
    password: str,
    otp: str | None = None,
    channel: str = LoginChannel.WEB,
) -> Any:
    """Log in with a password and, where required, a dynamic password; answers the user.

    Refusals: InvalidInput (wrong credentials, or a wrong dynamic password with errors["otp"]),
    AccountLocked (403), OtpRequired (401, no dynamic password given), OtpEnrolmentRequired and
    PasswordChangeRequired (403, API only: the web lets the user in to bind a device or change
    the password first, and the session middleware allows nothing else until then).
    """
    user = password_check(request=request, username=username, password=password, channel=channel)
    factor = second_factor(user, current_policy(request))
    device = None
    if factor is SecondFactor.VERIFY:
        device = otp_check(request=request, user=user, otp=otp, channel=channel)
    if channel != LoginChannel.WEB:
        refusal: OtpEnrolmentRequired | PasswordChangeRequired | None = None
        if factor is SecondFactor.ENROL:
            reason, refusal = LoginReason.OTP_NOT_ENROLLED, OtpEnrolmentRequired()
        elif user.must_change_password:
            reason, refusal = LoginReason.PASSWORD_CHANGE, PasswordChangeRequired()
        if refusal is not None:
            _log_failure(request, user.get_username(), user, reason, channel)
            raise refusal
    return login_complete(request=request, user=user, device=device, channel=channel)
