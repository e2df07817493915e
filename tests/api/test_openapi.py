"""The OpenAPI document and the interactive docs, served without any outside host (offline)."""

import json
import re

import pytest

from .conftest import API

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/auth/token",
    "/api/v1/me",
    "/api/v1/orgs",
    "/api/v1/orgs/{org_id}",
    "/api/v1/officers",
    "/api/v1/officers/{officer_id}",
    "/api/v1/catalog/violations",
    "/api/v1/calendar/workdays",
}


def test_openapi_document_lists_the_paths_under_a_chinese_title(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "衔接 API"
    assert set(doc["paths"]) >= EXPECTED_PATHS
    token = doc["paths"]["/api/v1/auth/token"]
    assert set(token) == {"post", "delete"}
    assert "security" not in token["post"]


def test_openapi_declares_bearer_and_session_auth(client):
    doc = json.loads(client.get(f"{API}/openapi.json").content)
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    me = doc["paths"]["/api/v1/me"]["get"]
    assert len(me["security"]) == 2
    params = {p["name"] for p in doc["paths"]["/api/v1/orgs"]["get"]["parameters"]}
    assert {"page", "page_size", "kind"} <= params


def test_docs_page_uses_only_local_assets(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "衔接 API" in html
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "outside host"
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    swagger = json.loads(settings_json)
    assert swagger["url"] == f"{API}/openapi.json"
    # Swagger UI's default badge calls validator.swagger.io; it is switched off.
    assert swagger["validatorUrl"] is None
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


def test_docs_page_sends_csrf_for_a_logged_in_session(client, jw_clerk):
    client.force_login(jw_clerk)
    html = client.get(f"{API}/docs").content.decode()
    assert 'data-api-csrf="true"' in html
    assert re.search(r'data-csrf-token="[^"]+"', html)
