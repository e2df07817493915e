"""第九条 督促整改: a finding becomes a rectification task for its unit, overseen by the
inspection's organisers (跟踪检查), with a clock of the "rectification" time limit (30 days)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xianjie.audit.models import AuditEntry
from xianjie.calendar.models import Clock
from xianjie.calendar.selectors import clocks_of
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import FindingEvent, Rectification
from xianjie.inspections.selectors.findings import finding_list, finding_task
from xianjie.inspections.services.findings import finding_rectification_create
from xianjie.inspections.services.rectifications import rectification_cancel

from .finding_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]

REQUIREMENT = "30日内完成案卷整改并报送整改报告"


@pytest.fixture
def finding(findings_inspection, record):
    return record(findings_inspection)


def set_task(finding, actor, **fields):
    return finding_rectification_create(
        finding_id=finding.pk, actor=actor, requirement=REQUIREMENT, **fields
    )


def test_a_finding_becomes_a_task_of_its_unit_overseen_by_the_organisers(finding, jw_clerk, county):
    task = set_task(finding, jw_clerk)
    assert task.kind == "finding"
    assert task.source == finding
    assert task.unit == county["sj_dept"]
    assert set(task.overseers.all()) == {county["jw"], county["sf"]}
    assert task.status == "open"
    assert task.title == "行政处罚案卷不规范"
    assert task.requirement == REQUIREMENT
    assert task.basis == "《中华人民共和国行政处罚法》第四十七条"
    assert task.period_days == 30
    assert task.created_by == jw_clerk


def test_the_clock_starts_today_for_thirty_days(finding, sf_leader):
    task = set_task(finding, sf_leader)
    clock = clocks_of(task).get()
    today = timezone.localdate()
    assert clock.kind == "rectification"
    assert clock.state == "running"
    assert clock.start_date == today
    # 30 calendar days, moved to the next working day when the 30th is a rest day.
    assert today + datetime.timedelta(days=30) <= clock.due_date
    assert clock.due_date <= today + datetime.timedelta(days=40)


def test_a_title_and_period_of_the_organisers_own_are_kept(finding, jw_clerk):
    task = set_task(finding, jw_clerk, title="整改案卷", period_days=15)
    assert (task.title, task.period_days) == ("整改案卷", 15)
    clock = clocks_of(task).get()
    assert clock.due_date >= timezone.localdate() + datetime.timedelta(days=15)
    assert clock.due_date < timezone.localdate() + datetime.timedelta(days=30)


def test_setting_a_task_writes_an_event_and_an_audit_entry(finding, jw_clerk):
    task = set_task(finding, jw_clerk)
    event = FindingEvent.objects.get(finding=finding, action="rectification")
    assert event.data == {"task": task.pk}
    entry = AuditEntry.objects.get(action="finding.rectification")
    assert entry.payload["task"] == task.pk
    assert REQUIREMENT not in str(entry.payload)


def test_one_task_per_finding(finding, jw_clerk, sf_clerk):
    set_task(finding, jw_clerk)
    with pytest.raises(Conflict):
        set_task(finding, sf_clerk)
    assert Rectification.objects.count() == 1


def test_a_cancelled_task_may_be_replaced(finding, jw_clerk, jw_leader):
    first = set_task(finding, jw_clerk)
    rectification_cancel(task_id=first.pk, actor=jw_leader, reason="要求有误，重新下达")
    second = set_task(finding, jw_clerk, period_days=20)
    assert second.pk != first.pk
    assert finding_task(finding, jw_clerk) == second
    assert Clock.objects.filter(state="running").count() == 1


@pytest.mark.parametrize("name", ["jt_clerk", "sj_clerk", "sj_leader"])
def test_the_team_and_the_unit_may_not_set_a_task(request, finding, name):
    with pytest.raises(NotPermitted):
        set_task(finding, request.getfixturevalue(name))
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("name", ["outsider", "jt_leader", "sysadmin", "auditor"])
def test_whoever_cannot_see_the_finding_gets_404(request, finding, name):
    with pytest.raises(NotFound):
        set_task(finding, request.getfixturevalue(name))
    assert not Rectification.objects.exists()


def test_the_unit_gets_404_for_a_tier_3_finding(findings_inspection, record, officer, sj_clerk):
    secret = record(findings_inspection, officer=officer.pk)
    with pytest.raises(NotFound):
        set_task(secret, sj_clerk)


def test_bad_input_is_listed_and_nothing_is_written(finding, jw_clerk):
    with pytest.raises(InvalidInput) as refusal:
        finding_rectification_create(
            finding_id=finding.pk, actor=jw_clerk, requirement=" ", period_days=400
        )
    assert set(refusal.value.errors) == {"requirement", "period_days"}
    assert not Rectification.objects.exists()
    assert not Clock.objects.exists()
    assert not FindingEvent.objects.filter(action="rectification").exists()


def test_the_unit_sees_its_task_and_the_list_knows_it(finding, jw_clerk, sj_clerk, jt_clerk):
    task = set_task(finding, jw_clerk)
    assert finding_task(finding, sj_clerk) == task
    # The team sees the finding, not the task (the unit and the overseers do).
    assert finding_task(finding, jt_clerk) is None
    assert [f.pk for f in finding_list(jt_clerk, {"has_task": True})] == [finding.pk]
    assert not finding_list(jt_clerk, {"has_task": False}).exists()
