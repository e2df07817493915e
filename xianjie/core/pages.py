"""The one wrapper of the pages that call services: service refusals become HTTP answers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from .errors import NotFound, NotPermitted

View = Callable[..., HttpResponse]


def service_page(*methods: str) -> Callable[[View], View]:
    """Logged in (else the login page); a record the user may not see is 404 — never 403, so its
    existence is not revealed (第十一条) — and an act that is not theirs is 403."""

    def decorate(view: View) -> View:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except NotPermitted as refusal:
                raise PermissionDenied(refusal.detail) from None

        return wrapped

    return decorate
