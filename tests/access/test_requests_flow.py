"""The access-request workflow through its services (第十一条 严格审批共享): filing, the two
approvals in order (the requester's own leader, then the owner's), refusal at either stage,
withdrawal, revocation; who may do each; what is written (timeline, audit) and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xianjie.access.models import AccessEvent, AccessRequest
from xianjie.access.services.requests import (
    access_request_approve,
    access_request_file,
    access_request_reject,
    access_request_revoke,
    access_request_withdraw,
)
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.notifications.models import Notification

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import KIND, PURPOSE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]


def file_for(actor, referral, **fields):
    values = {"kind": KIND, "reference": referral.number, "purpose": PURPOSE, **fields}
    return access_request_file(actor=actor, **values)


def told(user):
    return list(
        Notification.objects.filter(recipient=user, kind="access_request").values_list(
            "title", flat=True
        )
    )


def actions_of(access):
    return list(
        AuditEntry.objects.filter(object_type="access.accessrequest", object_id=str(access.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_two_approvals_in_order_grant_the_item_for_its_period(
    test_grantable,
    referral,
    outsider,
    jy_leader,
    jw_leader,
    jw_clerk,
    sf_leader,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_for(outsider, referral, period_days=10)
    assert (filed.status, filed.owner_org.code, filed.requester_org.code) == (
        "pending_own",
        "文纪",
        "文教法",
    )
    assert (filed.reference, filed.object_id, filed.period_days) == (
        referral.number,
        referral.pk,
        10,
    )
    assert told(jy_leader) == [f"调阅申请待审批：{referral.number}（jy.clerk申请，10日）"]
    assert told(jw_leader) == []

    with django_capture_on_commit_callbacks(execute=True):
        first = access_request_approve(request_id=filed.pk, actor=jy_leader, comment="同意")
    assert (first.status, first.own_approver, first.granted_at) == (
        "pending_owner",
        jy_leader,
        None,
    )
    assert told(jw_leader) == [f"调阅申请待审批：{referral.number}（文水县教育局法制股申请）"]
    assert told(jw_clerk) == told(sf_leader) == []

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        granted = access_request_approve(request_id=filed.pk, actor=jw_leader)
    assert (granted.status, granted.owner_approver) == ("granted", jw_leader)
    assert granted.granted_at >= before
    assert granted.expires_at - granted.granted_at == timedelta(days=10)
    (note,) = Notification.objects.filter(recipient=outsider)
    assert note.title.startswith(f"调阅申请已批准：{referral.number}，可查阅至")
    assert note.url == f"/access/requests/{filed.pk}/"

    events = AccessEvent.objects.filter(request=filed)
    assert [(e.transition, e.from_status, e.to_status, e.actor) for e in events] == [
        ("file", "", "pending_own", outsider),
        ("approve", "pending_own", "pending_owner", jy_leader),
        ("approve", "pending_owner", "granted", jw_leader),
    ]
    assert events[1].comment == "同意"
    assert actions_of(filed) == [
        "access.request_file",
        "access.request_approve",
        "access.request_approve",
    ]
    entry = AuditEntry.objects.filter(action="access.request_file").get()
    assert (entry.tier, entry.payload["reference"], entry.payload["kind"]) == (
        3,
        referral.number,
        KIND,
    )
    # The purpose is free text: it stays on the request, never in the audit chain.
    assert not AuditEntry.objects.filter(payload__icontains="执法资格").exists()


def test_the_owner_leader_cannot_approve_before_the_requesters_own_leader(make_request, jw_leader):
    filed = make_request("pending_own")
    with pytest.raises(NotPermitted):
        access_request_approve(request_id=filed.pk, actor=jw_leader)
    assert AccessRequest.objects.get(pk=filed.pk).status == "pending_own"


def test_the_own_leader_cannot_give_the_second_approval(make_request, jy_leader):
    waiting = make_request("pending_owner")
    with pytest.raises(NotPermitted):
        access_request_approve(request_id=waiting.pk, actor=jy_leader)
    assert AccessRequest.objects.get(pk=waiting.pk).status == "pending_owner"


def test_a_leader_cannot_approve_his_own_request(
    test_grantable, referral, county, jy_leader, outsider
):
    from tests.factories import make_user

    filed = file_for(jy_leader, referral)
    other_leader = make_user("jy.leader2", county["jy"], "leader")
    with pytest.raises(NotPermitted):
        access_request_approve(request_id=filed.pk, actor=jy_leader)
    # A clerk of the same org does not even see a colleague's request.
    with pytest.raises(NotFound):
        access_request_approve(request_id=filed.pk, actor=outsider)
    assert access_request_approve(request_id=filed.pk, actor=other_leader).status == (
        "pending_owner"
    )


def test_an_unrelated_leader_gets_404_and_a_clerk_of_the_owner_403(
    make_request, jt_leader, sf_leader, jw_clerk
):
    waiting = make_request("pending_owner")
    for stranger in (jt_leader, sf_leader):
        with pytest.raises(NotFound):
            access_request_approve(request_id=waiting.pk, actor=stranger)
    with pytest.raises(NotPermitted):
        access_request_approve(request_id=waiting.pk, actor=jw_clerk)
    assert AccessRequest.objects.get(pk=waiting.pk).status == "pending_owner"


@pytest.mark.parametrize(
    ("stage", "leader"), [("pending_own", "jy_leader"), ("pending_owner", "jw_leader")]
)
def test_refusal_at_either_stage_needs_a_reason_and_ends_the_request(
    make_request, people, stage, leader, django_capture_on_commit_callbacks
):
    waiting = make_request(stage)
    for blank in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            access_request_reject(request_id=waiting.pk, actor=people[leader], reason=blank)
        assert refused.value.errors == {"reason": ["请填写不予批准的理由。"]}
    assert AccessRequest.objects.get(pk=waiting.pk).status == stage

    with django_capture_on_commit_callbacks(execute=True):
        rejected = access_request_reject(
            request_id=waiting.pk, actor=people[leader], reason="调阅事由与本单位职责无关"
        )
    assert (rejected.status, rejected.reason, rejected.closed_by) == (
        "rejected",
        "调阅事由与本单位职责无关",
        people[leader],
    )
    assert told(people["outsider"])[-1] == f"调阅申请未获批准：{rejected.reference}"
    assert actions_of(rejected)[-1] == "access.request_reject"
    with pytest.raises(Conflict):
        access_request_approve(request_id=waiting.pk, actor=people[leader])


def test_the_requester_withdraws_while_pending_and_not_after(
    make_request, outsider, jy_leader, django_capture_on_commit_callbacks
):
    waiting = make_request("pending_own")
    with pytest.raises(NotPermitted):
        access_request_withdraw(request_id=waiting.pk, actor=jy_leader)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = access_request_withdraw(request_id=waiting.pk, actor=outsider)
    assert (withdrawn.status, withdrawn.closed_by) == ("withdrawn", outsider)
    assert told(jy_leader)[-1] == f"调阅申请已撤回：{withdrawn.reference}"
    granted = make_request("granted")
    with pytest.raises(Conflict):
        access_request_withdraw(request_id=granted.pk, actor=outsider)


def test_the_owner_leader_revokes_a_grant_with_a_reason(
    make_request, outsider, jy_leader, jw_leader, jw_clerk, django_capture_on_commit_callbacks
):
    granted = make_request("granted")
    for other in (jy_leader, jw_clerk, outsider):
        with pytest.raises(NotPermitted):
            access_request_revoke(request_id=granted.pk, actor=other, reason="收回")
    with pytest.raises(InvalidInput) as refused:
        access_request_revoke(request_id=granted.pk, actor=jw_leader, reason="")
    assert refused.value.errors == {"reason": ["请填写收回授权的理由。"]}

    with django_capture_on_commit_callbacks(execute=True):
        revoked = access_request_revoke(request_id=granted.pk, actor=jw_leader, reason="案件已移交")
    assert (revoked.status, revoked.reason, revoked.closed_by) == (
        "revoked",
        "案件已移交",
        jw_leader,
    )
    assert told(outsider)[-1] == f"调阅授权已收回：{revoked.reference}"
    assert actions_of(revoked)[-1] == "access.request_revoke"
    with pytest.raises(Conflict):
        access_request_revoke(request_id=granted.pk, actor=jw_leader, reason="再次收回")


@pytest.mark.parametrize("party", ["sf_clerk", "sf_leader", "jw_clerk", "jw_leader"])
def test_a_party_to_the_case_cannot_request_it(test_grantable, referral, people, party):
    with pytest.raises(InvalidInput) as refused:
        file_for(people[party], referral)
    assert refused.value.errors == {
        "reference": ["您所在单位是该案件的当事方，可直接查阅，无需申请。"]
    }
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_the_three_administrators_cannot_request(test_grantable, referral, people, persona):
    with pytest.raises(NotPermitted):
        file_for(people[persona], referral)
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize(
    ("days", "stored"), [(None, 7), ("", 7), (1, 1), ("30", 30), (30, 30), (7, 7)]
)
def test_period_defaults_to_seven_days_and_accepts_one_to_thirty(
    test_grantable, make_referral, outsider, days, stored
):
    item = make_referral(sender="sf", receiver="jw", status="closed")
    assert file_for(outsider, item, period_days=days).period_days == stored


@pytest.mark.parametrize("days", [0, 31, -1, "x", "7.5", True, 3.0, "３"])
def test_a_period_outside_one_to_thirty_is_refused_on_its_field(
    test_grantable, referral, outsider, days
):
    with pytest.raises(InvalidInput) as refused:
        file_for(outsider, referral, period_days=days)
    assert refused.value.errors == {"period_days": ["调阅期限应为1至30之间的整数（日）。"]}
    assert not AccessRequest.objects.exists()


def test_every_bad_field_is_named_at_once(test_grantable, outsider):
    with pytest.raises(InvalidInput) as refused:
        access_request_file(
            kind=KIND, reference="", purpose="工作需要", period_days=0, actor=outsider
        )
    assert refused.value.errors == {
        "reference": ["请填写移送文号。"],
        "purpose": ["请说明调阅的目的和用途，调阅事由不少于10个字。"],
        "period_days": ["调阅期限应为1至30之间的整数（日）。"],
    }
    with pytest.raises(InvalidInput) as refused:
        access_request_file(kind="nothing", reference="X", purpose="", actor=outsider)
    assert refused.value.errors == {
        "kind": ["请选择调阅对象类别。"],
        "purpose": ["请填写调阅事由。"],
    }
    with pytest.raises(InvalidInput) as refused:
        access_request_file(kind=KIND, reference="X", purpose="理" * 1001, actor=outsider)
    assert refused.value.errors == {
        "reference": ["未找到移送文号为“X”的移送线索（测试）。"],
        "purpose": ["调阅事由不应超过1000个字。"],
    }


def test_an_unknown_or_unsent_number_is_not_found(test_grantable, make_referral, outsider):
    draft = make_referral(sender="sf", receiver="jw", status="draft", number="文司移〔2026〕99号")
    for number in ("文司移〔2026〕404号", draft.number):
        with pytest.raises(InvalidInput) as refused:
            file_for(outsider, draft, reference=number)
        assert refused.value.errors == {
            "reference": [f"未找到移送文号为“{number}”的移送线索（测试）。"]
        }


def test_a_second_open_request_for_the_same_item_is_a_conflict(
    make_request, referral, outsider, jy_leader, test_grantable
):
    first = make_request("pending_own", item=referral)
    with pytest.raises(Conflict) as refused:
        file_for(outsider, referral)
    assert f"调阅申请#{first.pk}" in refused.value.detail
    access_request_approve(request_id=first.pk, actor=jy_leader)
    with pytest.raises(Conflict):
        file_for(outsider, referral)
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize("closed", ["rejected", "withdrawn", "revoked", "expired", "lapsed"])
def test_a_new_request_may_follow_one_that_has_ended(
    make_request, referral, outsider, test_grantable, closed
):
    make_request(closed, item=referral)
    assert file_for(outsider, referral).status == "pending_own"


def test_another_person_of_the_same_org_may_request_the_same_item(
    make_request, referral, jy_leader, test_grantable
):
    make_request("pending_own", item=referral)
    assert file_for(jy_leader, referral).requester == jy_leader
