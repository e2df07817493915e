"""Fixtures of the random draw tests: a 随机抽查 being planned by the commission and the justice
bureau, pools of both sides, and draws prepared and run through the services. Test modules
import them as `random_plan_fixture`, `prepare_fixture`…; pytest knows them by the short name."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(name="random_plan")
def random_plan_fixture(make_inspection):
    return make_inspection(method="random", status="planned")


@pytest.fixture(name="pool")
def pool_fixture(county, jw_clerk, jw_leader, sf_clerk, sf_leader, sj_clerk, jt_clerk):
    """The default pools: the three departments (weight 1) and six people of both sides — two
    of them in departmental legal units, so recusal matters."""
    return {
        "units": [
            {"org": county[key].pk, "weight": 1} for key in ("sj_dept", "jt_dept", "jy_dept")
        ],
        "inspectors": [
            u.pk for u in (jw_clerk, jw_leader, sf_clerk, sf_leader, sj_clerk, jt_clerk)
        ],
        "unit_count": 2,
        "team_size": 2,
    }


@pytest.fixture(name="prepare")
def prepare_fixture(random_plan, jw_clerk, pool):
    """`prepare(actor=jw_clerk, inspection=random_plan, **changes)` → a committed draw."""
    from xianjie.inspections.services.draws import draw_prepare

    def run(*, actor: Any = None, inspection: Any = None, **changes: Any):
        return draw_prepare(
            inspection_id=(inspection or random_plan).pk,
            actor=actor or jw_clerk,
            **{**pool, **changes},
        )

    return run


@pytest.fixture(name="drawn")
def drawn_fixture(prepare, jw_clerk):
    """A draw prepared and run by jw.clerk."""
    from xianjie.inspections.services.draws import draw_run

    draw = prepare()
    return draw_run(draw_id=draw.pk, actor=jw_clerk)
