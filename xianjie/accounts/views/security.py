"""The user's own security pages (password, dynamic-password device) and the security
administrator's policy page (等保 2.0 level 3)."""

from __future__ import annotations

import re

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from xianjie.accounts.forms_auth import (
    OtpForm,
    PasswordChangeForm,
    SecurityPolicyForm,
    add_service_errors,
)
from xianjie.accounts.models import Role
from xianjie.accounts.security import (
    SecondFactor,
    current_policy,
    otp_device_confirm,
    password_change,
    second_factor,
    security_policy_update,
)
from xianjie.accounts.security.login import confirmed_device
from xianjie.accounts.security.otp import (
    otp_new_key,
    otp_provisioning_uri,
    otp_qr_svg,
    otp_secret_base32,
)
from xianjie.core.errors import Conflict, NotPermitted, ServiceError

#: The secret offered for binding stays in the session until the user confirms it.
OTP_SETUP_KEY = "xianjie_otp_setup_key"
_HEX_KEY = re.compile(r"[0-9a-f]{40}")


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    forced = request.user.must_change_password  # type: ignore[union-attr]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                new_password_again=form.cleaned_data["new_password2"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            # Keeps this session; other sessions of the account end with the old password.
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "forced": forced}
    return render(
        request, "accounts/password_change.html", context, status=400 if form.errors else 200
    )


@sensitive_post_parameters("otp")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    if device is not None:
        request.session.pop(OTP_SETUP_KEY, None)
        return render(request, "accounts/otp_setup.html", {"device": device})
    key = request.session.get(OTP_SETUP_KEY)
    if not isinstance(key, str) or not _HEX_KEY.fullmatch(key):
        key = request.session[OTP_SETUP_KEY] = otp_new_key()
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_device_confirm(actor=user, key=key, token=form.cleaned_data["otp"])
        except Conflict as exc:
            messages.info(request, exc.detail)
            return redirect("accounts:otp_setup")
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            del request.session[OTP_SETUP_KEY]
            # The code just typed proves the device: this session counts as verified by it.
            django_otp.login(request, device)
            messages.success(request, "动态口令已绑定。今后登录时，输入密码后还须输入动态口令。")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {
        "form": form,
        "required": second_factor(user, current_policy(request)) is SecondFactor.ENROL,
        # segno writes the SVG from the provisioning address alone; nothing user-typed in it.
        "qr_svg": mark_safe(otp_qr_svg(otp_provisioning_uri(user, key))),
        "secret": otp_secret_base32(key),
    }
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def security_policy_view(request: HttpRequest) -> HttpResponse:
    """安全策略: the security administrator's page; everyone else is refused (403)."""
    if not request.user.has_role(Role.SECADMIN):  # type: ignore[union-attr]
        raise PermissionDenied
    policy = current_policy(request)
    initial = {
        "lockout_failures": policy.lockout_failures,
        "lockout_minutes": policy.lockout_minutes,
        "idle_minutes": policy.idle_minutes,
        "otp_roles": policy.otp_roles,
    }
    form = SecurityPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            security_policy_update(actor=request.user, **form.cleaned_data)
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "安全策略已保存，即时生效。")
            return redirect("accounts:security_policy")
    context = {"form": form, "policy": policy}
    return render(
        request, "accounts/security_policy.html", context, status=400 if form.errors else 200
    )
