"""第八条: a joint inspection is planned by both sides together, changed only by its organisers
while it is planned, and every refusal names each bad field in Chinese and writes nothing."""

from __future__ import annotations

import datetime

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import Inspection, InspectionEvent
from xianjie.inspections.services.plans import inspection_create, inspection_update
from xianjie.notifications.models import Notification

from .plans_fixtures import plan_data, planned_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]


def refusal(error_type, call, *args, **kwargs):
    """Run `call`, expecting `error_type`; nothing may have been written."""
    before = (
        Inspection.objects.count(),
        InspectionEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(error_type) as caught:
        call(*args, **kwargs)
    after = (
        Inspection.objects.count(),
        InspectionEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
    return caught.value


def test_create_records_the_plan_its_event_audit_and_tells_the_other_organisers(
    county, jw_clerk, sf_clerk, sf_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = inspection_create(actor=jw_clerk, **plan_data(county))
    plan.refresh_from_db()
    assert (plan.status, plan.year, plan.region_id) == ("planned", 2026, county["jw"].region_id)
    assert set(plan.organisers.values_list("pk", flat=True)) == {county["jw"].pk, county["sf"].pk}
    event = plan.events.get()
    assert (event.transition, event.from_status, event.to_status) == ("create", "", "planned")
    entry = AuditEntry.objects.get(action="inspection.create")
    assert (entry.object_id, entry.payload["status"]) == (str(plan.pk), "planned")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"sf.clerk", "sf.leader"}


@pytest.mark.parametrize("persona", ["sf_leader", "sj_clerk", "jw_leader"])
def test_either_side_may_plan(county, request, persona):
    user = request.getfixturevalue(persona)
    organisers = {county["jw"].pk, user.org_id}
    if user.org.kind == "discipline":
        organisers.add(county["sf"].pk)
    plan = inspection_create(actor=user, **plan_data(county, organisers=sorted(organisers)))
    assert plan.created_by == user


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_the_three_admins_may_not_plan(county, request, persona):
    user = request.getfixturevalue(persona)
    refusal(NotPermitted, inspection_create, actor=user, **plan_data(county))


def test_an_enforcement_org_user_may_not_plan(county):
    from tests.factories import make_user

    officer = make_user("dept.clerk", county["sj_dept"], "clerk")
    refusal(NotPermitted, inspection_create, actor=officer, **plan_data(county))


def test_one_side_alone_is_not_a_joint_inspection(county, jw_clerk, sf_clerk):
    error = refusal(
        InvalidInput,
        inspection_create,
        actor=jw_clerk,
        **plan_data(county, organisers=[county["jw"].pk]),
    )
    assert "共同组织（第八条）" in error.errors["organisers"][0]
    two_supervisors = [county["sf"].pk, county["sj"].pk]
    error = refusal(
        InvalidInput,
        inspection_create,
        actor=sf_clerk,
        **plan_data(county, organisers=two_supervisors),
    )
    assert "共同组织（第八条）" in error.errors["organisers"][0]


def test_the_actors_own_org_must_organise(county, sj_clerk):
    error = refusal(InvalidInput, inspection_create, actor=sj_clerk, **plan_data(county))
    assert error.errors["organisers"] == ["组织单位应包括本单位（文水县市场监督管理局法制股）。"]


def test_organisers_are_supervising_orgs_of_the_region(county, jw_clerk):
    from tests.factories import OrgFactory, RegionFactory

    elsewhere = OrgFactory(kind="justice", region=RegionFactory(code="141100", name="吕梁市"))
    for wrong in (county["sj_dept"].pk, elsewhere.pk, 999999, "abc"):
        organisers = [county["jw"].pk, county["sf"].pk, wrong]
        error = refusal(
            InvalidInput,
            inspection_create,
            actor=jw_clerk,
            **plan_data(county, organisers=organisers),
        )
        assert "organisers" in error.errors, wrong


def test_every_bad_field_is_named_at_once(county, jw_clerk):
    data = plan_data(
        county,
        title="  ",
        method="audit",
        year="二〇二六",
        planned_start="2026-13-01",
        planned_end="",
        organisers=[],
    )
    error = refusal(InvalidInput, inspection_create, actor=jw_clerk, **data)
    assert set(error.errors) == {
        "title",
        "method",
        "year",
        "planned_start",
        "planned_end",
        "organisers",
    }
    assert error.errors["title"] == ["请填写督查名称。"]
    assert error.errors["method"] == ["检查方式应为专项检查或随机抽查。"]


def test_a_special_inspection_needs_its_topic_a_random_one_does_not(county, jw_clerk):
    error = refusal(InvalidInput, inspection_create, actor=jw_clerk, **plan_data(county, topic=""))
    assert error.errors == {"topic": ["请填写检查主题和内容。"]}
    plan = inspection_create(actor=jw_clerk, **plan_data(county, method="random", topic=""))
    assert plan.method == "random"


def test_dates_end_after_start_and_start_in_the_year(county, jw_clerk):
    late = plan_data(county, planned_start="2026-03-10", planned_end="2026-03-09")
    assert refusal(InvalidInput, inspection_create, actor=jw_clerk, **late).errors == {
        "planned_end": ["计划结束日期不能早于开始日期。"]
    }
    other_year = plan_data(county, year=2027)
    assert refusal(InvalidInput, inspection_create, actor=jw_clerk, **other_year).errors == {
        "planned_start": ["计划开始日期应在2027年度内。"]
    }
    same_day = plan_data(county, planned_start="2026-12-31", planned_end="2027-01-05")
    assert inspection_create(actor=jw_clerk, **same_day).planned_end == datetime.date(2027, 1, 5)


def test_update_changes_the_given_fields_and_records_which(planned, county, sf_leader):
    plan = inspection_update(
        inspection_id=planned.pk,
        actor=sf_leader,
        title="2026年度执法案卷专项检查",
        planned_end="2026-04-15",
    )
    plan.refresh_from_db()
    assert (plan.title, plan.planned_end, plan.topic) == (
        "2026年度执法案卷专项检查",
        datetime.date(2026, 4, 15),
        "行政处罚案卷评查",
    )
    event = plan.events.get(transition="update")
    assert event.data == {"fields": ["title", "planned_end"]}
    assert AuditEntry.objects.get(action="inspection.update").payload["fields"] == [
        "title",
        "planned_end",
    ]


def test_update_is_refused_to_a_non_organiser_who_sees_the_plan(
    make_inspection, jt_clerk, jw_leader
):
    plan = make_inspection(units={"sj_dept": [jw_leader, jt_clerk]})
    error = refusal(
        NotPermitted, inspection_update, inspection_id=plan.pk, actor=jt_clerk, title="x"
    )
    assert error.detail == "只有组织单位可以办理此督查。"


def test_update_of_an_invisible_plan_is_404(planned, outsider, sj_clerk):
    for user in (outsider, sj_clerk):
        refusal(NotFound, inspection_update, inspection_id=planned.pk, actor=user, title="x")


@pytest.mark.parametrize("status", ["under_way", "reported", "closed", "cancelled"])
def test_update_after_planning_is_409(make_inspection, jw_clerk, status):
    plan = make_inspection(status=status)
    refusal(Conflict, inspection_update, inspection_id=plan.pk, actor=jw_clerk, title="新名称")
    assert Inspection.objects.get(pk=plan.pk).title == plan.title


def test_update_validates_like_create_and_refuses_unknown_fields(planned, jw_clerk, county):
    error = refusal(
        InvalidInput,
        inspection_update,
        inspection_id=planned.pk,
        actor=jw_clerk,
        organisers=[county["jw"].pk],
        status="closed",
    )
    assert set(error.errors) == {"status"}
    error = refusal(
        InvalidInput,
        inspection_update,
        inspection_id=planned.pk,
        actor=jw_clerk,
        organisers=[county["jw"].pk],
    )
    assert "共同组织（第八条）" in error.errors["organisers"][0]


def test_the_method_stays_once_units_are_chosen(make_inspection, jw_clerk, jw_leader, sf_clerk):
    plan = make_inspection(method="special", units={"sj_dept": [jw_leader, sf_clerk]})
    error = refusal(
        InvalidInput,
        inspection_update,
        inspection_id=plan.pk,
        actor=jw_clerk,
        method="random",
        topic="",
    )
    assert error.errors == {"method": ["已确定被检查单位或已进行随机抽取，不能更改检查方式。"]}
