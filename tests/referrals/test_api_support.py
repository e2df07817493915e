"""Shared pieces of the referral API tests: a client that speaks as a persona, request bodies.

The `api` fixture is imported (as `api_fixture`) by the test_api_* modules that use it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xianjie.api.services import api_token_issue

API = "/api/v1"
CERT_NO = "14110000001"


class Api:
    """Calls /api/v1 with a bearer token of the given user (one token per user)."""

    def __init__(self) -> None:
        self.client = Client()
        self._tokens: dict[int, str] = {}

    def headers(self, user: Any) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self._tokens:
            self._tokens[user.pk], _ = api_token_issue(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {self._tokens[user.pk]}"}

    def forget_tokens(self) -> None:
        """New tokens on the next call, e.g. after travelling in time past their expiry."""
        self._tokens.clear()

    def get(self, user: Any, path: str, **params: Any):
        return self.client.get(f"{API}{path}", params, **self.headers(user))

    def post(self, user: Any, path: str, body: Any = None):
        data = json.dumps(body) if body is not None else ""
        return self.client.post(
            f"{API}{path}", data, content_type="application/json", **self.headers(user)
        )

    def patch(self, user: Any, path: str, body: Any):
        return self.client.patch(
            f"{API}{path}", json.dumps(body), content_type="application/json", **self.headers(user)
        )

    def upload(
        self,
        user: Any,
        referral_id: int,
        content: bytes,
        *,
        name: str = "证据.pdf",
        role: str = "evidence",
        description: str = "",
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "file": SimpleUploadedFile(name, content),
            "role": role,
            "description": description,
        }
        return self.client.post(
            f"{API}/referrals/{referral_id}/evidence", data, **self.headers(user)
        )

    def move(self, user: Any, referral_id: int, name: str, **body: Any):
        return self.post(user, f"/referrals/{referral_id}/transitions/{name}", body)

    def ok(self, response, status: int = 200) -> dict[str, Any]:
        assert response.status_code == status, response.content.decode()
        return json.loads(response.content)


@pytest.fixture(name="api")
def api_fixture(db) -> Api:
    return Api()


def lead_body(county: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A complete lead (第四条) from the justice bureau to the commission."""
    body = {
        "direction": "to_discipline",
        "receiver_org": county["jw"].pk,
        "source": "supervision_check",
        "subjects": [
            {
                "kind": "person",
                "name": "王某某",
                "post": "执法队员",
                "org": "文水县市场监督管理局",
                "cert_no": CERT_NO,
            }
        ],
        "facts": "2026年3月，王某某在执法检查中收受当事人财物后降低罚款数额。",
        "norms": [{"name": "中华人民共和国行政处罚法", "clause": "第五十五条"}],
        "violation_codes": ["P08"],
        "summary": "执法人员收受财物",
    }
    body.update(changes)
    return body


def fault_body(county: dict[str, Any], receiver: str = "sj", **changes: Any) -> dict[str, Any]:
    """An enforcement fault (第六条) from the commission to a supervision body."""
    body = {
        "direction": "to_supervision",
        "receiver_org": county[receiver].pk,
        "source": "investigation",
        "subjects": [{"kind": "agency", "name": "文水县市场监督管理局"}],
        "facts": "审查调查中发现该局多起案件未依法告知当事人陈述申辩权利。",
        "norms": [],
        "violation_codes": ["E01"],
    }
    body.update(changes)
    return body


def create(api: Api, user: Any, body: dict[str, Any]) -> int:
    return api.ok(api.post(user, "/referrals", body), 201)["id"]


def send(api: Api, clerk: Any, leader: Any, body: dict[str, Any], evidence: bytes) -> int:
    """Draft, attach evidence, submit and approve through the API: the referral is `sent`."""
    referral_id = create(api, clerk, body)
    api.ok(api.upload(clerk, referral_id, evidence), 201)
    api.ok(api.move(clerk, referral_id, "submit"))
    api.ok(api.move(leader, referral_id, "approve"))
    return referral_id


def deadlines(detail: dict[str, Any]) -> dict[str, str]:
    """kind -> state of a detail answer's clocks."""
    return {d["kind"]: d["state"] for d in detail["deadlines"]}
