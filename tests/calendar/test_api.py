"""GET /api/v1/calendar/workdays (CONTRACT.md)."""

import pytest

API = "/api/v1/calendar/workdays"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, sj_clerk):
    client.force_login(sj_clerk)
    return client


def test_workdays_counts_n_working_days_after_start(api):
    response = api.get(API, {"start": "2026-09-29", "n": 5})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-29",
        "n": 5,
        "date": "2026-10-12",
        "unconfirmed": False,
    }


def test_workdays_flags_a_count_through_an_unconfirmed_year(api):
    body = api.get(API, {"start": "2026-12-30", "n": 3}).json()
    assert (body["date"], body["unconfirmed"]) == ("2027-01-04", True)


def test_workdays_with_only_start_answers_the_day_status(api):
    assert api.get(API, {"start": "2026-02-14"}).json() == {
        "start": "2026-02-14",
        "status": "workday",
        "is_workday": True,
        "unconfirmed": False,
        "kind": "makeup",
        "name": "春节",
    }
    assert api.get(API, {"start": "2026-10-01"}).json()["status"] == "restday"
    assert api.get(API, {"start": "2027-10-01"}).json()["status"] == "unconfirmed"


@pytest.mark.parametrize("start", ["2026-02-30", "2026/02/01", "明天"])
def test_malformed_start_answers_422_in_chinese(api, start):
    response = api.get(API, {"start": start, "n": 1})
    assert response.status_code == 422
    assert response.json()["errors"] == {"start": ["日期格式不正确，应为 YYYY-MM-DD。"]}


def test_start_outside_the_calendar_answers_400_in_chinese(api):
    response = api.get(API, {"start": "1899-12-31"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "起算日期超出工作日历范围（1900年至2100年）。",
        "errors": {"start": ["起算日期超出工作日历范围（1900年至2100年）。"]},
    }


def test_negative_n_answers_422_in_chinese(api):
    response = api.get(API, {"start": "2026-09-29", "n": -1})
    assert response.status_code == 422
    assert response.json()["errors"] == {"n": ["不能小于 0。"]}


def test_workdays_needs_login(client):
    assert client.get(API, {"start": "2026-09-29"}).status_code == 401
