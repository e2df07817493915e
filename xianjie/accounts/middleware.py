"""Session rules of 等保 2.0 level 3, applied to every request of a logged-in user.

- Idle timeout: the session expires the policy's number of minutes after the last request.
- A user who must give a dynamic password (a bound device) is accepted only with a session
  that was verified by it; one whose role requires a device that is not bound yet may do
  nothing but bind it.
- An account whose password was set by an administrator may do nothing but change it.

A small cookie marks a browser that was logged in, so that when its session has expired the
login page can say why the user has to log in again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from .security import SecondFactor, current_policy, second_factor

#: Set while a browser holds a logged-in session; its value says nothing about the user.
MARKER_COOKIE = "xianjie_auth"
#: Session flag read (once) by the login page.
TIMED_OUT_KEY = "xianjie_session_timed_out"

PASSWORD_CHANGE_ALLOWED = frozenset({"accounts:logout", "accounts:password_change"})
OTP_SETUP_ALLOWED = PASSWORD_CHANGE_ALLOWED | {"accounts:otp_setup"}
#: Pages outside the rules: the health check answers load balancers, not people.
UNGUARDED = frozenset({"healthz"})


def api_refusal(detail: str, status: int) -> JsonResponse:
    """A refusal in the API's error shape (CONTRACT.md), for requests under /api/."""
    return JsonResponse(
        {"detail": detail, "errors": {}}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _refuse(request: HttpRequest, url_name: str, detail: str) -> HttpResponse:
    if _is_api(request):
        return api_refusal(detail, status=403)
    return redirect(url_name)


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        marked = request.COOKIES.get(MARKER_COOKIE) == "1"
        if marked and not request.user.is_authenticated and not _is_api(request):
            request.session[TIMED_OUT_KEY] = True
        response = self.get_response(request)
        # Read after the view: the login view has just logged the user in, or logout out.
        if request.user.is_authenticated:
            minutes = current_policy(request).idle_minutes
            request.session.set_expiry(minutes * 60)
            if not marked:
                response.set_cookie(
                    MARKER_COOKIE,
                    "1",
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        elif marked:
            response.delete_cookie(MARKER_COOKIE, samesite="Lax")
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user: Any = request.user
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if not user.is_authenticated or view_name in UNGUARDED:
            return None
        factor = SecondFactor.NONE
        if not user.is_verified():
            factor = second_factor(user, current_policy(request))
        if factor is SecondFactor.VERIFY:
            # A bound device and a session it never verified: not a session we accept.
            logout(request)
            if _is_api(request):
                return api_refusal("请先登录。", status=401)
            return redirect("accounts:login")
        if user.must_change_password and view_name not in PASSWORD_CHANGE_ALLOWED:
            return _refuse(request, "accounts:password_change", "首次登录须先修改初始密码。")
        if factor is SecondFactor.ENROL and view_name not in OTP_SETUP_ALLOWED:
            return _refuse(request, "accounts:otp_setup", "您的角色须使用动态口令，请先绑定。")
        return None
