"""Random sequences of transitions pressed by random personas never leave the table and never
lose a history row or an audit entry (第四至七条, DOMAIN.md "One state machine").

Each step predicts the outcome from the table and the rules of who acts (stated here, not read
from the services): 404 for someone who cannot see the referral, 403 for someone else who can,
409 for a move the table does not allow, 400 for missing fields — and then checks it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from xianjie.audit.models import AuditEntry
from xianjie.audit.verify import verify_chain
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted, ServiceError
from xianjie.referrals.models import Referral, ReferralEvent
from xianjie.referrals.services import SERVICES
from xianjie.referrals.transitions import Status, Transition, table_for

from .flows import DEFAULT_FIELDS, PERSONAS, REACHABLE, take_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.article(5), pytest.mark.article(7)]

MOVES = sorted(name for name in Transition.values if name != Transition.CREATE)
UNSENT = {Status.DRAFT, Status.PENDING_APPROVAL}
#: The field each move cannot do without (dropped when a step is drawn "incomplete").
REQUIRED = {
    "reject": "comment",
    "withdraw": "comment",
    "dispose": "method",
    "return": "reason",
    "forward": "target_org",
    "request_supplement": "what",
    "supplement": "comment",
    "feedback": "document",
}


def replay(referral: Referral) -> str:
    """Walk the history through the table; the status it ends on."""
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("id"))
    assert (events[0].transition, events[0].from_status, events[0].to_status) == (
        Transition.CREATE,
        "",
        Status.DRAFT,
    )
    table, status, resume = table_for(referral.direction), Status.DRAFT, ""
    for event in events[1:]:
        assert event.from_status == status, event
        expected = table[status][event.transition]
        if event.transition == Transition.REQUEST_SUPPLEMENT:
            resume = status
        if event.transition == Transition.SUPPLEMENT:
            expected = resume
        assert event.to_status == expected, event
        status = event.to_status
    return status


class ReferralMachine(RuleBasedStateMachine):
    flow = None  # set by the test before the machine runs

    @initialize(
        lane=st.sampled_from(
            [("to_discipline", "sf"), ("to_discipline", "sj"), ("to_supervision", "jw")]
        ),
        data=st.data(),
    )
    def start(self, lane, data):
        """A new referral, walked through the services to a random status first, so that short
        sequences still reach the far end of the table."""
        direction, sender = lane
        status = data.draw(st.sampled_from(sorted(REACHABLE[direction])), label="start")
        self.referral = self.flow.to_status(status, direction, sender=sender)
        self.status = self.referral.status
        self.letters: list[int] = []
        # A supplement file uploaded since the last request answers it without a comment.
        self.supplied = False

    def fresh(self) -> Referral:
        return Referral.objects.select_related("sender_org", "receiver_org").get(
            pk=self.referral.pk
        )

    @precondition(lambda self: self.status == Status.HANDLING)
    @rule()
    def upload_feedback_letter(self):
        referral = self.fresh()
        clerk = self.flow.member(referral.receiver_org_id, "clerk")
        self.letters.append(self.flow.upload(referral, clerk, "feedback_letter").pk)

    @precondition(lambda self: self.status == Status.AWAITING_SUPPLEMENT)
    @rule()
    def upload_supplement(self):
        referral = self.fresh()
        self.flow.upload(referral, self.flow.member(referral.sender_org_id, "clerk"), "supplement")
        self.supplied = True

    @rule(data=st.data())
    def press(self, data):
        referral = self.fresh()
        table = table_for(referral.direction)
        allowed = sorted(table[referral.status])
        # Half the draws pick a move the table allows, so that sequences get somewhere.
        # Most draws pick a move the table allows and its right person, so that sequences get
        # somewhere; the rest are anything by anyone.
        likely = st.sampled_from([True, True, True, False])
        pool = allowed if allowed and data.draw(likely, label="allowed") else MOVES
        name = data.draw(st.sampled_from(pool), label="move")
        right = self.flow.actor(referral, name)
        by_right = data.draw(likely, label="right person")
        user = right if by_right else self.flow.people[data.draw(st.sampled_from(PERSONAS))]
        complete = data.draw(likely, label="complete")
        fields = self.fields(referral, name, complete)

        expected = self.predict(referral, name, user, right, fields, complete)
        before = take_snapshot(referral.pk)
        try:
            SERVICES[name](referral_id=referral.pk, actor=user, **fields)
        except ServiceError as error:
            outcome: type | None = type(error)
        else:
            outcome = None

        after = take_snapshot(referral.pk)
        if expected is None or outcome is None:
            assert outcome is expected, (name, user.username, fields)
        else:
            assert issubclass(outcome, expected), (name, user.username, fields, outcome)
        if outcome is None:
            if name == Transition.REQUEST_SUPPLEMENT:
                self.supplied = False
            moved = self.fresh()
            target = table[referral.status][name]
            if name == Transition.SUPPLEMENT:
                target = referral.resume_status
            assert moved.status == target
            assert after["events"] == before["events"] + 1
            assert after["audit"] >= before["audit"] + 1
            assert AuditEntry.objects.filter(
                action=f"referral.{name}", object_id=str(referral.pk)
            ).exists()
        else:
            assert after == before

    def fields(self, referral, name, complete):
        fields = dict(DEFAULT_FIELDS.get(name, {}))
        if name == Transition.FORWARD:
            fields.update(target_org=self.flow.forward_target(referral).pk, reason="应由他机关管辖")
        if name == Transition.FEEDBACK:
            fields["document"] = self.letters[-1] if self.letters else 10**9
        if not complete and name in REQUIRED:
            fields[REQUIRED[name]] = ""
        return fields

    def predict(self, referral, name, user, right, fields, complete):
        """None for success, else the error class the step must raise."""
        if name == Transition.SUPPLEMENT and self.supplied:
            complete = True
        if not complete and name in REQUIRED:
            return ServiceError  # 400 before anything else, or an earlier refusal
        sees = user.org_id is not None and (
            user.org_id == referral.sender_org_id
            or (user.org_id == referral.receiver_org_id and referral.status not in UNSENT)
        )
        if not sees:
            return NotFound
        if user.pk != right.pk:
            return NotPermitted
        if name not in table_for(referral.direction)[referral.status]:
            return Conflict
        if name == Transition.FEEDBACK and not self.letters:
            return InvalidInput
        return None

    @invariant()
    def history_replays_through_the_table(self):
        referral = self.fresh()
        self.status = referral.status
        assert referral.status in Status.values
        assert replay(referral) == referral.status

    def teardown(self):
        assert verify_chain().ok


def test_random_sequences_stay_in_the_table_and_keep_their_trail(flow):
    ReferralMachine.flow = flow
    run_state_machine_as_test(
        ReferralMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
