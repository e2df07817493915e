"""A grant closes by itself (第十一条 严格审批共享): it opens its one item until `expires_at` and
not a moment longer — by the clock, before the sweep has run — and the sweep then marks it
expired exactly once, tells the requester and writes the timeline and the audit trail. The
clock is moved with time_machine."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xianjie.access.grants import grant_open
from xianjie.access.models import AccessEvent, AccessRequest
from xianjie.access.services.requests import (
    access_grants_expire,
    access_request_approve,
    access_request_file,
    access_request_revoke,
)
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, NotFound
from xianjie.notifications.models import Notification
from xianjie.referrals.models import Referral

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import KIND, PURPOSE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPROVED = datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def timed_grant(test_grantable, referral, outsider, jy_leader, jw_leader):
    """A 7-day grant approved by the commission's leader at 2026-11-20 09:30 (Shanghai)."""
    with time_machine.travel(APPROVED - timedelta(hours=2), tick=False):
        filed = access_request_file(
            kind=KIND, reference=referral.number, purpose=PURPOSE, actor=outsider
        )
        access_request_approve(request_id=filed.pk, actor=jy_leader)
    with time_machine.travel(APPROVED, tick=False):
        access_request_approve(request_id=filed.pk, actor=jw_leader)
    return AccessRequest.objects.get(pk=filed.pk)


def test_the_period_is_counted_in_calendar_days_from_the_second_approval(timed_grant):
    assert timed_grant.granted_at == APPROVED
    assert timed_grant.expires_at == datetime(2026, 11, 27, 9, 30, tzinfo=SHANGHAI)


def test_the_grant_opens_until_expiry_and_not_after_even_before_the_sweep(
    timed_grant, outsider, referral
):
    with time_machine.travel(timed_grant.expires_at - timedelta(seconds=1), tick=False):
        opened = grant_open(request_id=timed_grant.pk, user=outsider)
        assert opened.item.pk == referral.pk
    for moment in (timed_grant.expires_at, timed_grant.expires_at + timedelta(days=3)):
        with time_machine.travel(moment, tick=False), pytest.raises(NotFound):
            grant_open(request_id=timed_grant.pk, user=outsider)
    assert AccessRequest.objects.get(pk=timed_grant.pk).status == "granted"


def test_the_sweep_marks_an_ended_grant_expired_once_and_tells_the_requester(
    timed_grant, outsider, django_capture_on_commit_callbacks
):
    with time_machine.travel(timed_grant.expires_at - timedelta(minutes=1), tick=False):
        assert access_grants_expire() == 0
    with time_machine.travel(timed_grant.expires_at + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert access_grants_expire() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert access_grants_expire() == 0
    expired = AccessRequest.objects.get(pk=timed_grant.pk)
    assert (expired.status, expired.closed_at) == ("expired", timed_grant.expires_at)
    (event,) = AccessEvent.objects.filter(request=expired, transition="expire")
    assert (event.actor, event.from_status, event.to_status) == (None, "granted", "expired")
    (entry,) = AuditEntry.objects.filter(action="access.request_expire")
    assert (entry.actor_id, entry.object_id, entry.payload["status"]) == (
        None,
        str(expired.pk),
        "expired",
    )
    titles = list(Notification.objects.filter(recipient=outsider).values_list("title", flat=True))
    assert titles.count(f"调阅授权已到期关闭：{expired.reference}") == 1


def test_the_sweep_leaves_pending_revoked_and_running_requests_alone(make_request, timed_grant):
    with time_machine.travel(APPROVED + timedelta(days=3), tick=False):
        others = {s: make_request(s) for s in ("pending_own", "pending_owner", "revoked")}
        running = make_request("granted")
    with time_machine.travel(timed_grant.expires_at + timedelta(days=1), tick=False):
        # `running` was approved three days after `timed_grant`: its period has not ended.
        assert access_grants_expire() == 1
    for status, access in others.items():
        assert AccessRequest.objects.get(pk=access.pk).status == status
    assert AccessRequest.objects.get(pk=running.pk).status == "granted"


def test_revoking_a_grant_whose_period_has_ended_is_a_conflict(timed_grant, jw_leader):
    after = timed_grant.expires_at + timedelta(minutes=5)
    with time_machine.travel(after, tick=False), pytest.raises(Conflict) as refused:
        access_request_revoke(request_id=timed_grant.pk, actor=jw_leader, reason="收回")
    assert refused.value.detail == "该授权已到期关闭，无需收回。"
    assert AccessRequest.objects.get(pk=timed_grant.pk).status == "granted"
    access_grants_expire()
    with pytest.raises(Conflict):
        access_request_revoke(request_id=timed_grant.pk, actor=jw_leader, reason="收回")


def test_a_revoked_grant_no_longer_opens(grant, outsider, jw_leader):
    assert grant_open(request_id=grant.pk, user=outsider).grant.pk == grant.pk
    access_request_revoke(request_id=grant.pk, actor=jw_leader, reason="案件已移交")
    with pytest.raises(NotFound):
        grant_open(request_id=grant.pk, user=outsider)


def test_a_grant_opens_exactly_its_item_and_only_for_its_requester(
    grant, make_referral, outsider, jy_leader, jw_leader, referral
):
    other = make_referral(sender="sf", receiver="jw", status="closed")
    opened = grant_open(request_id=grant.pk, user=outsider)
    assert (opened.item.pk, opened.grantable.kind) == (referral.pk, KIND)
    # Not for the leaders who approved it, though they see the request.
    for approver in (jy_leader, jw_leader):
        with pytest.raises(NotFound):
            grant_open(request_id=grant.pk, user=approver)
    # The grant widens into no list: the outsider's referral lists stay empty.
    assert not Referral.objects.restrict(outsider, "view").exists()
    assert not Referral.objects.restrict(outsider, "status").filter(pk=other.pk).exists()
