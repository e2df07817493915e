"""Calling the API as an integration would: a Django test client and bearer tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from xianjie.api.services import api_token_issue

API = "/api/v1"


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def bearer():
    """bearer(user) -> the Authorization header of a freshly issued token for `user`."""

    def make(user) -> dict[str, str]:
        token, _ = api_token_issue(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return make
