"""第八条 transitions, exhaustively: planned → under way → findings reported → closed, or planned →
cancelled. Every move from every status either follows INSPECTION_TABLE or is refused with 409
and changes nothing; only the organisers move a plan."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import Draw, Inspection
from xianjie.inspections.services.plans import inspection_transition
from xianjie.inspections.transitions import INSPECTION_TABLE
from xianjie.notifications.models import Notification

from .plans_fixtures import MOVE_FIELDS, MOVES, STATUSES

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]

DATE_FIELD = {"start": "started_on", "report": "reported_on", "close": "closed_on"}


@pytest.fixture
def plan_in(make_inspection, jw_leader, sf_clerk):
    def make(status: str, method: str = "special") -> Inspection:
        return make_inspection(
            method=method, status=status, units={"sj_dept": [jw_leader, sf_clerk]}
        )

    return make


def snapshot(plan: Inspection) -> tuple:
    plan.refresh_from_db()
    return (plan.status, plan.started_on, plan.reported_on, plan.closed_on, plan.events.count())


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("move", MOVES)
def test_every_move_from_every_status_follows_the_table(plan_in, jw_clerk, status, move):
    plan = plan_in(status)
    allowed = INSPECTION_TABLE[status]
    if move not in allowed:
        before = snapshot(plan)
        with pytest.raises(Conflict):
            inspection_transition(
                inspection_id=plan.pk, actor=jw_clerk, name=move, **MOVE_FIELDS[move]
            )
        assert snapshot(plan) == before
        assert not AuditEntry.objects.filter(action=f"inspection.{move}").exists()
        return
    inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name=move, **MOVE_FIELDS[move])
    plan.refresh_from_db()
    assert plan.status == allowed[move]
    if move in DATE_FIELD:
        assert getattr(plan, DATE_FIELD[move]) == timezone.localdate()
    event = plan.events.get(transition=move)
    assert (event.from_status, event.to_status, event.actor_org_id) == (
        status,
        allowed[move],
        jw_clerk.org_id,
    )
    entry = AuditEntry.objects.get(action=f"inspection.{move}")
    assert entry.payload == {"status": allowed[move], "previous": status}


def test_the_table_reaches_closed_and_ends_there(plan_in, jw_clerk, sf_leader):
    plan = plan_in("planned")
    for actor, move in ((jw_clerk, "start"), (sf_leader, "report"), (jw_clerk, "close")):
        inspection_transition(inspection_id=plan.pk, actor=actor, name=move, **MOVE_FIELDS[move])
    plan.refresh_from_db()
    assert plan.status == "closed"
    assert plan.report_summary == MOVE_FIELDS["report"]["report_summary"]
    assert list(plan.events.values_list("transition", flat=True)) == ["start", "report", "close"]


def test_start_needs_units(make_inspection, jw_clerk):
    plan = make_inspection(method="special")
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="start")
    assert caught.value.errors == {"units": ["尚未确定被检查单位和检查组。"]}


def test_start_needs_teams_of_two(make_inspection, jw_clerk, jw_leader):
    plan = make_inspection(method="special", units={"jt_dept": [jw_leader]})
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="start")
    assert caught.value.errors == {"units": ["文水县交通运输局的检查组至少需要2名检查人员。"]}
    assert Inspection.objects.get(pk=plan.pk).status == "planned"


def _draw(plan: Inspection, actor, sequence: int, status: str) -> Draw:
    return Draw.objects.create(
        inspection=plan,
        sequence=sequence,
        status=status,
        algorithm="test",
        unit_count=1,
        team_size=2,
        pools={},
        pool_digest="0" * 64,
        seed_hash="0" * 64,
        wrapped_key="-",
        seed_enc="-",
        prepared_by=actor,
        prepared_at=timezone.now(),
    )


def test_a_random_inspection_starts_only_on_units_of_a_drawn_draw(plan_in, jw_clerk):
    plan = plan_in("planned", method="random")
    unit = plan.units.get()
    messages = ["文水县市场监督管理局不是有效随机抽取的结果，请重新抽取。"]
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="start")
    assert caught.value.errors == {"units": messages}
    unit.draw = _draw(plan, jw_clerk, 1, "superseded")
    unit.save(update_fields=["draw"])
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="start")
    assert caught.value.errors == {"units": messages}
    unit.draw = _draw(plan, jw_clerk, 2, "drawn")
    unit.save(update_fields=["draw"])
    inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="start")
    assert Inspection.objects.get(pk=plan.pk).status == "under_way"


def test_report_needs_the_inspection_report(plan_in, jw_clerk):
    plan = plan_in("under_way")
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="report")
    assert caught.value.errors == {"report_summary": ["请填写检查情况报告。"]}


def test_cancel_needs_its_reason_which_the_timeline_keeps(plan_in, jw_clerk):
    plan = plan_in("planned")
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="cancel", comment="  ")
    assert caught.value.errors == {"comment": ["请填写取消理由。"]}
    inspection_transition(
        inspection_id=plan.pk, actor=jw_clerk, name="cancel", comment="因机构改革推迟"
    )
    assert plan.events.get(transition="cancel").comment == "因机构改革推迟"
    assert "因机构改革推迟" not in str(AuditEntry.objects.get(action="inspection.cancel").payload)


def test_a_report_is_only_for_the_report_move(plan_in, jw_clerk):
    plan = plan_in("planned")
    with pytest.raises(InvalidInput) as caught:
        inspection_transition(
            inspection_id=plan.pk, actor=jw_clerk, name="start", report_summary="报告"
        )
    assert caught.value.errors == {"report_summary": ["“开始检查”不使用此项。"]}


def test_an_unknown_move_is_404(plan_in, jw_clerk):
    plan = plan_in("planned")
    for name in ("create", "approve", "", "update"):
        with pytest.raises(NotFound):
            inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name=name)


def test_only_organisers_move_a_plan_others_get_403_or_404(
    plan_in, make_inspection, jw_leader, sf_clerk, sj_clerk, jt_clerk, outsider, auditor
):
    planned = make_inspection(method="special", units={"sj_dept": [jw_leader, jt_clerk]})
    with pytest.raises(NotPermitted):
        inspection_transition(inspection_id=planned.pk, actor=jt_clerk, name="start")
    under_way = plan_in("under_way")
    with pytest.raises(NotPermitted):
        inspection_transition(
            inspection_id=under_way.pk, actor=sj_clerk, name="report", report_summary="报告"
        )
    for stranger in (outsider, auditor):
        with pytest.raises(NotFound):
            inspection_transition(inspection_id=planned.pk, actor=stranger, name="cancel")
    assert Inspection.objects.get(pk=planned.pk).status == "planned"


def test_403_comes_before_409(plan_in, jw_clerk, jt_clerk):
    closed = plan_in("closed")
    closed.units.get().inspectors.add(jt_clerk)
    with pytest.raises(NotPermitted):
        inspection_transition(inspection_id=closed.pk, actor=jt_clerk, name="cancel")
    with pytest.raises(Conflict):
        inspection_transition(inspection_id=closed.pk, actor=jw_clerk, name="cancel")


def test_start_tells_the_units_people_and_the_team(
    plan_in, jw_clerk, sj_clerk, sj_leader, django_capture_on_commit_callbacks
):
    plan = plan_in("planned")
    with django_capture_on_commit_callbacks(execute=True):
        inspection_transition(inspection_id=plan.pk, actor=jw_clerk, name="start")
    told = {
        (n.recipient.username, n.title.split("：")[0])
        for n in Notification.objects.select_related("recipient")
    }
    assert told == {
        ("sj.clerk", "联合法治督查开始"),
        ("sj.leader", "联合法治督查开始"),
        ("jw.leader", "您已被确定为检查人员"),
        ("sf.clerk", "您已被确定为检查人员"),
    }
    assert Notification.objects.filter(url=f"/inspections/{plan.pk}/").count() == 4
