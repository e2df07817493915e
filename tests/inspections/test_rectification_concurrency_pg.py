"""Two people acting on the same rectification task at the same moment (第九条; PostgreSQL, real
concurrent transactions): the row lock lets exactly one move through; the other gets 409 and
leaves no trace."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from xianjie.calendar.selectors import clocks_of
from xianjie.core.errors import Conflict
from xianjie.inspections.models import RectificationReport
from xianjie.inspections.services.rectifications import (
    rectification_reopen,
    rectification_submit,
    rectification_verify,
)

from .rectification_fixtures import *  # noqa: F403

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseeded"),
    pytest.mark.article(9),
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together, each on its own connection; the result of
    each, or the exception it raised."""
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


def test_verify_and_reopen_at_once_only_one_wins(task, move, jw_clerk, sf_clerk):
    move(task, "submitted")
    results = race(
        lambda: rectification_verify(task_id=task.pk, actor=jw_clerk),
        lambda: rectification_reopen(task_id=task.pk, actor=sf_clerk, reason="未到位"),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Rectification"]
    task.refresh_from_db()
    moves = list(task.events.values_list("transition", flat=True))
    assert moves[:2] == ["create", "submit"] and len(moves) == 3
    assert task.status == {"verify": "closed", "reopen": "open"}[moves[2]]
    assert clocks_of(task).count() == (2 if moves[2] == "reopen" else 1)


def test_two_submissions_at_once_make_one_report(task, sj_clerk, sj_leader):
    results = race(
        lambda: rectification_submit(task_id=task.pk, actor=sj_clerk, text="甲"),
        lambda: rectification_submit(task_id=task.pk, actor=sj_leader, text="乙"),
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert RectificationReport.objects.filter(task=task).count() == 1
    assert task.events.filter(transition="submit").count() == 1
    assert clocks_of(task).get().state == "met"
