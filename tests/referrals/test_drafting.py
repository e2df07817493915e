"""Drafting a referral: what 第四条 requires before a lead goes out (第六条 for a fault), who may
send what to whom, the officer registry, and the duplicate warning."""

from __future__ import annotations

import pytest

from tests.factories import OfficerFactory
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.referrals.selectors import duplicate_warnings, referral_content
from xianjie.referrals.services import (
    referral_create,
    referral_submit,
    referral_update,
    submit_problems,
)
from xianjie.referrals.transitions import Status

pytestmark = pytest.mark.django_db


def lead(actor, county, **data):
    values = {"receiver_org": county["jw"].pk, "source": "supervision_check", **data}
    return referral_create(actor=actor, direction="to_discipline", **values)


@pytest.mark.article(4)
def test_submit_lists_every_missing_item_at_once_and_keeps_the_draft(flow, snapshot, sf_clerk):
    draft = lead(sf_clerk, flow.county, subjects=[{"kind": "person", "name": "王某某"}])
    typed = referral_content(draft)
    before = snapshot(draft.pk)

    with pytest.raises(InvalidInput) as refused:
        referral_submit(referral_id=draft.pk, actor=sf_clerk)

    assert set(refused.value.errors) == {
        "subjects.0.post",
        "subjects.0.cert_no",
        "facts",
        "norms",
        "violation_codes",
        "evidence",
    }
    assert refused.value.errors["subjects.0.cert_no"] == ["请填写执法证编号。"]
    assert refused.value.errors["evidence"] == ["请上传证据材料。"]
    assert "第四条" in refused.value.detail
    assert snapshot(draft.pk) == before
    assert referral_content(draft) == typed


@pytest.mark.article(4)
def test_a_lead_without_any_subject_is_incomplete(flow, sf_clerk):
    draft = lead(sf_clerk, flow.county, facts="事实")
    assert {"subjects", "norms", "violation_codes", "evidence"} <= set(submit_problems(draft))


@pytest.mark.article(4)
def test_complete_lead_has_no_problems_and_is_submitted(flow):
    draft = flow.draft("to_discipline")
    assert submit_problems(draft) == {}
    assert flow.do(draft, "submit").status == Status.PENDING_APPROVAL


@pytest.mark.article(6)
def test_a_fault_needs_subject_facts_code_and_evidence_but_no_certificate(flow, jw_clerk):
    draft = referral_create(
        actor=jw_clerk,
        direction="to_supervision",
        receiver_org=flow.county["jt"].pk,
        source="campaign",
        subjects=[{"kind": "person", "name": "李某"}],
    )
    assert set(submit_problems(draft)) == {"facts", "violation_codes", "evidence"}

    flow.upload(draft, jw_clerk)
    referral_update(
        referral_id=draft.pk, actor=jw_clerk, facts="裁量明显不当", violation_codes=["E03"]
    )

    draft.refresh_from_db()
    assert submit_problems(draft) == {}


@pytest.mark.article(4)
def test_an_agency_subject_needs_no_post_or_certificate(flow, sf_clerk):
    draft = flow.draft(subjects=[{"kind": "agency", "name": "文水县市场监督管理局"}])
    assert submit_problems(draft) == {}


@pytest.mark.article(6)
@pytest.mark.parametrize(
    ("direction", "codes", "bad"),
    [
        ("to_discipline", ["P08", "E03"], "E03"),
        ("to_supervision", ["A01"], "A01"),
        ("to_supervision", ["P08", "E01"], "P08"),
        ("to_discipline", ["Z99"], "Z99"),
    ],
)
def test_codes_of_the_wrong_category_are_refused(flow, direction, codes, bad):
    sender = flow.member(flow.county[flow.SENDERS[direction]].pk, "clerk")
    with pytest.raises(InvalidInput) as refused:
        referral_create(
            actor=sender,
            direction=direction,
            **{
                **flow.content(direction),
                "receiver_org": flow.county[flow.RECEIVERS[direction]].pk,
                "violation_codes": codes,
            },
        )
    assert list(refused.value.errors) == ["violation_codes"]
    assert any(bad in message for message in refused.value.errors["violation_codes"])


@pytest.mark.article(6)
def test_a_draft_cannot_be_changed_to_the_wrong_category_either(flow, jw_clerk, snapshot):
    draft = flow.draft("to_supervision")
    before = snapshot(draft.pk)
    with pytest.raises(InvalidInput):
        referral_update(referral_id=draft.pk, actor=jw_clerk, violation_codes=["P08"])
    assert snapshot(draft.pk) == before
    assert referral_content(draft).codes == ["E03"]


@pytest.mark.article(6)
@pytest.mark.parametrize("persona", ["sj_clerk", "sf_clerk"])
def test_a_supervision_body_cannot_send_a_fault(flow, persona):
    with pytest.raises(NotPermitted):
        referral_create(
            actor=flow.people[persona],
            direction="to_supervision",
            receiver_org=flow.county["jt"].pk,
            **flow.content("to_supervision"),
        )


@pytest.mark.article(4)
def test_the_commission_cannot_send_a_lead_to_itself(flow, jw_clerk):
    with pytest.raises(NotPermitted):
        lead(jw_clerk, flow.county, **flow.content("to_discipline"))


@pytest.mark.article(4)
@pytest.mark.parametrize("receiver", ["sf", "sj", "sj_dept", "city"])
def test_a_lead_goes_to_the_commission_of_the_region_only(flow, sj_clerk, receiver):
    org = flow.city if receiver == "city" else flow.county[receiver]
    with pytest.raises(InvalidInput) as refused:
        lead(sj_clerk, flow.county, **{**flow.content("to_discipline"), "receiver_org": org.pk})
    assert list(refused.value.errors) == ["receiver_org"]


@pytest.mark.article(6)
@pytest.mark.parametrize("receiver", ["jw", "jy_dept"])
def test_a_fault_goes_to_a_supervision_body_only(flow, jw_clerk, receiver):
    with pytest.raises(InvalidInput) as refused:
        referral_create(
            actor=jw_clerk,
            direction="to_supervision",
            receiver_org=flow.county[receiver].pk,
            **flow.content("to_supervision"),
        )
    assert list(refused.value.errors) == ["receiver_org"]


@pytest.mark.article(4)
@pytest.mark.parametrize("persona", ["sf_leader", "sysadmin", "secadmin", "auditor"])
def test_only_a_clerk_drafts(flow, persona):
    with pytest.raises(NotPermitted):
        lead(flow.people[persona], flow.county, **flow.content("to_discipline"))


@pytest.mark.article(4)
def test_every_bad_field_of_a_draft_is_named_at_once(flow, sf_clerk):
    with pytest.raises(InvalidInput) as refused:
        referral_create(
            actor=sf_clerk,
            direction="to_discipline",
            receiver_org="",
            source="campaign",
            subjects=[{"kind": "robot", "name": ""}],
            norms=[{"name": "《行政处罚法》", "clause": ""}],
            violation_codes=["E01"],
        )
    assert set(refused.value.errors) == {
        "receiver_org",
        "source",
        "subjects.0.kind",
        "subjects.0.name",
        "norms.0.clause",
        "violation_codes",
    }


@pytest.mark.article(4)
def test_picking_an_officer_fills_name_post_and_certificate(flow, sf_clerk):
    officer = OfficerFactory(
        org=flow.county["sj_dept"], name="王某某", post="执法大队副队长", cert_no="14110012345"
    )
    draft = lead(sf_clerk, flow.county, subjects=[{"kind": "person", "officer": officer.pk}])

    (subject,) = referral_content(draft).subjects
    assert (subject.name, subject.post, subject.org_name, subject.cert_no) == (
        "王某某",
        "执法大队副队长",
        "文水县市场监督管理局",
        "14110012345",
    )
    assert subject.officer_id == officer.pk


@pytest.mark.article(4)
@pytest.mark.parametrize("officer", ["elsewhere", 10**9, "abc"])
def test_an_officer_outside_the_registry_visible_to_the_clerk_is_refused(flow, sf_clerk, officer):
    if officer == "elsewhere":
        officer = OfficerFactory(org=flow.city).pk
    with pytest.raises(InvalidInput) as refused:
        lead(sf_clerk, flow.county, subjects=[{"kind": "person", "officer": officer}])
    assert refused.value.errors["subjects.0.officer"] == ["执法人员不存在。"]


@pytest.mark.article(4)
def test_duplicate_warning_names_an_open_referral_about_the_same_officer(flow, sf_clerk):
    earlier = flow.to_status("sent", cert_no="14110012345")
    draft = flow.draft(cert_no=" 14110012345 ")

    warnings = duplicate_warnings(sf_clerk, draft)

    assert len(warnings) == 1
    assert earlier.number in warnings[0]
    # A warning, never a block.
    assert flow.do(draft, "submit").status == Status.PENDING_APPROVAL


@pytest.mark.article(4)
def test_duplicate_warning_ignores_closed_and_other_officers(flow, sf_clerk):
    flow.to_status("closed", cert_no="14110012345")
    flow.to_status("sent", cert_no="14110099999")
    draft = flow.draft(cert_no="14110012345")
    assert duplicate_warnings(sf_clerk, draft) == []


@pytest.mark.article(4)
def test_duplicate_warning_names_the_same_agency(flow, sf_clerk):
    agency = [{"kind": "agency", "name": "文水县某执法大队"}]
    flow.to_status("pending_approval", subjects=agency)
    draft = flow.draft(subjects=agency)
    assert len(duplicate_warnings(sf_clerk, draft)) == 1


@pytest.mark.article(4)
def test_only_the_senders_clerk_edits_and_only_a_draft(flow, snapshot):
    draft = flow.draft()
    with pytest.raises(NotPermitted):
        referral_update(referral_id=draft.pk, actor=flow.people["sf_leader"], facts="改")
    with pytest.raises(NotFound):
        referral_update(referral_id=draft.pk, actor=flow.people["jw_clerk"], facts="改")

    pending = flow.do(draft, "submit")
    before = snapshot(pending.pk)
    with pytest.raises(Conflict):
        referral_update(referral_id=pending.pk, actor=flow.people["sf_clerk"], facts="改")
    assert snapshot(pending.pk) == before
