"""What each transition requires besides the right person and status: a move pressed without it
is refused with the field named in Chinese and changes nothing (第五条 reasons, 第七条 written
feedback)."""

from __future__ import annotations

import pytest

from xianjie.core.errors import InvalidInput
from xianjie.referrals.services import SERVICES, referral_transition
from xianjie.referrals.services.path import MAX_COMMENT
from xianjie.referrals.transitions import Status

pytestmark = pytest.mark.django_db


def refused_with(flow, snapshot, referral, transition, field, **fields):
    """Press `transition` with `fields` as the right person: InvalidInput naming `field`, and
    nothing changed."""
    before = snapshot(referral.pk)
    actor = flow.actor(referral, transition)
    with pytest.raises(InvalidInput) as refused:
        SERVICES[transition](referral_id=referral.pk, actor=actor, **fields)
    assert list(refused.value.errors) == [field]
    assert all(refused.value.errors[field]), "every message is spelled out"
    assert snapshot(referral.pk) == before
    return refused.value


@pytest.mark.article(4)
@pytest.mark.parametrize("comment", ["", "   "])
def test_reject_without_a_comment_is_refused(flow, snapshot, comment):
    pending = flow.to_status("pending_approval")
    error = refused_with(flow, snapshot, pending, "reject", "comment", comment=comment)
    assert "意见" in error.errors["comment"][0]


@pytest.mark.article(4)
def test_withdraw_without_a_reason_is_refused(flow, snapshot):
    sent = flow.to_status("sent")
    refused_with(flow, snapshot, sent, "withdraw", "comment", comment="")


@pytest.mark.article(5)
@pytest.mark.parametrize("status", ["received", "handling"])
@pytest.mark.parametrize("reason", ["", " \n "])
def test_return_without_a_reason_is_refused(flow, snapshot, status, reason):
    lead = flow.to_status(status)
    error = refused_with(flow, snapshot, lead, "return", "reason", reason=reason)
    assert error.errors["reason"] == ["请填写退回理由。"]


@pytest.mark.article(5)
def test_return_with_an_overlong_reason_is_refused(flow, snapshot):
    lead = flow.to_status("received")
    refused_with(flow, snapshot, lead, "return", "reason", reason="理" * (MAX_COMMENT + 1))


@pytest.mark.article(5)
@pytest.mark.parametrize("status", ["received", "handling"])
def test_forward_without_a_reason_is_refused(flow, snapshot, status):
    lead = flow.to_status(status)
    target = flow.forward_target(lead).pk
    refused_with(flow, snapshot, lead, "forward", "reason", target_org=target, reason="")


@pytest.mark.article(5)
@pytest.mark.parametrize(
    "target",
    ["", None, "abc", 10**9, "sj_dept", "sf", "jw", "sender", "inactive"],
)
def test_forward_to_no_or_an_invalid_org_is_refused(flow, snapshot, county, target):
    """A lead goes to another competent commission only: not an enforcement body, not a
    supervision body, not itself or its sender, not a closed-down org, not a made-up id."""
    lead = flow.to_status("received")
    if target == "sender":
        target = lead.sender_org_id
    elif target == "inactive":
        flow.city.is_active = False
        flow.city.save(update_fields=["is_active"])
        target = flow.city.pk
    elif target in county:
        target = county[target].pk
    refused_with(flow, snapshot, lead, "forward", "target_org", target_org=target, reason="理由")


@pytest.mark.article(7)
@pytest.mark.parametrize("target", ["jw", "jt", "jy_dept", "abc"])
def test_forward_a_fault_only_to_another_supervision_body(flow, snapshot, county, target):
    fault = flow.to_status("handling", "to_supervision")
    value = county[target].pk if target in county else target
    refused_with(flow, snapshot, fault, "forward", "target_org", target_org=value, reason="理由")


@pytest.mark.article(5)
@pytest.mark.parametrize("method", ["", "xyz", "close"])
def test_dispose_without_a_known_method_is_refused(flow, snapshot, method):
    lead = flow.to_status("received")
    error = refused_with(flow, snapshot, lead, "dispose", "method", method=method)
    assert "谈话函询" in error.errors["method"][0]


@pytest.mark.article(7)
@pytest.mark.parametrize("direction", ["to_discipline", "to_supervision"])
def test_feedback_without_a_result_is_refused(flow, snapshot, direction):
    case = flow.to_status("handling", direction)
    letter = flow.upload(case, flow.member(case.receiver_org_id, "clerk"), "feedback_letter")
    refused_with(flow, snapshot, case, "feedback", "result", result=" ", document=letter.pk)


@pytest.mark.article(7)
@pytest.mark.parametrize("direction", ["to_discipline", "to_supervision"])
@pytest.mark.parametrize("document", ["", None, "abc", 10**9])
def test_feedback_without_a_written_document_is_refused(flow, snapshot, direction, document):
    """第七条 书面反馈: a status alone is never feedback."""
    case = flow.to_status("handling", direction)
    refused_with(flow, snapshot, case, "feedback", "document", result="已核查", document=document)


@pytest.mark.article(7)
def test_feedback_document_must_be_a_feedback_letter_of_this_referral(flow, snapshot):
    fault = flow.to_status("handling", "to_supervision")
    evidence = fault.evidence.get(role="evidence")
    refused_with(flow, snapshot, fault, "feedback", "document", result="结果", document=evidence.pk)

    other = flow.to_status("handling", "to_supervision")
    foreign = flow.upload(other, flow.member(other.receiver_org_id, "clerk"), "feedback_letter")
    refused_with(flow, snapshot, fault, "feedback", "document", result="结果", document=foreign.pk)


@pytest.mark.article(5)
@pytest.mark.parametrize("status", ["received", "handling"])
def test_request_supplement_without_saying_what_is_refused(flow, snapshot, status):
    lead = flow.to_status(status)
    refused_with(flow, snapshot, lead, "request_supplement", "what", what="")


@pytest.mark.article(5)
def test_supplement_with_neither_comment_nor_file_is_refused(flow, snapshot):
    waiting = flow.to_status("awaiting_supplement")
    refused_with(flow, snapshot, waiting, "supplement", "comment", comment="  ")


@pytest.mark.article(5)
def test_supplement_file_alone_is_enough(flow):
    waiting = flow.to_status("awaiting_supplement")
    flow.upload(waiting, flow.member(waiting.sender_org_id, "clerk"), "supplement")

    assert flow.do(waiting, "supplement", comment="").status == Status.HANDLING


@pytest.mark.article(5)
def test_a_file_of_an_earlier_supplement_does_not_answer_a_new_request(flow, snapshot):
    waiting = flow.to_status("awaiting_supplement")
    flow.upload(waiting, flow.member(waiting.sender_org_id, "clerk"), "supplement")
    again = flow.walk(flow.do(waiting, "supplement", comment=""), ["request_supplement"])

    refused_with(flow, snapshot, again, "supplement", "comment", comment="")


@pytest.mark.article(5)
@pytest.mark.parametrize(
    ("status", "name", "field"),
    [
        ("received", "forward", "target_org"),
        ("received", "return", "reason"),
        ("received", "dispose", "method"),
        ("received", "request_supplement", "what"),
        ("handling", "feedback", "result"),
        ("pending_approval", "reject", "comment"),
    ],
)
def test_the_single_entry_point_names_the_missing_field(flow, snapshot, status, name, field):
    """referral_transition (the API's entry) with the fields left out: 400, never a crash."""
    lead = flow.to_status(status)
    before = snapshot(lead.pk)
    with pytest.raises(InvalidInput) as refused:
        referral_transition(referral_id=lead.pk, name=name, actor=flow.actor(lead, name))
    assert field in refused.value.errors
    assert snapshot(lead.pk) == before


@pytest.mark.article(5)
def test_the_single_entry_point_takes_a_reason_given_as_comment(flow):
    lead = flow.to_status("received")
    referral_transition(
        referral_id=lead.pk, name="return", actor=flow.actor(lead, "return"), comment="不属管辖"
    )
    lead.refresh_from_db()
    assert lead.status == Status.RETURNED
