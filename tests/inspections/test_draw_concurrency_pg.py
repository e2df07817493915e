"""Two organisers pressing 开始抽取 on the same draw at the same moment (PostgreSQL, real
concurrent transactions): the draw's row lock lets exactly one run it; the other gets 409 and
leaves no trace (第八条: a draw is run once)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict
from xianjie.inspections.models import Draw, InspectionUnit
from xianjie.inspections.services.draws import draw_prepare, draw_run

from .draw_fixtures import pool_fixture, random_plan_fixture  # noqa: F401

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True), pytest.mark.article(8)]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together, each on its own database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a transaction never finished"
    return results


def test_two_runs_of_one_draw_run_it_once(random_plan, pool, jw_clerk, sf_leader):
    draw = draw_prepare(inspection_id=random_plan.pk, actor=jw_clerk, **pool)

    results = race(
        lambda: draw_run(draw_id=draw.pk, actor=jw_clerk),
        lambda: draw_run(draw_id=draw.pk, actor=sf_leader),
    )

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Draw"]
    (winner,) = [r for r in results if isinstance(r, Draw)]
    (loser,) = [r for r in results if isinstance(r, Conflict)]
    assert "不能重复抽取" in loser.detail
    stored = Draw.objects.get(pk=draw.pk)
    assert (stored.seed, stored.result, stored.drawn_by_id) == (
        winner.seed,
        winner.result,
        winner.drawn_by_id,
    )
    assert AuditEntry.objects.filter(action="draw.run", object_id=str(draw.pk)).count() == 1
    assert InspectionUnit.objects.filter(inspection=random_plan).count() == pool["unit_count"]
