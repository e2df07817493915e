"""?page=&page_size= (default 20, at most 200) → {"items": [...], "count": N}."""

import pytest

from .conftest import API

pytestmark = pytest.mark.django_db

URL = f"{API}/catalog/violations"


def _get(client, headers, query):
    return client.get(f"{URL}?{query}", **headers)


def test_default_page_is_twenty(client, jw_clerk, bearer):
    body = _get(client, bearer(jw_clerk), "").json()
    assert body["count"] == 25
    assert len(body["items"]) == 20
    assert body["items"][0]["code"] == "A01"


def test_pages_follow_each_other(client, jw_clerk, bearer):
    headers = bearer(jw_clerk)
    first = _get(client, headers, "page=1&page_size=10").json()["items"]
    assert [i["code"] for i in first] == [f"A{n:02d}" for n in range(1, 11)]
    third = _get(client, headers, "page=3&page_size=10").json()
    assert third["count"] == 25 and len(third["items"]) == 5
    assert [i["code"] for i in third["items"]] == ["P10", "E01", "E02", "E03", "E99"]
    assert {i["code"] for i in first}.isdisjoint(i["code"] for i in third["items"])


def test_page_past_the_end_is_empty_not_an_error(client, jw_clerk, bearer):
    body = _get(client, bearer(jw_clerk), "page=9&page_size=200").json()
    assert body == {"items": [], "count": 25}


def test_page_size_two_hundred_is_allowed(client, jw_clerk, bearer):
    assert len(_get(client, bearer(jw_clerk), "page_size=200").json()["items"]) == 25


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page=0", "page", "不能小于 1。"),
        ("page_size=0", "page_size", "不能小于 1。"),
        ("page_size=201", "page_size", "不能大于 200。"),
        ("page=abc", "page", "应为整数。"),
    ],
)
def test_out_of_range_is_422_in_chinese(client, jw_clerk, bearer, query, field, message):
    response = _get(client, bearer(jw_clerk), query)
    assert response.status_code == 422
    assert response.json()["errors"] == {field: [message]}
