"""Verifying a random draw (随机抽查, 第八条): the re-run from the revealed seed, the commitment in
the audit chain, and tamper detection — also through `xianjie draws verify <id>`."""

from __future__ import annotations

import io
import secrets

import pytest
from django.core.management import call_command

from xianjie.inspections import drawing
from xianjie.inspections.models import Draw, InspectionUnit
from xianjie.inspections.services.draws import draw_run
from xianjie.inspections.verify_draw import NOT_REVEALED, SUPERSEDED, draw_verify

from .draw_fixtures import (  # noqa: F401
    drawn_fixture,
    pool_fixture,
    prepare_fixture,
    random_plan_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]


def failed(draw):
    return [c.name for c in draw_verify(Draw.objects.get(pk=draw.pk)).checks if not c.ok]


def tamper(draw, **fields):
    # A direct UPDATE, as someone with database access would do it — no service involved.
    Draw.objects.filter(pk=draw.pk).update(**fields)


def test_a_drawn_draw_verifies(drawn):
    report = draw_verify(drawn)
    assert report.ok
    assert [c.name for c in report.checks] == [
        "pool_digest",
        "parameters",
        "commitment",
        "seed",
        "result",
        "teams",
    ]
    assert report.notes == []
    assert "校验通过" in report.summary


def test_a_committed_draw_verifies_its_commitment_only(prepare):
    report = draw_verify(prepare())
    assert report.ok
    assert [c.name for c in report.checks] == ["pool_digest", "parameters", "commitment"]
    assert report.notes == [NOT_REVEALED]


def test_changing_a_pool_after_the_commitment_fails(prepare, jw_clerk):
    draw = prepare()
    pools = {**draw.pools, "units": draw.pools["units"][:2]}
    tamper(draw, pools=pools)
    assert failed(draw) == ["pool_digest", "commitment"]


def test_changing_pools_and_their_digest_is_caught_by_the_audit_entry(drawn):
    """Rewriting the row consistently — new pools, their digest and a result re-run from them —
    still differs from what was published before the draw."""
    pools = {**drawn.pools, "units": [[unit, 10] for unit, _ in drawn.pools["units"]]}
    tamper(
        drawn,
        pools=pools,
        pool_digest=drawing.pool_digest(pools),
        result=drawing.draw(drawn.seed, pools),
    )
    problems = failed(drawn)
    assert "commitment" in problems
    assert not {"pool_digest", "parameters", "seed", "result"} & set(problems)


def test_changing_the_result_fails(drawn):
    result = [dict(item) for item in drawn.result]
    result[0]["inspectors"] = list(reversed(result[0]["inspectors"]))
    tamper(drawn, result=result)
    assert failed(drawn) == ["result"]


def test_changing_the_seed_fails(drawn):
    tamper(drawn, seed=secrets.token_hex(32))
    assert failed(drawn) == ["seed", "result"]


def test_a_forged_seed_with_its_own_hash_fails_against_the_commitment(drawn):
    seed = secrets.token_hex(32)
    tamper(
        drawn,
        seed=seed,
        seed_hash=drawing.seed_hash(seed),
        result=drawing.draw(seed, drawn.pools),
    )
    problems = failed(drawn)
    assert "commitment" in problems
    assert not {"pool_digest", "seed", "result"} & set(problems)


def test_a_seed_that_is_not_hex_fails(drawn):
    tamper(drawn, seed="不是种子")
    assert failed(drawn) == ["seed", "result"]


def test_changing_a_team_of_the_inspection_fails(drawn, random_plan):
    row = InspectionUnit.objects.filter(inspection=random_plan, draw=drawn).first()
    row.inspectors.remove(row.inspectors.first())
    assert failed(drawn) == ["teams"]


def test_a_superseded_draw_is_verified_without_the_teams(drawn, prepare, jw_clerk):
    redraw = prepare(reason="检查组人员调整")
    draw_run(draw_id=redraw.pk, actor=jw_clerk)
    report = draw_verify(Draw.objects.get(pk=drawn.pk))
    assert report.ok
    assert [c.name for c in report.checks][-1] == "result"
    assert report.notes == [SUPERSEDED]
    assert draw_verify(Draw.objects.get(pk=redraw.pk)).ok


# --- `xianjie draws verify <id>`


def run_command(*words):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("draws", *words, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_command_passes_a_good_draw(drawn):
    code, out, err = run_command("verify", str(drawn.pk))
    assert code == 0, err
    assert out.count("✓") == 6 and "✗" not in out
    assert "公开的种子" in out and "校验通过" in out


def test_command_reports_a_committed_draw_as_not_revealed(prepare):
    code, out, _ = run_command("verify", str(prepare().pk))
    assert code == 0
    assert "种子尚未公开" in out


def test_command_fails_a_tampered_draw(drawn):
    tamper(drawn, pools={**drawn.pools, "team_size": 3})
    code, out, err = run_command("verify", str(drawn.pk))
    assert code == 1
    assert "✗ 冻结的单位库和人员库" in out
    assert "校验未通过" in err


@pytest.mark.parametrize("words", [("verify", "999999"), ("verify", "abc")])
def test_command_unknown_draw_exits_1(db, words):
    code, out, err = run_command(*words)
    assert code == 1
    assert f"没有编号为 {words[1]} 的随机抽取" in err and out == ""


@pytest.mark.parametrize("words", [(), ("check", "1"), ("verify",)])
def test_command_usage_exits_1(db, words):
    code, _, err = run_command(*words)
    assert code == 1
    assert "用法：xianjie draws verify" in err
