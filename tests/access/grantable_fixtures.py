"""Fixtures of the access-request tests (第十一条 严格审批共享).

The request workflow must not depend on any one kind of item, so these tests register their own
grantable, "test_referral", over sent referrals: found by number, owned by the receiver, opened
directly by the two parties. The scene: the justice bureau (sf) has sent a closed lead to the
commission (jw); the education bureau's legal unit (outsider = jy.clerk) needs it — its own leader
(jy.leader) approves first, the commission's leader (jw.leader) second.

Import them with `from .grantable_fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xianjie.access.grantables import Grantable, GrantedFile, OpenedFile, _grantables
from xianjie.access.models import AccessRequest
from xianjie.core.errors import NotFound
from xianjie.referrals.evidence.services import evidence_plaintext
from xianjie.referrals.models import Evidence, Referral

__all__ = [
    "KIND",
    "PERSONAS",
    "PURPOSE",
    "STATUSES",
    "grant",
    "make_request",
    "people",
    "referral",
    "test_grantable",
]

KIND = "test_referral"
PURPOSE = "核查该执法人员在本系统内的执法资格及相关处理情况"
#: Every persona of tests/conftest.py: the requester and their leader (jy), the owner (jw), the
#: other party to the case (sf), an unrelated unit (jt, sj) and the 三员.
PERSONAS = (
    "outsider",
    "jy_leader",
    "jw_clerk",
    "jw_leader",
    "sf_clerk",
    "sf_leader",
    "sj_clerk",
    "sj_leader",
    "jt_clerk",
    "jt_leader",
    "sysadmin",
    "secadmin",
    "auditor",
)
#: Every status a request can be in, plus "lapsed": granted, its period over, not yet swept.
STATUSES = (
    "pending_own",
    "pending_owner",
    "granted",
    "lapsed",
    "rejected",
    "withdrawn",
    "revoked",
    "expired",
)


class ReferralForTests(Grantable):
    kind = KIND
    label = "移送线索（测试）"
    reference_label = "移送文号"

    def find(self, reference: str) -> Referral | None:
        number = str(reference or "").strip()
        if not number:
            return None
        return Referral.objects.filter(number=number, sent_at__isnull=False).first()

    def get(self, object_id: int) -> Referral | None:
        return Referral.objects.filter(pk=object_id, sent_at__isnull=False).first()

    def describe(self, item: Referral) -> str:
        return item.number

    def owner_org(self, item: Referral) -> Any:
        return item.receiver_org

    def is_party(self, item: Referral, user: Any) -> bool:
        return Referral.objects.restrict(user, "view").filter(pk=item.pk).exists()

    def render(self, item: Referral, user: Any) -> tuple[str, dict[str, Any]]:
        return "referrals/granted.html", {"referral": item}

    def files(self, item: Referral) -> list[GrantedFile]:
        return [
            GrantedFile(
                id=row.pk, filename=f"证据{row.pk}", content_type=row.content_type, size=row.size
            )
            for row in Evidence.objects.filter(referral=item).order_by("id")
        ]

    def open_file(self, item: Referral, file_id: int) -> OpenedFile:
        row = Evidence.objects.filter(referral=item, pk=file_id).first()
        if row is None:
            raise NotFound()
        filename, data = evidence_plaintext(row)
        return OpenedFile(filename=filename, content_type=row.content_type, data=data)


@pytest.fixture
def test_grantable():
    """The "test_referral" kind, registered for the test only."""
    kind = ReferralForTests()
    _grantables[kind.kind] = kind
    yield kind
    _grantables.pop(kind.kind, None)


@pytest.fixture
def people(request):
    """Every persona by name, created on first use."""

    class People(dict):
        def __missing__(self, name: str) -> Any:
            self[name] = request.getfixturevalue(name)
            return self[name]

    return People()


@pytest.fixture
def referral(make_referral, sf_clerk, jw_clerk):
    """A closed lead the justice bureau sent to the commission."""
    return make_referral(sender="sf", receiver="jw", status="closed", facts="案情MARK-FACTS-3390")


@pytest.fixture
def make_request(test_grantable, make_referral, people, sf_clerk, jw_clerk):
    """Factory: `make_request("granted", item=None, period_days=7)` — an outsider's request for a
    referral sf → jw (a new one unless `item` is given), moved through the services to the
    status; "lapsed" is a grant whose period is over but which the sweep has not closed yet."""
    from xianjie.access.services.requests import (
        access_grants_expire,
        access_request_approve,
        access_request_file,
        access_request_reject,
        access_request_revoke,
        access_request_withdraw,
    )

    outsider, jy_leader, jw_leader = people["outsider"], people["jy_leader"], people["jw_leader"]

    def make(status: str = "pending_own", item: Referral | None = None, **fields: Any):
        item = item or make_referral(sender="sf", receiver="jw", status="closed")
        filed = access_request_file(
            kind=KIND,
            reference=item.number,
            purpose=fields.pop("purpose", PURPOSE),
            actor=outsider,
            **fields,
        )
        pk = filed.pk
        if status == "rejected":
            access_request_reject(request_id=pk, actor=jy_leader, reason="与本单位职责无关")
        elif status == "withdrawn":
            access_request_withdraw(request_id=pk, actor=outsider)
        elif status != "pending_own":
            access_request_approve(request_id=pk, actor=jy_leader)
            if status != "pending_owner":
                access_request_approve(request_id=pk, actor=jw_leader)
        if status == "revoked":
            access_request_revoke(request_id=pk, actor=jw_leader, reason="案件已移交")
        if status in ("lapsed", "expired"):
            # The grant ran out a minute ago; the sweep closes it only for "expired".
            past = timezone.now() - timedelta(minutes=1)
            AccessRequest.objects.filter(pk=pk).update(expires_at=past)
            if status == "expired":
                access_grants_expire()
        return AccessRequest.objects.get(pk=pk)

    return make


@pytest.fixture
def grant(make_request, referral):
    """The outsider's live grant of `referral`."""
    return make_request("granted", item=referral)
