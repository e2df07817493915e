"""GET /me, /orgs, /officers (第二条): fields, filters, and what each user may see."""

from datetime import date

import pytest

from tests.factories import OfficerFactory, OrgFactory, RegionFactory

from .conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_county():
    """An org and an officer of another region, which no user of 文水县 sees."""
    region = RegionFactory(code="141127", name="交城县")
    org = OrgFactory(name="交城县交通运输局", code="交交", region=region)
    return org, OfficerFactory(org=org, name="外县人员")


def test_me_answers_user_org_and_roles(client, jw_leader, bearer):
    response = client.get(f"{API}/me", **bearer(jw_leader))
    assert response.status_code == 200
    org = jw_leader.org
    assert response.json() == {
        "id": jw_leader.pk,
        "username": "jw.leader",
        "full_name": jw_leader.full_name,
        "org": {"id": org.pk, "code": "文纪", "name": org.name, "kind": "discipline"},
        "roles": ["leader"],
    }


def test_me_of_a_system_role_has_no_org(client, auditor, bearer):
    body = client.get(f"{API}/me", **bearer(auditor)).json()
    assert body["org"] is None and body["roles"] == ["auditor"]


@pytest.mark.article(2)
def test_orgs_lists_the_region_with_parents(client, county, jw_clerk, bearer, other_county):
    response = client.get(f"{API}/orgs?page_size=200", **bearer(jw_clerk))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(county) == len(body["items"])
    by_code = {item["code"]: item for item in body["items"]}
    assert "交交" not in by_code
    assert by_code["文市监法"] == {
        "id": county["sj"].pk,
        "code": "文市监法",
        "name": "文水县市场监督管理局法制股",
        "kind": "dept_supervision",
        "parent": county["sj_dept"].pk,
    }
    assert by_code["文纪"]["parent"] is None


def test_orgs_filter_by_kind(client, county, sf_clerk, bearer):
    body = client.get(f"{API}/orgs?kind=dept_supervision", **bearer(sf_clerk)).json()
    assert {item["code"] for item in body["items"]} == {"文市监法", "文交法", "文教法"}
    assert body["count"] == 3


def test_org_detail_and_invisible_org(client, county, jw_clerk, bearer, other_county):
    headers = bearer(jw_clerk)
    response = client.get(f"{API}/orgs/{county['sf'].pk}", **headers)
    assert response.status_code == 200
    assert response.json()["name"] == "文水县司法局"
    assert response.json()["is_active"] is True
    hidden = client.get(f"{API}/orgs/{other_county[0].pk}", **headers)
    assert hidden.status_code == 404


@pytest.mark.article(4)
def test_officers_list_fields(client, county, sf_clerk, bearer):
    officer = OfficerFactory(
        org=county["sj_dept"],
        name="王建国",
        post="执法队长",
        cert_no="1411A000001",
        valid_from=date(2024, 1, 1),
        valid_until=date(2028, 12, 31),
    )
    body = client.get(f"{API}/officers", **bearer(sf_clerk)).json()
    assert body["count"] == 1
    org = county["sj_dept"]
    assert body["items"][0] == {
        "id": officer.pk,
        "name": "王建国",
        "org": {"id": org.pk, "code": "文市监", "name": org.name, "kind": "enforcement"},
        "post": "执法队长",
        "cert_no": "1411A000001",
        "cert_status": "valid",
        "valid_from": "2024-01-01",
        "valid_until": "2028-12-31",
    }


def test_officers_filters(client, county, jw_clerk, bearer, other_county):
    OfficerFactory(org=county["sj_dept"], name="王建国", cert_no="1411A000001")
    OfficerFactory(org=county["sj_dept"], name="李建华", cert_no="1411A000002")
    OfficerFactory(org=county["jt_dept"], name="王小明", cert_no="1411A000003")
    headers = bearer(jw_clerk)

    def names(query):
        response = client.get(f"{API}/officers?{query}", **headers)
        assert response.status_code == 200
        return sorted(item["name"] for item in response.json()["items"])

    assert names("") == ["李建华", "王小明", "王建国"]
    assert names(f"org={county['sj_dept'].pk}") == ["李建华", "王建国"]
    assert names("q=王") == ["王小明", "王建国"]
    assert names("cert_no=1411A000002") == ["李建华"]
    assert names("cert_no=1411A00000") == []
    assert names(f"org={other_county[0].pk}") == []


def test_officer_detail_and_invisible_officer(client, county, jw_clerk, bearer, other_county):
    officer = OfficerFactory(org=county["jt_dept"], name="赵执法")
    headers = bearer(jw_clerk)
    response = client.get(f"{API}/officers/{officer.pk}", **headers)
    assert response.status_code == 200 and response.json()["name"] == "赵执法"
    assert client.get(f"{API}/officers/{other_county[1].pk}", **headers).status_code == 404
    assert client.get(f"{API}/officers/999999", **headers).status_code == 404
