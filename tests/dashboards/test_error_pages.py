"""403/404/500 pages in Chinese inside the house layout."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client
from django.views.defaults import permission_denied

pytestmark = pytest.mark.django_db


def test_unknown_url_gives_chinese_404_with_menu_for_logged_in_user(client, jw_clerk):
    client.force_login(jw_clerk)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert "返回工作台" in html
    assert 'aria-label="主菜单"' in html
    assert "Not Found" not in html


def test_unknown_url_gives_chinese_404_to_anonymous_visitor(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_permission_denied_gives_chinese_403(rf, jw_clerk):
    request = rf.get("/manage/orgs/")
    request.user = jw_clerk
    response = permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html
    assert "机构管理" not in html


def test_server_error_page_renders_without_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "系统出现错误" in html
    assert "/static/css/xianjie" in html


def test_expired_form_gives_chinese_page_not_djangos_english_one(jw_clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(jw_clerk)
    response = client.post("/", {"anything": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in html
    assert "Forbidden" not in html
