"""第九条: recording the problems an inspection finds — who may, when, what is checked, what is
written, and the tier 3 rule for a finding that names an officer."""

from __future__ import annotations

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import Finding, FindingEvent
from xianjie.inspections.selectors.findings import finding_content
from xianjie.notifications.models import Notification

from .finding_fixtures import *  # noqa: F403
from .finding_fixtures import DESCRIPTION

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]


def test_organisers_record_findings_numbered_one_after_another(
    inspection_under_way, record, jw_clerk, sf_leader, county
):
    first = record(inspection_under_way, actor=jw_clerk)
    second = record(
        inspection_under_way,
        actor=sf_leader,
        unit=county["jt_dept"].pk,
        severity="serious",
        violation_codes=["a02", "E01", "A02"],
    )
    assert (first.sequence, second.sequence) == (1, 2)
    assert (first.tier, second.tier) == (2, 2)
    assert second.unit == county["jt_dept"]
    assert second.severity == "serious"
    content = finding_content(Finding.objects.get(pk=first.pk))
    assert content.title == "行政处罚案卷不规范"
    assert content.description == DESCRIPTION
    assert content.basis == "《中华人民共和国行政处罚法》第四十七条"
    assert content.officer_name == ""
    assert content.codes == ["A04"]
    assert finding_content(second).codes == ["A02", "E01"]


def test_recording_writes_an_event_and_an_audit_entry_without_content(
    inspection_under_way, record, jw_clerk
):
    finding = record(inspection_under_way)
    event = FindingEvent.objects.get(finding=finding)
    assert (event.action, event.actor, event.data["tier"]) == ("create", jw_clerk, 2)
    entry = AuditEntry.objects.get(action="finding.create")
    assert entry.tier == 2
    assert entry.object_id == str(finding.pk)
    assert entry.payload["sequence"] == 1
    assert entry.payload["codes"] == ["A04"]
    assert DESCRIPTION not in str(entry.payload)
    assert "案卷" not in str(entry.payload)


def test_organisers_hear_of_a_finding_but_not_its_content(
    findings_inspection,
    record,
    jt_clerk,
    jw_clerk,
    sf_clerk,
    sj_clerk,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        record(findings_inspection, actor=jt_clerk)
    told = Notification.objects.filter(kind="inspection")
    assert {n.recipient for n in told} == {jw_clerk, sf_clerk}
    assert all(DESCRIPTION not in n.title and "案卷" not in n.title for n in told)
    assert not Notification.objects.filter(recipient__in=[jt_clerk, sj_clerk]).exists()


def test_an_inspector_records_for_the_unit_of_their_team(findings_inspection, record, jt_clerk):
    finding = record(findings_inspection, actor=jt_clerk)
    assert finding.created_by == jt_clerk
    assert finding.sequence == 1


def test_an_inspector_may_not_record_for_another_teams_unit(
    make_inspection, record, jt_clerk, sf_clerk, county
):
    inspection = make_inspection(
        method="special", status="under_way", units={"sj_dept": [jt_clerk], "jy_dept": [sf_clerk]}
    )
    with pytest.raises(NotPermitted):
        record(inspection, actor=jt_clerk, unit=county["jy_dept"].pk)
    assert not Finding.objects.exists()


@pytest.mark.parametrize("name", ["sj_clerk", "sj_leader", "jt_leader"])
def test_the_unit_and_others_who_see_the_plan_may_not_record(
    request, findings_inspection, record, name
):
    user = request.getfixturevalue(name)
    with pytest.raises((NotPermitted, NotFound)) as refusal:
        record(findings_inspection, actor=user)
    # The inspected unit sees the plan (403); someone it does not concern does not (404).
    expected = NotPermitted if name.startswith("sj") else NotFound
    assert refusal.type is expected
    assert not Finding.objects.exists()


@pytest.mark.parametrize("name", ["outsider", "sysadmin", "secadmin", "auditor"])
def test_whoever_cannot_see_the_inspection_gets_404(request, findings_inspection, record, name):
    with pytest.raises(NotFound):
        record(findings_inspection, actor=request.getfixturevalue(name))
    assert not Finding.objects.exists()


@pytest.mark.parametrize("status", ["planned", "closed", "cancelled"])
def test_findings_are_recorded_only_while_the_inspection_is_on(
    make_inspection, record, jw_clerk, status
):
    inspection = make_inspection(status=status, units={"sj_dept": [jw_clerk]})
    with pytest.raises(Conflict):
        record(inspection)
    assert not Finding.objects.exists()


def test_a_reported_inspection_still_takes_findings(make_inspection, record, jw_clerk):
    inspection = make_inspection(status="reported", units={"sj_dept": [jw_clerk]})
    assert record(inspection).sequence == 1


def test_every_bad_field_is_named_at_once_and_nothing_is_written(
    inspection_under_way, record, county
):
    with pytest.raises(InvalidInput) as refusal:
        record(
            inspection_under_way,
            unit=county["jy_dept"].pk,
            severity="fatal",
            title="  ",
            description="",
            basis="依" * 2001,
            violation_codes=["Z99"],
            officer="abc",
            officer_name="名" * 51,
        )
    errors = refusal.value.errors
    assert set(errors) == {
        "unit",
        "severity",
        "title",
        "description",
        "basis",
        "violation_codes",
        "officer",
        "officer_name",
    }
    assert errors["title"] == ["请填写问题概述。"]
    assert errors["unit"] == ["被检查单位应为本次督查的被检查单位之一。"]
    assert "Z99" in errors["violation_codes"][0]
    assert not Finding.objects.exists()
    assert not AuditEntry.objects.filter(action="finding.create").exists()


def test_a_missing_unit_and_an_overlong_title_are_refused(inspection_under_way, record):
    with pytest.raises(InvalidInput) as refusal:
        record(inspection_under_way, unit=None, title="题" * 101)
    assert refusal.value.errors["unit"] == ["请选择被检查单位。"]
    assert refusal.value.errors["title"] == ["问题概述不应超过100个字。"]


def test_an_officer_of_another_unit_is_refused(inspection_under_way, record, county, officer):
    with pytest.raises(InvalidInput) as refusal:
        record(inspection_under_way, unit=county["jt_dept"].pk, officer=officer.pk)
    assert refusal.value.errors == {"officer": ["该执法人员不属于所选被检查单位。"]}


def test_an_officer_of_another_region_does_not_exist_for_the_recorder(inspection_under_way, record):
    from ..factories import OfficerFactory, OrgFactory, RegionFactory

    city = RegionFactory(code="141100", name="吕梁市", level="city")
    stranger = OfficerFactory(org=OrgFactory(region=city))
    with pytest.raises(InvalidInput) as refusal:
        record(inspection_under_way, officer=stranger.pk)
    assert refusal.value.errors == {"officer": ["执法人员不存在。"]}


def test_naming_an_officer_from_the_registry_makes_the_finding_tier_3(
    inspection_under_way, record, officer
):
    finding = record(inspection_under_way, officer=officer.pk)
    assert finding.tier == 3
    assert finding.officer == officer
    assert finding_content(finding).officer_name == "王某某"
    entry = AuditEntry.objects.get(action="finding.create")
    assert entry.tier == 3
    assert "王某某" not in str(entry.payload)


def test_naming_a_person_who_is_not_in_the_registry_makes_it_tier_3(inspection_under_way, record):
    finding = record(inspection_under_way, officer_name="李某")
    assert (finding.tier, finding.officer) == (3, None)
    assert finding_content(finding).officer_name == "李某"
