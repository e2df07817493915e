"""Every transition of the table, for both directions and from every reachable status
(第四至七条): an allowed move by the right person lands on the table's target and leaves one
history row and its audit entries; a move the table does not allow is 409 and changes nothing;
anyone else pressing an allowed move gets 403, or 404 when the referral is not theirs to see."""

from __future__ import annotations

import re

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, NotFound, NotPermitted
from xianjie.referrals.models import Referral, ReferralEvent
from xianjie.referrals.services import SERVICES, transitions_for
from xianjie.referrals.transitions import Direction, Status, Transition, status_label, table_for

from .flows import DEFAULT_FIELDS, PERSONAS, REACHABLE

pytestmark = pytest.mark.django_db

MOVES = [name for name in Transition.values if name != Transition.CREATE]
UNSENT = {Status.DRAFT, Status.PENDING_APPROVAL}
#: Sending is 第四条 (第六条 for a fault); what the receiver does is 第五条 (第七条 for a fault).
SENDING = {Transition.SUBMIT, Transition.APPROVE, Transition.REJECT, Transition.WITHDRAW}


def article(direction: str, transition: str) -> int:
    if direction == Direction.TO_DISCIPLINE:
        return 4 if transition in SENDING else 5
    return 6 if transition in SENDING else 7


def cases(allowed: bool) -> list:
    found = []
    for direction, statuses in REACHABLE.items():
        table = table_for(direction)
        for status in statuses:
            for transition in MOVES:
                if (transition in table[status]) == allowed:
                    found.append(
                        pytest.param(
                            direction,
                            status,
                            transition,
                            id=f"{direction}-{status}-{transition}",
                            marks=pytest.mark.article(article(direction, transition)),
                        )
                    )
    return found


def sees(user, referral) -> bool:
    """Who may see a referral, stated independently of policies.py (第十一条): the sending org
    always, the receiving org once it has been sent; only clerks and leaders."""
    if user.org_id is None:
        return False
    if user.org_id == referral.sender_org_id:
        return True
    return user.org_id == referral.receiver_org_id and referral.status not in UNSENT


@pytest.mark.parametrize(("direction", "status", "transition"), cases(allowed=True))
def test_allowed_transition_lands_on_the_tables_target(
    flow, snapshot, direction, status, transition, django_capture_on_commit_callbacks
):
    referral = flow.to_status(status, direction)
    actor = flow.actor(referral, transition)
    fields = flow.fields(referral, transition)
    before = snapshot(referral.pk)
    last_audit = AuditEntry.objects.order_by("-seq").first()

    with django_capture_on_commit_callbacks(execute=True):
        SERVICES[transition](referral_id=referral.pk, actor=actor, **fields)

    after = snapshot(referral.pk)
    moved = Referral.objects.get(pk=referral.pk)
    assert moved.status == table_for(direction)[status][transition]
    assert after["events"] == before["events"] + 1
    event = ReferralEvent.objects.filter(referral=moved).order_by("-at", "-id").first()
    assert (event.transition, event.from_status, event.to_status) == (
        transition,
        status,
        moved.status,
    )
    assert (event.actor_id, event.actor_org_id) == (actor.pk, actor.org_id)
    entries = AuditEntry.objects.filter(seq__gt=last_audit.seq if last_audit else 0)
    own = entries.get(action=f"referral.{transition}", object_id=str(referral.pk))
    assert (own.actor_id, own.tier, own.payload["status"], own.payload["previous"]) == (
        actor.pk,
        3,
        moved.status,
        status,
    )


@pytest.mark.parametrize(("direction", "status", "transition"), cases(allowed=False))
def test_transition_the_table_refuses_is_409_and_changes_nothing(
    flow, snapshot, direction, status, transition, django_capture_on_commit_callbacks
):
    referral = flow.to_status(status, direction)
    actor = flow.actor(referral, transition)
    # Valid fields, so that only the status can be the reason for refusing; the feedback letter
    # cannot be uploaded outside `handling`, so a number stands in for it.
    fields = dict(DEFAULT_FIELDS.get(transition, {}))
    if transition == Transition.FORWARD:
        fields.update(target_org=flow.forward_target(referral).pk, reason="应由他机关管辖。")
    if transition == Transition.FEEDBACK:
        fields["document"] = 10**9
    before = snapshot(referral.pk)
    # The receiving side cannot see a referral before it is sent: 404, not 409 (第十一条).
    refusal = Conflict if sees(actor, referral) else NotFound

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(refusal) as refused,
    ):
        SERVICES[transition](referral_id=referral.pk, actor=actor, **fields)

    assert snapshot(referral.pk) == before
    assert callbacks == []
    # The message is shown to the user as it is: Chinese, naming status and move.
    assert not re.search("[A-Za-z]", refused.value.detail), refused.value.detail


@pytest.mark.parametrize(("direction", "status", "transition"), cases(allowed=True))
def test_allowed_transition_pressed_by_anyone_else_is_403_or_404(
    flow, snapshot, direction, status, transition
):
    referral = flow.to_status(status, direction)
    right = flow.actor(referral, transition)
    fields = flow.fields(referral, transition)
    before = snapshot(referral.pk)
    refused = {}

    for name in PERSONAS:
        user = flow.people[name]
        if user.pk == right.pk:
            continue
        try:
            SERVICES[transition](referral_id=referral.pk, actor=user, **fields)
        except (NotFound, NotPermitted) as error:
            refused[name] = type(error)
        else:
            refused[name] = None

    expected = {
        name: NotPermitted if sees(flow.people[name], referral) else NotFound
        for name in PERSONAS
        if flow.people[name].pk != right.pk
    }
    assert refused == expected
    assert snapshot(referral.pk) == before


def test_a_fault_is_never_merely_received():
    """第七条: receipt of a fault starts verification at once; nothing leads to `received`."""
    table = table_for(Direction.TO_SUPERVISION)
    targets = {target for moves in table.values() for target in moves.values()}
    assert Status.RECEIVED not in targets
    assert table[Status.SENT][Transition.RECEIVE] == Status.HANDLING
    assert Transition.DISPOSE not in table[Status.RECEIVED]
    assert status_label(Direction.TO_SUPERVISION, Status.HANDLING) == "核查中"
    assert status_label(Direction.TO_DISCIPLINE, Status.HANDLING) == "办理中"


@pytest.mark.article(5)
def test_supplement_returns_a_lead_to_where_the_request_found_it(flow):
    received = flow.to_status("received")
    waiting = flow.do(received, "request_supplement")
    assert (waiting.status, waiting.resume_status) == (Status.AWAITING_SUPPLEMENT, Status.RECEIVED)

    back = flow.do(waiting, "supplement")

    assert (back.status, back.resume_status) == (Status.RECEIVED, "")
    # From `received` the commission still decides how to dispose of it.
    assert flow.do(back, "dispose").status == Status.HANDLING


@pytest.mark.article(5)
def test_returned_lead_is_revised_and_sent_again_under_its_own_number(flow):
    returned = flow.to_status("returned")
    number = returned.number

    again = flow.walk(returned, ["revise", "submit", "approve"])

    assert (again.status, again.number) == (Status.SENT, number)
    history = ReferralEvent.objects.filter(referral=again).values_list("transition", flat=True)
    assert " ".join(history) == (
        "create submit approve receive dispose return revise submit approve"
    )


@pytest.mark.parametrize("direction", list(REACHABLE))
@pytest.mark.parametrize("status", ["draft", "pending_approval", "sent", "handling", "returned"])
def test_buttons_are_exactly_the_moves_the_user_may_press(flow, direction, status):
    referral = flow.to_status(status, direction)
    table = table_for(direction)[status]

    for name in PERSONAS:
        user = flow.people[name]
        pressable = [
            move
            for move in table
            if sees(user, referral) and flow.actor(referral, move).pk == user.pk
        ]
        assert [move for move, _ in transitions_for(user, referral)] == pressable, name
