"""Every error has CONTRACT.md's shape {"detail": "<Chinese>", "errors": {...}}; never a trace."""

import json
import re

import pytest

from xianjie.api.api import api
from xianjie.api.errors import field_name, translate
from xianjie.core.errors import (
    Conflict,
    FileTooLarge,
    FileTypeRefused,
    InvalidInput,
    NotFound,
    NotPermitted,
)

from .conftest import API

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _assert_error_shape(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}
    assert CHINESE.search(body["detail"]), body
    assert "Traceback" not in response.content.decode()
    return body


def test_400_bad_input(client, jw_clerk):
    body = {"username": "jw.clerk", "password": "Wrong-2026-xj"}
    response = client.post(f"{API}/auth/token", body, content_type="application/json")
    _assert_error_shape(response, 400)


def test_400_unparsable_json(client):
    response = client.post(f"{API}/auth/token", "{not json", content_type="application/json")
    assert _assert_error_shape(response, 400)["detail"] == "请求内容不是有效的 JSON。"


def test_401_not_logged_in(client):
    response = client.get(f"{API}/me")
    assert _assert_error_shape(response, 401)["detail"] == "请先登录。"


def test_404_invisible_or_missing(client, jw_clerk, bearer):
    response = client.get(f"{API}/orgs/999999", **bearer(jw_clerk))
    assert _assert_error_shape(response, 404)["detail"] == "未找到该记录，或您无权查看。"


def test_404_unknown_api_path_is_json(client):
    _assert_error_shape(client.get(f"{API}/no-such-thing"), 404)
    _assert_error_shape(client.post(f"{API}/no-such-thing"), 404)


def test_405_method_not_allowed(client, jw_clerk, bearer):
    response = client.put(f"{API}/me", **bearer(jw_clerk))
    _assert_error_shape(response, 405)
    assert response["Allow"] == "GET"


def test_422_names_each_bad_field_in_chinese(client, jw_clerk, bearer):
    response = client.get(f"{API}/orgs?kind=club&page=zero", **bearer(jw_clerk))
    body = _assert_error_shape(response, 422)
    assert body["errors"]["page"] == ["应为整数。"]
    assert body["errors"]["kind"][0].startswith("取值无效，可选：")
    assert " or " not in body["errors"]["kind"][0]


def test_422_body_fields_are_named_without_the_parameter(client):
    body = {"username": "", "password": 5, "otp": "1" * 17}
    response = client.post(f"{API}/auth/token", body, content_type="application/json")
    errors = _assert_error_shape(response, 422)["errors"]
    assert errors == {
        "username": ["长度不能少于 1 个字符。"],
        "password": ["应为文本。"],
        "otp": ["长度不能超过 16 个字符。"],
    }


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (InvalidInput("输入有误。", errors={"facts": ["请填写事实。"]}), 400),
        (NotPermitted(), 403),
        (NotFound(), 404),
        (Conflict(), 409),
        (FileTooLarge(), 413),
        (FileTypeRefused(), 415),
    ],
)
def test_service_errors_map_to_their_status(rf, exc, status):
    # Every router's services raise these; the mapping is the API's, one place for all.
    response = api.on_exception(rf.post(f"{API}/referrals"), exc)
    body = _assert_error_shape(response, status)
    assert body == {"detail": exc.detail, "errors": exc.errors}


def test_unexpected_error_is_500_without_trace(rf, caplog):
    response = api.on_exception(rf.get(f"{API}/me"), RuntimeError("secret internals"))
    body = _assert_error_shape(response, 500)
    assert "secret internals" not in json.dumps(body)
    assert "secret internals" in caplog.text


@pytest.mark.parametrize(
    ("loc", "single", "expected"),
    [
        (("query", "page_size"), None, "page_size"),
        (("path", "org_id"), None, "org_id"),
        (("body", "payload", "subjects", 0, "name"), "payload", "subjects.0.name"),
        (("body", "payload"), "payload", "__all__"),
        (("body", "meta", "title"), None, "meta.title"),
    ],
)
def test_field_path_is_what_the_client_sent(loc, single, expected):
    assert field_name(loc, single) == expected


def test_unknown_pydantic_error_still_gets_a_chinese_message():
    assert translate({"type": "something_new", "msg": "Some English"}) == "格式不正确。"
    assert translate({"type": "value_error", "ctx": {"error": "请填写事实。"}}) == "请填写事实。"
