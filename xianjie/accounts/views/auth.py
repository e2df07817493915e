"""Login in two steps (password, then dynamic password when one is bound), logout, and the
page shown to a locked account or address (等保 2.0 level 3)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xianjie.accounts.forms_auth import LoginForm, OtpForm, add_service_errors
from xianjie.accounts.middleware import TIMED_OUT_KEY, api_refusal
from xianjie.accounts.models import User
from xianjie.accounts.security import (
    AccountLocked,
    LoginChannel,
    SecondFactor,
    current_policy,
    login_complete,
    otp_check,
    password_check,
    second_factor,
)
from xianjie.core.errors import ServiceError

#: Between the two steps the session holds who passed the password step, and when.
PENDING_KEY = "xianjie_pending_login"
#: The dynamic password must follow the password within this many seconds.
PENDING_SECONDS = 300


def _next_url(request: HttpRequest, candidate: str) -> str:
    """Where to go after logging in: the page asked for, if it is on this site."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked(request: HttpRequest, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return api_refusal(message, status=403)
    return render(request, "accounts/locked.html", {"message": message}, status=403)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: the answer to any request that axes found locked out."""
    return _locked(request, AccountLocked(current_policy(request).lockout_minutes).detail)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.user.is_authenticated:
        return redirect(_next_url(request, next_url))
    timed_out = request.session.pop(TIMED_OUT_KEY, False)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                channel=LoginChannel.WEB,
            )
        except AccountLocked as exc:
            return _locked(request, exc.detail)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            if second_factor(user, current_policy(request)) is SecondFactor.VERIFY:
                request.session[PENDING_KEY] = {
                    "user": user.pk,
                    "backend": user.backend,  # type: ignore[attr-defined]  # set by authenticate()
                    "at": timezone.now().timestamp(),
                    "next": next_url,
                }
                return redirect("accounts:login_otp")
            # Without a bound device the user is let in; the session middleware then allows
            # nothing but binding one if the policy requires it.
            login_complete(request=request, user=user, device=None, channel=LoginChannel.WEB)
            return redirect(_next_url(request, next_url))
    context = {"form": form, "next": next_url, "timed_out": timed_out}
    return render(request, "accounts/login.html", context, status=400 if form.errors else 200)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    user = None
    if timezone.now().timestamp() - float(pending.get("at", 0)) <= PENDING_SECONDS:
        user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        del request.session[PENDING_KEY]
        return None
    user.backend = pending["backend"]
    return user, pending


@sensitive_post_parameters("otp")
@never_cache
@require_http_methods(["GET", "POST"])
def login_otp_view(request: HttpRequest) -> HttpResponse:
    found = _pending_user(request)
    if found is None:
        messages.warning(request, "登录验证已超时，请重新输入用户名和密码。")
        return redirect("accounts:login")
    user, pending = found
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_check(
                request=request, user=user, otp=form.cleaned_data["otp"], channel=LoginChannel.WEB
            )
        except AccountLocked as exc:
            del request.session[PENDING_KEY]
            return _locked(request, exc.detail)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            del request.session[PENDING_KEY]
            login_complete(request=request, user=user, device=device, channel=LoginChannel.WEB)
            return redirect(_next_url(request, pending.get("next", "")))
    context = {"form": form, "username": user.get_username()}
    return render(request, "accounts/login_otp.html", context, status=400 if form.errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect(settings.LOGOUT_REDIRECT_URL)
