"""Two people acting on the same access request at the same moment (第十一条; PostgreSQL, real
concurrent transactions): the row lock lets exactly one act through; the other gets 409 and
leaves no trace. Two filings of the same person for the same item at once make one request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from xianjie.access.models import AccessEvent, AccessRequest
from xianjie.access.services.requests import (
    access_request_approve,
    access_request_file,
    access_request_reject,
)
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import KIND, PURPOSE

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True), pytest.mark.article(11)]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together by a barrier, each on its own database
    connection; the result of each, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a transaction never finished"
    return results


@pytest.fixture
def second_jw_leader(county):
    from tests.factories import make_user

    return make_user("jw.leader2", county["jw"], "leader")


def decided(access):
    return AccessEvent.objects.filter(request=access, from_status="pending_owner").count()


def test_two_owner_leaders_approving_at_once_grant_it_once(
    make_request, jw_leader, second_jw_leader
):
    waiting = make_request("pending_owner")

    results = race(
        lambda: access_request_approve(request_id=waiting.pk, actor=jw_leader),
        lambda: access_request_approve(request_id=waiting.pk, actor=second_jw_leader),
    )

    assert sorted(type(r).__name__ for r in results) == ["AccessRequest", "Conflict"]
    (winner,) = [r for r in results if isinstance(r, AccessRequest)]
    final = AccessRequest.objects.get(pk=waiting.pk)
    assert (final.status, final.owner_approver_id) == ("granted", winner.owner_approver_id)
    assert decided(waiting) == 1
    approvals = AuditEntry.objects.filter(
        action="access.request_approve", object_id=str(waiting.pk)
    )
    assert approvals.count() == 2  # the first stage's and the winner's


def test_approve_and_reject_at_once_only_one_wins(make_request, jw_leader, second_jw_leader):
    waiting = make_request("pending_owner")

    results = race(
        lambda: access_request_approve(request_id=waiting.pk, actor=jw_leader),
        lambda: access_request_reject(
            request_id=waiting.pk, actor=second_jw_leader, reason="调阅事由不充分"
        ),
    )

    winners = [r for r in results if isinstance(r, AccessRequest)]
    assert len(winners) == 1
    assert [type(r) for r in results if not isinstance(r, AccessRequest)] == [Conflict]
    final = AccessRequest.objects.get(pk=waiting.pk)
    assert final.status == winners[0].status
    assert decided(waiting) == 1
    assert bool(final.expires_at) == (final.status == "granted")


def test_two_filings_at_once_make_one_request(test_grantable, referral, outsider):
    def file() -> AccessRequest:
        return access_request_file(
            kind=KIND, reference=referral.number, purpose=PURPOSE, actor=outsider
        )

    results = race(file, file)

    assert sorted(type(r).__name__ for r in results) == ["AccessRequest", "Conflict"]
    assert AccessRequest.objects.count() == 1
