"""第八条 teams: a 专项检查's units are enforcement orgs of the region, each inspected by at least
two inspectors of the two supervising sides; nobody inspects the org they belong to or a unit
they declared a conflict with (回避), and the refusals name the unit and the inspector."""

from __future__ import annotations

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import ConflictDeclaration, InspectionUnit
from xianjie.inspections.services.teams import conflict_declare, inspection_units_set

from .plans_fixtures import planned_fixture, staffed_fixture, teams  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]


def rows(plan) -> dict[str, set[str]]:
    return {
        unit.org.code: {user.username for user in unit.inspectors.all()}
        for unit in InspectionUnit.objects.filter(inspection=plan).select_related("org")
    }


def test_units_and_teams_are_set_in_order_with_event_and_audit(staffed, county):
    assert rows(staffed) == {
        "文市监": {"jw.leader", "sf.clerk"},
        "文交": {"jw.leader", "sf.clerk"},
    }
    positions = list(staffed.units.values_list("org__code", "position"))
    assert positions == [("文市监", 0), ("文交", 1)]
    event = staffed.events.get(transition="units_set")
    assert event.data["units"] == [county["sj_dept"].pk, county["jt_dept"].pk]
    assert AuditEntry.objects.filter(action="inspection.units_set").count() == 1


def test_setting_again_replaces_the_units(staffed, county, jw_clerk, jw_leader, sf_leader):
    inspection_units_set(
        inspection_id=staffed.pk,
        actor=jw_clerk,
        units=teams(county, {"jy_dept": [jw_leader, sf_leader]}),
    )
    assert rows(staffed) == {"文教": {"jw.leader", "sf.leader"}}


def test_a_team_needs_two_inspectors(planned, county, jw_clerk, jw_leader):
    with pytest.raises(InvalidInput) as caught:
        inspection_units_set(
            inspection_id=planned.pk,
            actor=jw_clerk,
            units=teams(county, {"sj_dept": [jw_leader], "jt_dept": [jw_leader, jw_leader]}),
        )
    assert caught.value.errors == {
        "units.0.inspectors": ["文水县市场监督管理局的检查组至少需要2名检查人员。"],
        "units.1.inspectors": ["文水县交通运输局的检查组至少需要2名检查人员。"],
    }
    assert not planned.units.exists()


def test_units_are_enforcement_orgs_of_the_region_once_each(
    planned, county, jw_clerk, jw_leader, sf_clerk
):
    team = [jw_leader.pk, sf_clerk.pk]
    units = [
        {"org": county["sf"].pk, "inspectors": team},
        {"org": "x", "inspectors": team},
        {"org": county["sj_dept"].pk, "inspectors": team},
        {"org": county["sj_dept"].pk, "inspectors": team},
    ]
    with pytest.raises(InvalidInput) as caught:
        inspection_units_set(inspection_id=planned.pk, actor=jw_clerk, units=units)
    assert caught.value.errors == {
        "units.0.org": ["被检查单位应为本行政区划内的行政执法机关。"],
        "units.1.org": ["被检查单位应为本行政区划内的行政执法机关。"],
        "units.3.org": ["文水县市场监督管理局重复。"],
    }
    with pytest.raises(InvalidInput) as caught:
        inspection_units_set(inspection_id=planned.pk, actor=jw_clerk, units=[])
    assert caught.value.errors == {"units": ["请至少选择一个被检查单位。"]}


def test_inspectors_are_active_staff_of_the_supervising_sides(
    planned, county, jw_clerk, jw_leader, sf_clerk, sysadmin
):
    from tests.factories import make_user

    officer = make_user("sj.officer", county["sj_dept"], "clerk")
    retired = make_user("sf.retired", county["sf"], "clerk")
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    for stranger in (officer, retired, sysadmin):
        with pytest.raises(InvalidInput) as caught:
            inspection_units_set(
                inspection_id=planned.pk,
                actor=jw_clerk,
                units=teams(county, {"jt_dept": [jw_leader, sf_clerk, stranger]}),
            )
        assert caught.value.errors == {
            "units.0.inspectors": [
                "文水县交通运输局：检查人员应为本行政区划纪检监察机关或行政执法监督机构的在岗人员。"
            ]
        }, stranger.username


def test_recusal_nobody_inspects_their_own_department(
    planned, county, jw_clerk, sj_clerk, jt_clerk
):
    with pytest.raises(InvalidInput) as caught:
        inspection_units_set(
            inspection_id=planned.pk,
            actor=jw_clerk,
            units=teams(county, {"sj_dept": [sj_clerk, jt_clerk], "jt_dept": [sj_clerk, jt_clerk]}),
        )
    assert caught.value.errors == {
        "units.0.inspectors": ["回避：sj.clerk是文水县市场监督管理局的工作人员，不能检查本单位。"],
        "units.1.inspectors": ["回避：jt.clerk是文水县交通运输局的工作人员，不能检查本单位。"],
    }
    # Crossed over, the same two may inspect each other's department.
    inspection_units_set(
        inspection_id=planned.pk,
        actor=jw_clerk,
        units=teams(county, {"sj_dept": [jt_clerk, jw_clerk], "jt_dept": [sj_clerk, jw_clerk]}),
    )
    assert rows(planned)["文市监"] == {"jt.clerk", "jw.clerk"}


def test_recusal_after_a_declared_conflict(planned, county, jw_clerk, sf_clerk, sf_leader):
    conflict_declare(
        inspection_id=planned.pk, actor=sf_clerk, org=county["jt_dept"].pk, reason="配偶在该局任职"
    )
    with pytest.raises(InvalidInput) as caught:
        inspection_units_set(
            inspection_id=planned.pk,
            actor=jw_clerk,
            units=teams(county, {"jt_dept": [sf_clerk, sf_leader]}),
        )
    assert caught.value.errors == {
        "units.0.inspectors": [
            "回避：sf.clerk已申报与文水县交通运输局存在利害关系，不能检查该单位。"
        ]
    }


def test_units_are_set_by_organisers_of_a_planned_special_inspection_only(
    make_inspection, planned, county, jt_clerk, jw_clerk, jw_leader, sf_clerk, outsider
):
    units = teams(county, {"jy_dept": [jw_leader, sf_clerk]})
    seen = make_inspection(method="special", units={"sj_dept": [jw_leader, jt_clerk]})
    with pytest.raises(NotPermitted):
        inspection_units_set(inspection_id=seen.pk, actor=jt_clerk, units=units)
    with pytest.raises(NotFound):
        inspection_units_set(inspection_id=planned.pk, actor=outsider, units=units)
    random = make_inspection(method="random")
    with pytest.raises(Conflict) as caught:
        inspection_units_set(inspection_id=random.pk, actor=jw_clerk, units=units)
    assert caught.value.detail == "随机抽查的被检查单位和检查组由随机抽取产生。"
    started = make_inspection(method="special", status="under_way")
    with pytest.raises(Conflict):
        inspection_units_set(inspection_id=started.pk, actor=jw_clerk, units=units)
    assert not InspectionUnit.objects.filter(org=county["jy_dept"]).exists()


def test_a_declaration_is_recorded_audited_and_told_to_the_organisers(
    planned, county, jw_clerk, sf_clerk, django_capture_on_commit_callbacks
):
    from xianjie.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        declared = conflict_declare(
            inspection_id=planned.pk,
            actor=sf_clerk,
            org=county["sj_dept"].pk,
            reason="曾在该局工作",
        )
    assert (declared.user, declared.org, declared.reason) == (
        sf_clerk,
        county["sj_dept"],
        "曾在该局工作",
    )
    entry = AuditEntry.objects.get(action="inspection.conflict_declare")
    assert entry.payload == {"org": county["sj_dept"].pk, "user": sf_clerk.pk}
    assert "曾在该局工作" not in str(entry.payload)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"jw.clerk"}


def test_a_declaration_names_a_unit_and_a_reason_once(planned, county, sf_clerk):
    with pytest.raises(InvalidInput) as caught:
        conflict_declare(inspection_id=planned.pk, actor=sf_clerk, org=county["sf"].pk, reason=" ")
    assert caught.value.errors == {
        "reason": ["请填写回避事由。"],
        "org": ["回避单位应为本行政区划内的行政执法机关。"],
    }
    conflict_declare(
        inspection_id=planned.pk, actor=sf_clerk, org=county["sj_dept"].pk, reason="亲属"
    )
    with pytest.raises(InvalidInput) as caught:
        conflict_declare(
            inspection_id=planned.pk, actor=sf_clerk, org=county["sj_dept"].pk, reason="亲属"
        )
    assert caught.value.errors == {"org": ["您已申报过对文水县市场监督管理局回避。"]}
    assert ConflictDeclaration.objects.count() == 1


def test_declarations_only_while_planned_and_only_on_a_visible_plan(
    make_inspection, planned, county, jw_clerk, outsider, sj_clerk
):
    started = make_inspection(status="under_way", units={"jt_dept": []})
    with pytest.raises(Conflict):
        conflict_declare(
            inspection_id=started.pk, actor=jw_clerk, org=county["sj_dept"].pk, reason="亲属"
        )
    for stranger in (outsider, sj_clerk):
        with pytest.raises(NotFound):
            conflict_declare(
                inspection_id=planned.pk, actor=stranger, org=county["jt_dept"].pk, reason="亲属"
            )
    assert not ConflictDeclaration.objects.exists()


def test_a_declaration_after_the_teams_blocks_the_start(staffed, county, jw_clerk, jw_leader):
    from xianjie.inspections.services.plans import inspection_transition

    conflict_declare(
        inspection_id=staffed.pk, actor=jw_leader, org=county["sj_dept"].pk, reason="近亲属"
    )
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=staffed.pk, actor=jw_clerk, name="start")
    assert caught.value.errors == {
        "units": ["回避：jw.leader已申报与文水县市场监督管理局存在利害关系，不能检查该单位。"]
    }
    staffed.refresh_from_db()
    assert staffed.status == "planned"
