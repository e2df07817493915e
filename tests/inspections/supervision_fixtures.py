"""Fixtures of the supervision act and A10 flag tests (第十三条（十）): acts drafted and signed
through the services, deadlines moved into the past, an API client speaking as a persona.

Test modules take them with `from .supervision_fixtures import *`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from xianjie.api.services import api_token_issue
from xianjie.calendar.models import Clock
from xianjie.calendar.services import clocks_refresh
from xianjie.inspections.models import Rectification, SupervisionAct
from xianjie.inspections.selectors.supervision import act_task
from xianjie.inspections.services.supervision import act_create, act_issue

__all__ = [
    "ALL_PERSONAS",
    "PROBLEM",
    "SupervisionApi",
    "act_body",
    "data_dir",
    "lapse",
    "make_act",
    "people",
    "sv_api",
]

PROBLEM = "抽查的12件行政处罚案卷中有5件未附现场检查笔录，程序违法。"
BASIS = "《中华人民共和国行政处罚法》第五十五条"
REQUIREMENT = "对上述案卷逐件自查，依法补正或者纠正。"
ALL_PERSONAS = (
    "sf_clerk",
    "sf_leader",
    "sj_clerk",
    "sj_leader",
    "jt_clerk",
    "jt_leader",
    "jw_clerk",
    "jw_leader",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
)


def act_body(target: Any, **overrides: Any) -> dict[str, Any]:
    """The fields of a notice to `target` (an Org)."""
    return {
        "kind": "notice",
        "target_org": target.pk,
        "problem": PROBLEM,
        "basis": BASIS,
        "requirement": REQUIREMENT,
        **overrides,
    }


@pytest.fixture
def people(request):
    """Every persona, by fixture name (so that notifications have all their recipients)."""
    return {name: request.getfixturevalue(name) for name in ALL_PERSONAS}


@pytest.fixture
def make_act(people, county):
    """`make_act(issuer="sf", target="sj_dept", issued=True, **fields)`: an act drafted by the
    issuer's clerk and, when `issued`, signed by its leader — both through the services."""

    def make(
        *, issuer: str = "sf", target: str = "sj_dept", issued: bool = True, **fields: Any
    ) -> SupervisionAct:
        body = act_body(county[target], **fields)
        act = act_create(actor=people[f"{issuer}_clerk"], **body)
        if issued:
            act = act_issue(act_id=act.pk, actor=people[f"{issuer}_leader"])
        return act

    return make


def lapse(act: SupervisionAct, *, days_late: int = 3) -> Clock:
    """Move the report deadline of an issued act `days_late` days into the past (its period
    kept) and let the sweep mark it overdue."""
    task = act_task(act)
    assert task is not None
    today = timezone.localdate()
    due = today - timedelta(days=days_late)
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(Rectification), object_id=task.pk
    )
    clocks.update(start_date=due - timedelta(days=act.period_days), due_date=due)
    clocks_refresh(today=today)
    return clocks.get()


@pytest.fixture
def data_dir(tmp_path, settings):
    """The encrypted file store and the master key under tmp_path (a referral's evidence)."""
    from xianjie.core import crypto

    root = tmp_path / "data"
    (root / "uploads").mkdir(parents=True, mode=0o700)
    settings.DATA_DIR = root
    settings.FILE_UPLOAD_TEMP_DIR = str(root / "uploads")
    settings.MASTER_KEY_FILE = str(root / "master.key")
    settings.DEMO_MODE = True
    crypto._load_master.cache_clear()
    yield root
    crypto._load_master.cache_clear()


class SupervisionApi:
    """Calls /api/v1 with a bearer token of the given user."""

    def __init__(self) -> None:
        self.client = Client()
        self._tokens: dict[int, str] = {}

    def _headers(self, user: Any) -> dict[str, str]:
        if user.pk not in self._tokens:
            self._tokens[user.pk], _ = api_token_issue(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {self._tokens[user.pk]}"}

    def get(self, user: Any, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, **self._headers(user))

    def post(self, user: Any, path: str, body: Any = None):
        data = json.dumps(body) if body is not None else ""
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", **self._headers(user)
        )

    def patch(self, user: Any, path: str, body: Any):
        return self.client.patch(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            **self._headers(user),
        )

    @staticmethod
    def ok(response, status: int = 200) -> Any:
        assert response.status_code == status, response.content.decode()
        return json.loads(response.content)


@pytest.fixture
def sv_api():
    return SupervisionApi()
