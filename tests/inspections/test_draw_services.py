"""Preparing and running random draws (随机抽查, 第八条): the commitment, the checks of the pools,
who may draw, the one-time run, and redraws that are never silent."""

from __future__ import annotations

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections import drawing
from xianjie.inspections.models import Draw, InspectionEvent, InspectionUnit
from xianjie.inspections.sealing import unseal
from xianjie.inspections.services.draws import draw_run
from xianjie.notifications.models import Notification

from .draw_fixtures import (  # noqa: F401
    drawn_fixture,
    pool_fixture,
    prepare_fixture,
    random_plan_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]


def entries(action, draw):
    return list(
        AuditEntry.objects.filter(
            action=action, object_type="inspections.draw", object_id=str(draw.pk)
        )
    )


def test_prepare_publishes_the_seed_digest_and_keeps_the_seed_sealed(prepare, county):
    draw = prepare()
    assert (draw.status, draw.sequence, draw.algorithm) == ("committed", 1, "xj-draw-v1")
    assert draw.seed == "" and draw.result == []
    seed = unseal(draw, "seed", draw.seed_enc)
    assert len(bytes.fromhex(seed)) == 32
    assert draw.seed_hash == drawing.seed_hash(seed)
    assert seed not in draw.seed_enc
    assert draw.pool_digest == drawing.pool_digest(draw.pools)
    assert draw.pools["units"] == sorted(
        [county[k].pk, 1] for k in ("sj_dept", "jt_dept", "jy_dept")
    )
    # The legal unit's clerk is stored with its department, which recusal needs.
    assert [county["sj_dept"].pk] in [row[2:] for row in draw.pools["inspectors"]]
    (entry,) = entries("draw.prepare", draw)
    assert entry.payload["seed_hash"] == draw.seed_hash
    assert entry.payload["pool_digest"] == draw.pool_digest
    assert seed not in str(entry.payload)
    event = InspectionEvent.objects.get(transition="draw_prepare")
    assert event.data["draw"] == draw.pk


def test_prepare_freezes_declared_conflicts_of_the_pools(prepare, random_plan, county, sf_clerk):
    from xianjie.inspections.models import ConflictDeclaration

    ConflictDeclaration.objects.create(
        inspection=random_plan, user=sf_clerk, org=county["jt_dept"], reason="近亲属在该局工作"
    )
    draw = prepare()
    assert draw.pools["conflicts"] == [[sf_clerk.pk, county["jt_dept"].pk]]


def test_prepare_reports_every_bad_field(prepare, county, jw_clerk, sysadmin):
    with pytest.raises(InvalidInput) as refused:
        prepare(
            units=[
                {"org": county["jw"].pk, "weight": 1},
                {"org": county["sj_dept"].pk, "weight": 11},
            ],
            inspectors=[jw_clerk.pk, sysadmin.pk],
            unit_count=0,
            team_size=1,
        )
    errors = refused.value.errors
    assert set(errors) == {"units.0.org", "units.1.weight", "inspectors", "unit_count", "team_size"}
    assert any("两方面" in m or "同时包括" in m for m in errors["inspectors"])
    assert not Draw.objects.exists()


def test_prepare_needs_people_of_both_sides(prepare, jw_clerk, jw_leader):
    with pytest.raises(InvalidInput) as refused:
        prepare(inspectors=[jw_clerk.pk, jw_leader.pk])
    assert "纪检监察机关和行政执法监督机构" in refused.value.errors["inspectors"][0]


def test_prepare_names_units_left_without_a_team(prepare, county, jw_clerk, sf_clerk, sj_clerk):
    with pytest.raises(InvalidInput) as refused:
        prepare(inspectors=[jw_clerk.pk, sf_clerk.pk, sj_clerk.pk], team_size=3)
    (message,) = refused.value.errors["inspectors"]
    assert county["sj_dept"].name in message
    assert county["jt_dept"].name not in message


def test_unit_count_cannot_exceed_the_pool(prepare):
    with pytest.raises(InvalidInput) as refused:
        prepare(unit_count=4)
    assert "1至3" in refused.value.errors["unit_count"][0]


@pytest.mark.parametrize("persona", ["sj_clerk", "jt_leader"])
def test_inspectors_see_but_may_not_draw(request, prepare, make_inspection, persona, county):
    user = request.getfixturevalue(persona)
    plan = make_inspection(units={"jy_dept": [user]})
    with pytest.raises(NotPermitted):
        prepare(actor=user, inspection=plan)


@pytest.mark.parametrize("persona", ["outsider", "sysadmin", "auditor", "sj_leader"])
def test_others_cannot_find_the_inspection(request, prepare, persona):
    with pytest.raises(NotFound):
        prepare(actor=request.getfixturevalue(persona))


def test_an_announced_unit_cannot_find_the_draws_either(
    prepare, make_inspection, jw_clerk, sf_clerk, sj_leader
):
    plan = make_inspection(status="under_way", units={"sj_dept": [jw_clerk, sf_clerk]})
    with pytest.raises(NotFound):
        prepare(actor=sj_leader, inspection=plan)


def test_only_planned_random_inspections_are_drawn(prepare, make_inspection):
    with pytest.raises(Conflict):
        prepare(inspection=make_inspection(method="special"))
    with pytest.raises(Conflict):
        prepare(inspection=make_inspection(status="under_way"))


def test_run_reveals_the_seed_and_sets_the_teams(drawn, random_plan, jw_clerk):
    assert drawn.status == "drawn" and drawn.drawn_by == jw_clerk
    assert drawing.seed_hash(drawn.seed) == drawn.seed_hash
    assert drawn.result == drawing.draw(drawn.seed, drawn.pools)
    rows = list(InspectionUnit.objects.filter(inspection=random_plan).order_by("position"))
    assert [(r.org_id, r.draw_id) for r in rows] == [(i["unit"], drawn.pk) for i in drawn.result]
    for row, item in zip(rows, drawn.result, strict=True):
        assert sorted(row.inspectors.values_list("pk", flat=True)) == sorted(item["inspectors"])
    (entry,) = entries("draw.run", drawn)
    assert entry.payload["seed"] == drawn.seed
    assert entry.payload["units"] == [i["unit"] for i in drawn.result]


def test_run_notifies_the_team_after_commit(prepare, jw_clerk, django_capture_on_commit_callbacks):
    draw = prepare()
    with django_capture_on_commit_callbacks(execute=True):
        drawn = draw_run(draw_id=draw.pk, actor=jw_clerk)
    members = {user for item in drawn.result for user in item["inspectors"]}
    told = set(
        Notification.objects.filter(title__startswith="您已被随机抽取").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == members


def test_a_draw_runs_once(drawn, jw_clerk, sf_leader):
    with pytest.raises(Conflict):
        draw_run(draw_id=drawn.pk, actor=sf_leader)
    assert len(entries("draw.run", drawn)) == 1


def test_inspectors_may_not_run_a_draw(prepare, random_plan, county, sj_clerk):
    draw = prepare()
    team = InspectionUnit.objects.create(inspection=random_plan, org=county["jy_dept"])
    team.inspectors.set([sj_clerk])
    with pytest.raises(NotPermitted):
        draw_run(draw_id=draw.pk, actor=sj_clerk)


def test_redraw_requires_a_reason(drawn, prepare):
    with pytest.raises(InvalidInput) as refused:
        prepare()
    assert "理由" in refused.value.errors["reason"][0]
    assert Draw.objects.count() == 1


def test_redraw_supersedes_and_is_audited(drawn, prepare, jw_clerk):
    redraw = prepare(reason="原抽取的检查人员因公出差，无法参加")
    drawn.refresh_from_db()
    assert drawn.status == "superseded"
    assert (redraw.sequence, redraw.replaces_id, redraw.reason) == (
        2,
        drawn.pk,
        "原抽取的检查人员因公出差，无法参加",
    )
    (prepared,) = entries("draw.prepare", redraw)
    assert prepared.payload["replaces"] == drawn.pk
    (superseded,) = entries("draw.supersede", drawn)
    assert superseded.payload == {"status": "superseded", "replaced_by": redraw.pk}
    event = InspectionEvent.objects.filter(transition="draw_prepare").last()
    assert event.comment == redraw.reason


def test_superseded_draw_cannot_be_run(prepare, jw_clerk):
    first = prepare()
    second = prepare(reason="单位库遗漏，重新准备")
    with pytest.raises(Conflict):
        draw_run(draw_id=first.pk, actor=jw_clerk)
    draw_run(draw_id=second.pk, actor=jw_clerk)


def test_new_run_replaces_the_teams_of_the_old_draw(drawn, prepare, jw_clerk, random_plan):
    redraw = prepare(reason="检查组需调整", unit_count=1)
    draw_run(draw_id=redraw.pk, actor=jw_clerk)
    rows = InspectionUnit.objects.filter(inspection=random_plan)
    assert [r.draw_id for r in rows] == [redraw.pk]


def test_a_draw_cannot_run_once_the_inspection_started(prepare, random_plan, jw_clerk):
    draw = prepare()
    random_plan.status = "under_way"
    random_plan.save(update_fields=["status"])
    with pytest.raises(Conflict):
        draw_run(draw_id=draw.pk, actor=jw_clerk)


def test_tampered_pools_are_not_run(prepare, jw_clerk):
    draw = prepare()
    Draw.objects.filter(pk=draw.pk).update(pools={**draw.pools, "unit_count": 1})
    with pytest.raises(Conflict):
        draw_run(draw_id=draw.pk, actor=jw_clerk)
    assert Draw.objects.get(pk=draw.pk).seed == ""
