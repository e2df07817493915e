"""Floor 5: the NinjaAPI at /api/v1 (CONTRACT.md). Routers live in each app's api.py; this module
mounts them, sets who may call (token or session) and makes every error one JSON shape."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.renderers import JSONRenderer

from xianjie.access.api import router as access_router
from xianjie.accounts.api import router as accounts_router
from xianjie.calendar.api import router as calendar_router
from xianjie.catalog.api import router as catalog_router
from xianjie.inspections.api import router as inspections_router
from xianjie.referrals.api import router as referrals_router
from xianjie.sharing.api import router as sharing_router

from . import tokens
from .auth import DEFAULT_AUTH
from .errors import error_response, field_name, install_error_handlers

DESCRIPTION = """行政执法监督与纪检监察监督工作衔接平台的接口。

先以 `POST /api/v1/auth/token` 获取访问令牌，之后在请求头中携带 `Authorization: Bearer <令牌>`；
网页端已登录的会话也可直接调用（修改类请求须带 CSRF 令牌）。

出错时统一返回 `{"detail": "中文说明", "errors": {"字段": ["说明", ...]}}`；
列表接口以 `?page=&page_size=`（每页最多 200 条）分页，返回 `{"items": [...], "count": 总数}`。
"""


class XianjieAPI(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> ValidationError:
        """Name each bad field as the client wrote it (`page_size`, `subjects.0.name`)."""
        error = super().validation_error_from_error_contexts(error_contexts)
        single_attrs = [getattr(c.model, "__read_from_single_attr__", None) for c in error_contexts]
        single = next((a for a in single_attrs if a), None)
        for item in error.errors:
            item["field"] = field_name(item["loc"], single)
        return error

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """ninja's own routes, answering 405 in the error shape, then a JSON 404 for the rest of
        /api/v1/ instead of the HTML page."""
        urls = super()._get_urls()
        routes = [u for u in urls if not (isinstance(u, URLPattern) and u.name == "api-root")]
        for route in routes:
            if isinstance(route, URLPattern):
                route.callback = _json_not_allowed(route.callback)
        return [
            *routes,
            path("", _not_found, name="api-root"),
            re_path(r"^.+$", _not_found),
        ]


class ReadableJSONRenderer(JSONRenderer):
    # Chinese text as UTF-8 rather than \u escapes, like the error answers.
    json_dumps_params = {"ensure_ascii": False}


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405)
            response["Allow"] = allowed
        return response

    return wrapped


@csrf_exempt
def _not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, "没有这个接口。")


api = XianjieAPI(
    title="衔接 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=DEFAULT_AUTH,
    renderer=ReadableJSONRenderer(),
    # Swagger UI's default validator badge calls validator.swagger.io; intranets are offline.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)

api.add_router("", tokens.router)
api.add_router("", accounts_router)
api.add_router("", catalog_router)
api.add_router("", calendar_router)
api.add_router("", referrals_router)
api.add_router("", inspections_router)
api.add_router("", access_router)
api.add_router("", sharing_router)
