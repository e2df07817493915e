"""GET /catalog/violations: the codes of 第十三条, 第十四条 and 第六条 with their filters."""

import pytest

from xianjie.catalog.models import ViolationCode

from .conftest import API

pytestmark = pytest.mark.django_db


def _codes(client, headers, query=""):
    response = client.get(f"{API}/catalog/violations?page_size=200&{query}", **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"])
    return body["items"]


@pytest.mark.article(13)
def test_violation_item_fields(client, outsider, bearer):
    headers = bearer(outsider)
    items = _codes(client, headers)
    assert len(items) == 25
    raw = client.get(f"{API}/catalog/violations", **headers).content.decode()
    assert "未实行行政裁量权基准制度" in raw  # UTF-8, not \u escapes
    a02 = next(item for item in items if item["code"] == "A02")
    assert a02 == {
        "code": "A02",
        "category": "agency",
        "article": 13,
        "item": 2,
        "basis": "第十三条（二）",
        "text": "未实行行政裁量权基准制度",
        "seeded": True,
        "active": True,
        "sort_order": 102,
    }


@pytest.mark.article(6)
def test_violation_filters(client, jw_clerk, bearer):
    headers = bearer(jw_clerk)
    faults = [i["code"] for i in _codes(client, headers, "category=fault")]
    assert faults == ["E01", "E02", "E03", "E99"]
    article_14 = [i["code"] for i in _codes(client, headers, "article=14")]
    assert article_14 == [f"P{n:02d}" for n in range(1, 11)]
    ViolationCode.objects.filter(code="A05").update(is_active=False)
    assert [i["code"] for i in _codes(client, headers, "active=false")] == ["A05"]
    assert len(_codes(client, headers, "active=true")) == 24


def test_every_role_reads_the_catalogue(client, sysadmin, secadmin, auditor, sj_leader, bearer):
    for user in (sysadmin, secadmin, auditor, sj_leader):
        assert len(_codes(client, bearer(user))) == 25


def test_violation_bad_filter_is_422(client, jw_clerk, bearer):
    response = client.get(
        f"{API}/catalog/violations?category=other&active=maybe", **bearer(jw_clerk)
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"category", "active"}
