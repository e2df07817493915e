"""Fixtures of the typical-case tests (第十二条): officers, a closed referral whose facts name
them, cases built directly in any status (for the tests of what sits on them), cases made
through the services, and an API client speaking as a persona.

Test modules take them with `from .lesson_fixtures import *`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xianjie.api.services import api_token_issue
from xianjie.catalog.models import ViolationCode
from xianjie.referrals.sealing import seal
from xianjie.referrals.services.drafting import write_content
from xianjie.sharing.models import Lesson, LessonStatus
from xianjie.sharing.search import index_text
from xianjie.sharing.services.lessons import lesson_prepare, lesson_publish, lesson_review

from ..factories import OfficerFactory, make_user
from ..referrals.conftest import city_commission
from .conftest import data_dir, make_referral

__all__ = [
    "ALL_PERSONAS",
    "CERT",
    "FACTS",
    "HANDLER",
    "ID_CARD",
    "ID_CARD_X",
    "MOBILE",
    "OFFICER",
    "RESULT",
    "LessonApi",
    "city_commission",
    "closed_referral",
    "data_dir",
    "handler",
    "lesson_api",
    "make_lesson",
    "make_referral",
    "officer",
    "people",
    "published",
]

OFFICER = "张建国"
CERT = "14110012345"
HANDLER = "赵文静"
#: A resident ID number with a valid checksum, and one whose checksum is X.
ID_CARD = "142301199003072410"
ID_CARD_X = "14112819850610182X"
MOBILE = "13935861234"
FACTS = (
    f"2026年3月，{OFFICER}（执法证号{CERT}）在对某超市检查时未进行执法全过程记录，并以个人手机"
    f"{MOBILE}与当事人（身份证号码{ID_CARD}）私下联系；经办人{HANDLER}于20260311登记。"
)
RESULT = f"经谈话函询，{OFFICER}如实说明问题，对其批评教育并责令作出书面检查，罚款20000元已退还。"
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
    "jy_leader",
    "sysadmin",
    "secadmin",
    "auditor",
)


@pytest.fixture
def people(request):
    """Every persona, by fixture name (so that notifications have all their recipients)."""
    return {name: request.getfixturevalue(name) for name in ALL_PERSONAS}


@pytest.fixture
def officer(county):
    """张建国 of the market regulator, in the registry, with 执法证号 14110012345."""
    return OfficerFactory(name=OFFICER, org=county["sj_dept"], cert_no=CERT)


@pytest.fixture
def handler(county):
    """A clerk of the justice bureau with a real name, who registered the referral."""
    return make_user("sf.handler", county["sf"], "clerk", full_name=HANDLER)


@pytest.fixture
def closed_referral(make_referral, officer, handler, sf_clerk):
    """SCENARIOS.md story 6: a lead of the justice bureau to the commission about 张建国,
    handled by 谈话函询 and closed; its facts name him, his certificate, a phone, an ID number
    and the clerk who registered it."""
    referral = make_referral(
        sender="sf",
        receiver="jw",
        status="closed",
        created_by=handler,
        facts=FACTS,
        disposal_method="talk_or_letter",
        closed_at=timezone.now(),
    )
    write_content(
        referral,
        subjects=[
            {
                "kind": "person",
                "officer": officer,
                "name": OFFICER,
                "post": "执法队员",
                "org_name": "文水县市场监督管理局",
                "cert_no": CERT,
            }
        ],
        norms=[{"name": "《中华人民共和国行政处罚法》", "clause": "第四十七条"}],
        codes=list(ViolationCode.objects.filter(code="P08")),
        facts=FACTS,
        summary="执法全过程未记录",
    )
    referral.result_enc = seal(referral, "result", RESULT)
    referral.save(update_fields=["result_enc"])
    return referral


@pytest.fixture
def published(closed_referral, county, sf_leader, sf_clerk):
    """`published(tier=1, targets=("sj",))`: the case of the closed referral made through the
    services — prepared and published by sf.leader, reviewed by sf.clerk."""

    def make(tier: int = 1, targets: tuple[str, ...] = ("sj",)) -> Lesson:
        lesson = lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
        lesson_review(lesson_id=lesson.pk, actor=sf_clerk)
        return lesson_publish(
            lesson_id=lesson.pk,
            actor=sf_leader,
            tier=tier,
            target_orgs=[county[key].pk for key in targets],
        )

    return make


@pytest.fixture
def make_lesson(make_referral, county, sf_leader):
    """Factory: a case row in any status built directly (no services), for the tests of who
    sees what — `make_lesson("标题", status="published", tier=2, targets=("sj",), org="sf")`."""

    def make(
        title: str,
        *,
        status: str = LessonStatus.PUBLISHED,
        tier: int = 1,
        targets: tuple[str, ...] = ("sj",),
        org: str = "sf",
        codes: tuple[str, ...] = ("P08",),
    ) -> Lesson:
        referral = make_referral(sender="sf", receiver="jw", status="closed")
        now = timezone.now()
        published = status in (LessonStatus.PUBLISHED, LessonStatus.WITHDRAWN)
        text = f"{title}的基本案情：某执法人员未按要求进行执法全过程记录。"
        lesson = Lesson.objects.create(
            referral=referral,
            title=title,
            text=text,
            tier=tier,
            status=status,
            org=county[org],
            created_by=sf_leader,
            published_by=sf_leader if published else None,
            published_at=now if published else None,
            withdrawn_at=now if status == LessonStatus.WITHDRAWN else None,
            search_text=index_text(title, text),
        )
        lesson.target_orgs.set([county[key] for key in targets])
        lesson.violation_codes.set(ViolationCode.objects.filter(code__in=codes))
        return lesson

    return make


class LessonApi:
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
def lesson_api():
    return LessonApi()
