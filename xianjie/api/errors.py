"""Every API error in CONTRACT.md's one shape: {"detail": "<Chinese>", "errors": {field: [...]}}.

Services raise ServiceError subclasses (400/403/404/409/413/415); ninja raises its own errors for
bad parameters (422), failed authentication (401) and unparsable bodies (400); anything else is a
bug and answers a plain 500 — never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xianjie.core.errors import NotFound, ServiceError

logger = logging.getLogger("xianjie.api")

STATUS_DETAIL = {
    400: "请求无法处理。",
    401: "请先登录。",
    403: "您无权执行此操作。",
    404: NotFound.default_detail,
    405: "不支持此请求方法。",
    409: "当前状态下不能执行此操作，或记录已被他人修改。",
    413: "文件过大。",
    415: "不接受此类型的文件。",
    422: "输入有误，请按提示修改。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部错误，请稍后重试；如持续出现请联系系统管理员。",
}

#: Where ninja found a value; the client names query and path parameters by their own name.
FLAT_SOURCES = frozenset({"query", "path", "header", "cookie"})
NON_FIELD = "__all__"


def error_response(
    status: int, detail: str | None = None, errors: Mapping[str, list[str]] | None = None
) -> JsonResponse:
    body = {
        "detail": detail or STATUS_DETAIL.get(status, STATUS_DETAIL[400]),
        "errors": dict(errors or {}),
    }
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="xianjie"'
    return response


def _ctx(error: Mapping[str, Any], key: str) -> Any:
    return (error.get("ctx") or {}).get(key)


def _choices(error: Mapping[str, Any]) -> str:
    # pydantic lists choices as "'a', 'b' or 'c'"; the joining word is English.
    return str(_ctx(error, "expected") or "").replace(" or ", ", ")


def translate(error: Mapping[str, Any]) -> str:
    """One pydantic error as a Chinese message."""
    kind = error.get("type", "")
    messages = {
        "missing": "此项为必填项。",
        "string_type": "应为文本。",
        "string_too_short": f"长度不能少于 {_ctx(error, 'min_length')} 个字符。",
        "string_too_long": f"长度不能超过 {_ctx(error, 'max_length')} 个字符。",
        "string_pattern_mismatch": "格式不正确。",
        "int_type": "应为整数。",
        "int_parsing": "应为整数。",
        "int_from_float": "应为整数。",
        "float_type": "应为数字。",
        "float_parsing": "应为数字。",
        "decimal_parsing": "应为数字。",
        "bool_type": "应为 true 或 false。",
        "bool_parsing": "应为 true 或 false。",
        "greater_than": f"应大于 {_ctx(error, 'gt')}。",
        "greater_than_equal": f"不能小于 {_ctx(error, 'ge')}。",
        "less_than": f"应小于 {_ctx(error, 'lt')}。",
        "less_than_equal": f"不能大于 {_ctx(error, 'le')}。",
        "date_type": "日期格式不正确，应为 YYYY-MM-DD。",
        "date_parsing": "日期格式不正确，应为 YYYY-MM-DD。",
        "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD。",
        "date_from_datetime_inexact": "日期格式不正确，应为 YYYY-MM-DD。",
        "datetime_type": "时间格式不正确，应为 ISO 8601 格式。",
        "datetime_parsing": "时间格式不正确，应为 ISO 8601 格式。",
        "datetime_from_date_parsing": "时间格式不正确，应为 ISO 8601 格式。",
        "enum": f"取值无效，可选：{_choices(error)}。",
        "literal_error": f"取值无效，可选：{_choices(error)}。",
        "list_type": "应为列表。",
        "too_short": f"至少需要 {_ctx(error, 'min_length')} 项。",
        "too_long": f"最多 {_ctx(error, 'max_length')} 项。",
        "dict_type": "应为对象。",
        "model_type": "应为对象。",
        "model_attributes_type": "应为对象。",
        "extra_forbidden": "不接受此字段。",
        "json_invalid": "不是有效的 JSON。",
        "uuid_parsing": "格式不正确。",
        "url_parsing": "格式不正确。",
    }
    if kind in messages:
        return messages[kind]
    if kind in ("value_error", "assertion_error"):
        # Schema validators raise ValueError with a Chinese message already.
        return str(_ctx(error, "error") or error.get("msg", "")) or "格式不正确。"
    return "格式不正确。"


def field_name(loc: Iterable[Any], single_body_attr: str | None = None) -> str:
    """The field a client would name: `page_size`, `subjects.0.name`; `__all__` for the body."""
    parts = [str(p) for p in loc]
    if not parts:
        return NON_FIELD
    source, rest = parts[0], parts[1:]
    if source in FLAT_SOURCES and rest:
        return rest[-1]
    if single_body_attr and rest and rest[0] == single_body_attr:
        rest = rest[1:]
    return ".".join(rest) or NON_FIELD


def validation_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for error in errors:
        field = error.get("field") or field_name(error.get("loc", ()))
        message = translate(error)
        if message not in grouped.setdefault(field, []):
            grouped[field].append(message)
    return grouped


def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return error_response(exc.status, exc.detail, exc.errors)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, STATUS_DETAIL[422], validation_errors(exc.errors))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_response(401)
    if exc.status_code == 400 and "parse request body" in exc.message:
        return error_response(400, "请求内容不是有效的 JSON。")
    return error_response(exc.status_code)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500)


HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (ServiceError, _service_error),
    (ValidationError, _validation_error),
    (HttpError, _http_error),
    (Http404, _not_found),
    (Exception, _unexpected),
]


def install_error_handlers(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)
