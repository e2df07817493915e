"""The catalogue page: every user reads it by article; the system administrator adds codes."""

import pytest
from django.urls import reverse

from xianjie.catalog.models import ViolationCode

from .seed_text import article_items

pytestmark = pytest.mark.django_db

URL = reverse("catalog:violations")


@pytest.mark.article(13)
@pytest.mark.article(14)
@pytest.mark.article(6)
def test_page_lists_codes_grouped_by_article(client, sj_clerk):
    client.force_login(sj_clerk)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("第十三条", "第十四条", "第六条"):
        assert label in html
    assert html.index("第十三条 · 行政执法机关") < html.index("第十四条 · 行政执法人员")
    assert html.index("第十四条 · 行政执法人员") < html.index("第六条 · 执法过错")
    for text in article_items("第十三条").values():
        assert text in html
    assert "第十三条（二）" in html and "E99" in html
    # Only the system administrator is offered changes.
    assert "新增本地代码" not in html and "停用" not in html.replace("已停用", "")


def test_page_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_page_filters_stay_in_the_query_string(client, jw_clerk):
    client.force_login(jw_clerk)
    html = client.get(URL, {"category": "fault", "q": "证据"}).content.decode()
    assert "E02" in html and "E01" not in html and "A01" not in html
    assert 'value="证据"' in html


def test_deactivated_code_hidden_from_users_shown_to_sysadmin(client, jw_clerk, sysadmin):
    ViolationCode.objects.filter(code="P09").update(is_active=False)
    client.force_login(jw_clerk)
    assert "P09" not in client.get(URL).content.decode()
    client.force_login(sysadmin)
    html = client.get(URL).content.decode()
    assert "P09" in html and "已停用" in html


def test_sysadmin_adds_local_code_from_the_page(client, sysadmin):
    client.force_login(sysadmin)
    assert "新增本地代码" in client.get(URL).content.decode()
    response = client.post(
        reverse("catalog:violation_add"),
        {"category": "personnel", "code": "P11", "text": "违规使用执法记录仪"},
    )
    assert response.status_code == 302
    vc = ViolationCode.objects.get(code="P11")
    assert (vc.article, vc.seeded) == (14, False)
    assert "第十四条（本地增补）" in client.get(URL).content.decode()


def test_bad_local_code_keeps_typed_values_and_changes_nothing(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("catalog:violation_add"),
        {"category": "agency", "code": "A01", "text": "重复的代码"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "代码 A01 已被使用" in html
    assert "重复的代码" in html
    assert ViolationCode.objects.get(code="A01").text == "不履行或者拖延履行法定职责"


def test_sysadmin_deactivates_from_the_page(client, sysadmin):
    client.force_login(sysadmin)
    a07 = ViolationCode.objects.get(code="A07")
    response = client.post(reverse("catalog:violation_toggle", args=[a07.pk]))
    assert response.status_code == 302
    a07.refresh_from_db()
    assert not a07.is_active


@pytest.mark.parametrize("persona", ["jw_clerk", "secadmin", "auditor"])
def test_others_cannot_change_the_catalogue(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    a01 = ViolationCode.objects.get(code="A01")
    add = client.post(
        reverse("catalog:violation_add"), {"category": "agency", "code": "A12", "text": "某行为"}
    )
    toggle = client.post(reverse("catalog:violation_toggle", args=[a01.pk]))
    assert (add.status_code, toggle.status_code) == (403, 404)
    assert ViolationCode.objects.filter(is_active=True).count() == 25
    assert not ViolationCode.objects.filter(code="A12").exists()
