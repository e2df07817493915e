"""第十一条 tier 3: a referral, its subjects, files and history exist only for the two parties —
the sending org from the first draft, the receiving org once it is sent. The 司法局 sees the
status (never the content) of referrals involving departmental legal units; the 三员 see
nothing. For everyone else lists, counts, searches, warnings and lookups behave as if the
referral did not exist."""

from __future__ import annotations

import pytest

from xianjie.accounts.models import OrgKind
from xianjie.core.errors import NotFound
from xianjie.referrals.models import Evidence, Referral, ReferralSubject
from xianjie.referrals.selectors import (
    duplicate_warnings,
    get_referral_for_user,
    referral_content,
    referral_events,
    referral_list,
)
from xianjie.referrals.services import SERVICES, referral_update
from xianjie.referrals.transitions import Status

from .flows import PERSONAS

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

CONTENT_ACTIONS = ("view", "change", "download", "export")
UNSENT = {Status.DRAFT, Status.PENDING_APPROVAL}


def may_see(user, referral, action="view") -> bool:
    """The rule of 第十一条 as the tests state it, independently of policies.py."""
    if user.org_id is None:
        return False
    if user.org_id == referral.sender_org_id:
        return True
    sent = referral.status not in UNSENT
    if user.org_id == referral.receiver_org_id and sent:
        return True
    departmental = OrgKind.DEPT_SUPERVISION in (
        referral.sender_org.kind,
        referral.receiver_org.kind,
    )
    return action == "status" and user.org.kind == OrgKind.JUSTICE and sent and departmental


@pytest.fixture
def cases(flow):
    """Both directions, a justice-bureau lead and departmental ones, unsent, sent and closed."""
    return {
        "lead_draft": flow.to_status("draft"),
        "lead_pending": flow.to_status("pending_approval"),
        "lead_sent": flow.to_status("sent", cert_no="14110012345"),
        "lead_closed": flow.to_status("closed"),
        "dept_lead_draft": flow.to_status("draft", sender="sj"),
        "dept_lead_handling": flow.to_status("handling", sender="sj", cert_no="14110054321"),
        "fault_pending": flow.to_status("pending_approval", "to_supervision"),
        "fault_handling": flow.to_status("handling", "to_supervision", cert_no="14110067890"),
        "fault_returned": flow.to_status("returned", "to_supervision"),
        "fault_to_justice": flow.to_status("sent", "to_supervision", receiver="sf"),
    }


def expected(flow, cases, name, action="view"):
    user = flow.people[name]
    return {key for key, referral in cases.items() if may_see(user, referral, action)}


def visible(flow, cases, name, action="view"):
    ids = set(Referral.objects.restrict(flow.people[name], action).values_list("pk", flat=True))
    return {key for key, referral in cases.items() if referral.pk in ids}


def test_the_matrix_is_not_trivial(flow, cases):
    """Every persona group meets both outcomes somewhere, so the matrix below tests something."""
    assert expected(flow, cases, "jw_clerk") > {"lead_sent", "fault_pending"}
    assert "lead_draft" not in expected(flow, cases, "jw_clerk")
    assert expected(flow, cases, "sf_clerk", "status") > expected(flow, cases, "sf_clerk")
    assert expected(flow, cases, "outsider") == set()


def test_lists_and_counts_hold_exactly_the_parties_referrals(flow, cases):
    for action in (*CONTENT_ACTIONS, "status"):
        for name in PERSONAS:
            user = flow.people[name]
            wanted = expected(flow, cases, name, action)
            assert visible(flow, cases, name, action) == wanted, (name, action)
            assert Referral.objects.restrict(user, action).count() == len(wanted)
            listed = {r.pk for r in referral_list(user, action=action)}
            assert listed == {cases[key].pk for key in wanted}, (name, action)


def test_subjects_and_files_follow_their_referral(flow, cases):
    for action in CONTENT_ACTIONS:
        for name in PERSONAS:
            user = flow.people[name]
            allowed = {cases[key].pk for key in expected(flow, cases, name, action)}
            subjects = ReferralSubject.objects.restrict(user, action)
            files = Evidence.objects.restrict(user, action)
            assert set(subjects.values_list("referral_id", flat=True)) == allowed, name
            assert set(files.values_list("referral_id", flat=True)) == allowed, name


def test_nobody_but_the_parties_sees_subjects_or_files_by_status(flow, cases):
    for name in PERSONAS:
        user = flow.people[name]
        assert not ReferralSubject.objects.restrict(user, "status").exists(), name
        assert not Evidence.objects.restrict(user, "status").exists(), name


def test_a_referral_not_theirs_is_404_for_every_persona(flow, cases):
    for action in (*CONTENT_ACTIONS, "status"):
        for name in PERSONAS:
            user = flow.people[name]
            for referral in cases.values():
                if may_see(user, referral, action):
                    assert get_referral_for_user(user, referral.pk, action).pk == referral.pk
                else:
                    with pytest.raises(NotFound):
                        get_referral_for_user(user, referral.pk, action)


def test_searching_the_exact_certificate_number_finds_only_ones_own(flow, cases):
    searches = [
        ("lead_sent", "14110012345"),
        ("dept_lead_handling", "14110054321"),
        ("fault_handling", "14110067890"),
    ]
    for name in PERSONAS:
        user = flow.people[name]
        for key, cert in searches:
            for action in ("view", "status"):
                found = referral_list(user, {"q": cert}, action=action)
                wanted = [cases[key].pk] if may_see(user, cases[key]) else []
                assert [r.pk for r in found] == wanted, (name, key, action)
                assert found.count() == len(wanted)


def test_justice_bureau_sees_the_status_of_a_departmental_lead_but_not_its_content(
    flow, cases, sf_clerk, sf_leader
):
    lead = cases["dept_lead_handling"]
    assert get_referral_for_user(sf_clerk, lead.pk, "status").status == Status.HANDLING
    for action in CONTENT_ACTIONS:
        with pytest.raises(NotFound):
            get_referral_for_user(sf_clerk, lead.pk, action)
    # Nor may it act on it, or find it by a content filter.
    with pytest.raises(NotFound):
        SERVICES["return"](referral_id=lead.pk, actor=sf_leader, reason="越权")
    assert not referral_list(sf_clerk, {"code": "P08"}, action="status").filter(pk=lead.pk)
    # An unsent departmental draft is not even a status yet.
    with pytest.raises(NotFound):
        get_referral_for_user(sf_clerk, cases["dept_lead_draft"].pk, "status")


def test_the_three_administrators_see_nothing_at_all(flow, cases):
    for name in ("sysadmin", "secadmin", "auditor"):
        user = flow.people[name]
        for action in (*CONTENT_ACTIONS, "status"):
            assert not Referral.objects.restrict(user, action).exists()
            assert referral_list(user, {"q": "14110012345"}, action=action).count() == 0


def test_duplicate_warnings_never_mention_a_referral_the_user_cannot_see(flow, cases):
    """The education bureau's legal unit drafts a lead about the officer of the justice
    bureau's lead: no hint that the other lead exists. The justice bureau is warned."""
    outsider = flow.people["outsider"]
    theirs = flow.draft(sender="jy", cert_no="14110012345")
    assert duplicate_warnings(outsider, theirs) == []

    dept = flow.draft(sender="sj", cert_no="14110012345")
    assert duplicate_warnings(flow.people["sj_clerk"], dept) == []

    own = flow.draft(cert_no="14110012345")
    (warning,) = duplicate_warnings(flow.people["sf_clerk"], own)
    assert cases["lead_sent"].number in warning


@pytest.mark.article(5)
def test_a_forward_shows_the_competent_org_the_new_referral_only(flow, snapshot):
    """The city commission sees the forwarded lead from then on — its content, and of its
    history only the forward itself, not what passed between the county bodies before."""
    lead = flow.to_status("received")
    lead = flow.do(lead, "request_supplement", what="私下说明的补充要求")
    lead = flow.do(lead, "supplement", comment="私下的补充说明")
    original = flow.do(lead, "forward")
    new = Referral.objects.get(forwarded_from=original)
    city_clerk = flow.people["city_clerk"]

    with pytest.raises(NotFound):
        get_referral_for_user(city_clerk, original.pk)
    assert get_referral_for_user(city_clerk, new.pk).pk == new.pk
    assert referral_content(new).facts == referral_content(original).facts
    history = referral_events(new)
    assert [event.transition for event in history] == ["forward"]
    assert "私下" not in " ".join(event.comment for event in history)
    # The new referral is the forwarding commission's and the city's, nobody else's.
    assert visible_names(flow, new) == {"jw_clerk", "jw_leader", "city_clerk", "city_leader"}


def visible_names(flow, referral):
    return {
        name
        for name in PERSONAS
        if Referral.objects.restrict(flow.people[name], "view").filter(pk=referral.pk).exists()
    }


@pytest.mark.article(5)
def test_a_revised_draft_is_hidden_from_receivers_until_it_is_sent_again(flow, county, jw_clerk):
    """A returned fault is revised and addressed to another legal unit: neither unit sees the
    draft; the new one sees it once it is sent."""
    fault = flow.to_status("returned", "to_supervision")
    assert "jt_clerk" in visible_names(flow, fault)

    draft = flow.do(fault, "revise")
    referral_update(referral_id=draft.pk, actor=jw_clerk, receiver_org=county["sj"].pk)

    assert visible_names(flow, draft) == {"jw_clerk", "jw_leader"}
    sent = flow.walk(draft, ["submit", "approve"])
    assert visible_names(flow, sent) == {"jw_clerk", "jw_leader", "sj_clerk", "sj_leader"}
