"""How an API request proves who sends it: a bearer token (integrations) or the web session.

A request that presents a token is judged by the token alone, so a stale token never falls back
to a browser session. The session needs a CSRF token on unsafe methods, as the web UI sends
(base.html's hx-headers).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from xianjie.core.errors import NotPermitted, ServiceError

from .models import ApiToken
from .services import api_token_touch, token_hash

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class NotAuthenticated(ServiceError):
    status = 401
    default_detail = "请先登录。"


class TokenRejected(NotAuthenticated):
    default_detail = "访问令牌无效、已过期或已注销，请重新登录获取令牌。"


class CsrfFailed(NotPermitted):
    default_detail = "CSRF 校验失败，请刷新页面后重试。"


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        now = timezone.now()
        record = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token.strip()), revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if record is None or not record.user.is_active:
            raise TokenRejected()
        api_token_touch(token=record, at=now)
        request.api_token = record  # type: ignore[attr-defined]
        return record.user


class _CsrfCheck(CsrfViewMiddleware):
    # As DRF does: answer the refusal instead of rendering the HTML failure page.
    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return HttpResponseForbidden(reason)


def csrf_refused(request: HttpRequest) -> bool:
    check = _CsrfCheck(lambda r: HttpResponse())
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    check.process_request(request)
    return check.process_view(request, lambda r: HttpResponse(), (), {}) is not None


class SessionCsrfAuth(APIKeyCookie):
    """The logged-in web session; CSRF is checked only once the session is known to be valid,
    so an anonymous call answers 401, not a CSRF 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # `csrf` stays True so the docs page sends the token; the check itself is below.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in SAFE_METHODS and not exempt and csrf_refused(request):
            raise CsrfFailed()
        return user


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
#: Every operation accepts either, unless it says otherwise.
DEFAULT_AUTH = [bearer_auth, session_auth]
