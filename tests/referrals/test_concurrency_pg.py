"""Two people acting on the same referral at the same moment (PostgreSQL, real concurrent
transactions): the row lock lets exactly one succeed; the other gets 409 and leaves no trace.
Two approvals at once of different referrals of one org never share a 文号."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict
from xianjie.documents.models import DocNumberSequence
from xianjie.referrals.models import Referral, ReferralEvent
from xianjie.referrals.services import SERVICES

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseeded"),
    pytest.mark.article(5),
]


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


def press(flow, referral, name, actor=None, **fields):
    actor = actor or flow.actor(referral, name)
    fields = fields or flow.fields(referral, name)
    return lambda: SERVICES[name](referral_id=referral.pk, actor=actor, **fields)


def chain_verifies() -> bool:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return "审计链校验通过" in out.getvalue()


def audit_count(referral, action):
    return AuditEntry.objects.filter(
        action=f"referral.{action}", object_id=str(referral.pk)
    ).count()


@pytest.mark.parametrize("direction", ["to_discipline", "to_supervision"])
def test_two_receivers_pressing_receive_at_once_receive_it_once(flow, direction):
    sent = flow.to_status("sent", direction)
    clerk = flow.member(sent.receiver_org_id, "clerk")

    results = race(press(flow, sent, "receive", clerk), press(flow, sent, "receive", clerk))

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Referral"]
    assert ReferralEvent.objects.filter(referral=sent, transition="receive").count() == 1
    assert audit_count(sent, "receive") == 1
    assert Referral.objects.get(pk=sent.pk).received_at is not None
    assert chain_verifies()


def test_approve_and_reject_at_once_only_one_wins(flow):
    pending = flow.to_status("pending_approval")
    leader = flow.people["sf_leader"]

    results = race(
        press(flow, pending, "approve", leader),
        press(flow, pending, "reject", leader, comment="请修改"),
    )

    winners = [r for r in results if isinstance(r, Referral)]
    assert len(winners) == 1
    assert [type(r) for r in results if not isinstance(r, Referral)] == [Conflict]
    final = Referral.objects.get(pk=pending.pk)
    assert final.status == winners[0].status
    decided = ReferralEvent.objects.filter(referral=pending, transition__in=["approve", "reject"])
    assert decided.count() == 1
    assert audit_count(pending, "approve") + audit_count(pending, "reject") == 1
    # A rejected lead has no number; an approved one has exactly the one it was given.
    assert bool(final.number) == (final.status == "sent")
    assert chain_verifies()


def test_return_and_forward_at_once_only_one_wins(flow):
    received = flow.to_status("received")

    results = race(press(flow, received, "return"), press(flow, received, "forward"))

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Referral"]
    forwarded = Referral.objects.filter(forwarded_from=received).count()
    assert forwarded == (Referral.objects.get(pk=received.pk).status == "forwarded")
    assert chain_verifies()


def test_concurrent_approvals_of_one_org_get_different_numbers(flow):
    """The first approvals of the year (the sequence row does not exist yet), then two more."""
    numbers = []
    for _ in range(2):
        first, second = flow.to_status("pending_approval"), flow.to_status("pending_approval")
        results = race(press(flow, first, "approve"), press(flow, second, "approve"))
        assert all(isinstance(r, Referral) for r in results), results
        numbers += [r.number for r in results]

    assert len(set(numbers)) == 4
    assert sorted(int(re.search(r"〕(\d+)号", n).group(1)) for n in numbers) == [1, 2, 3, 4]
    sequence = DocNumberSequence.objects.get(org=flow.county["sf"], doc_type="referral")
    assert sequence.last_number == 4
    assert chain_verifies()
