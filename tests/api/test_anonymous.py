"""Without a token or a session every operation answers 401, except getting a token.

The list of operations comes from the OpenAPI document, so a new endpoint is covered as soon as
it is mounted."""

import json
import re

import pytest
from django.test import Client

from .conftest import API

pytestmark = pytest.mark.django_db

PUBLIC = {("post", "/api/v1/auth/token")}


def _operations():
    doc = json.loads(Client().get(f"{API}/openapi.json").content)
    for path, methods in doc["paths"].items():
        for method in methods:
            if (method, path) not in PUBLIC:
                yield method, re.sub(r"\{[^}]+\}", "1", path)


def test_every_operation_but_token_login_needs_authentication(client, county):
    operations = list(_operations())
    assert len(operations) >= 7
    for method, path in operations:
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": "请先登录。", "errors": {}}


def test_inactive_session_user_is_not_authenticated(client, jw_clerk):
    client.force_login(jw_clerk)
    jw_clerk.is_active = False
    jw_clerk.save(update_fields=["is_active"])
    assert client.get(f"{API}/me").status_code == 401
