"""The workbench's rectification work (第九条): 待办 of the unit's people (open tasks with due date,
light and 督办) and of the overseers (submitted tasks awaiting 跟踪检查); 已办 of those who took
part in a closed task."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xianjie.calendar.selectors import clocks_of
from xianjie.dashboards.workbench import DONE, TODO, work_items
from xianjie.inspections.models import Rectification

from .rectification_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]


def ours(user, kind):
    return [item for item in work_items(user, kind) if item.kind == "整改任务"]


def test_the_units_people_have_open_tasks_to_do(task, sj_clerk, sj_leader, jw_clerk):
    (item,) = ours(sj_clerk, TODO)
    assert item.title == "行政处罚案卷整改 待整改（文水县市场监督管理局）"
    assert item.url == reverse("inspections:rectification_detail", args=[task.pk])
    assert (item.when, item.light, item.escalated) == (
        clocks_of(task).get().due_date,
        "green",
        False,
    )
    assert len(ours(sj_leader, TODO)) == 1
    assert ours(jw_clerk, TODO) == []


def test_an_escalated_task_carries_the_mark(task, sj_clerk):
    Rectification.objects.filter(pk=task.pk).update(escalated_at=timezone.now())
    (item,) = ours(sj_clerk, TODO)
    assert item.escalated


def test_overseers_have_submitted_tasks_to_check(task, move, jw_clerk, sf_leader, sj_clerk):
    move(task, "submitted")
    for user in (jw_clerk, sf_leader):
        (item,) = ours(user, TODO)
        assert item.title == "行政处罚案卷整改 待跟踪检查（文水县市场监督管理局）"
        assert item.light == "done"
    assert ours(sj_clerk, TODO) == []


def test_closed_tasks_are_done_for_those_who_took_part(task, move, sj_clerk, jw_clerk, sf_clerk):
    move(task, "closed")
    for user in (sj_clerk, jw_clerk):
        (item,) = ours(user, DONE)
        assert item.title == "行政处罚案卷整改 已销号（文水县市场监督管理局）"
        assert item.when == timezone.localdate()
        assert ours(user, TODO) == []
    assert ours(sf_clerk, DONE) == []


def test_the_workbench_page_shows_the_task(client, task, sj_clerk):
    Rectification.objects.filter(pk=task.pk).update(escalated_at=timezone.now())
    client.force_login(sj_clerk)
    html = client.get(reverse("dashboards:workbench")).content.decode()
    assert "行政处罚案卷整改 待整改" in html
    assert ">督办<" in html
