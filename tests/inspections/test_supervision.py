"""Supervision notices and decisions through the services (第二条, 第十三条（十）): who may issue
to whom, the default period and its clock, the decision rules, the 文号 sequence, drafts."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import Rectification, SupervisionAct
from xianjie.inspections.selectors.supervision import act_deadline, act_task
from xianjie.inspections.services.rectifications import rectification_submit
from xianjie.inspections.services.supervision import act_create, act_issue, act_update
from xianjie.notifications.models import Notification

from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import act_body, lapse

pytestmark = [pytest.mark.django_db, pytest.mark.article(13)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- 第二条: who supervises whom.


@pytest.mark.parametrize("target", ["sj_dept", "jt_dept", "jy_dept"])
def test_justice_bureau_drafts_to_any_enforcement_org_of_its_region(county, sf_clerk, target):
    act = act_create(actor=sf_clerk, **act_body(county[target]))
    assert (act.status, act.issuer_org, act.target_org) == ("draft", county["sf"], county[target])


def test_legal_unit_drafts_to_its_own_department(county, sj_leader):
    act = act_create(actor=sj_leader, **act_body(county["sj_dept"]))
    assert (act.issuer_org, act.target_org) == (county["sj"], county["sj_dept"])


def test_legal_unit_drafting_to_another_department_is_refused(county, sj_clerk):
    with pytest.raises(InvalidInput) as refusal:
        act_create(actor=sj_clerk, **act_body(county["jt_dept"]))
    assert refusal.value.errors["target_org"] == [
        "部门法制机构只能对本部门制发监督文书（第二条）。"
    ]
    assert not SupervisionAct.objects.exists()


def test_another_departments_legal_unit_supervises_only_its_own(county, outsider):
    # The education bureau's legal unit (the third party of the secrecy tests) is refused the
    # market regulator like any other department's legal unit, field by field as the referral
    # drafting refuses a wrong receiver; its own department it may supervise (第二条).
    with pytest.raises(InvalidInput) as refusal:
        act_create(actor=outsider, **act_body(county["sj_dept"]))
    assert set(refusal.value.errors) == {"target_org"}
    assert act_create(actor=outsider, **act_body(county["jy_dept"])).issuer_org == county["jy"]


@pytest.mark.parametrize("target", ["jw", "sj", "sf"])
def test_an_act_to_a_body_that_does_not_enforce_is_refused(county, sf_clerk, target):
    with pytest.raises(InvalidInput) as refusal:
        act_create(actor=sf_clerk, **act_body(county[target]))
    assert "target_org" in refusal.value.errors


def test_an_inactive_enforcement_org_is_refused(county, sf_clerk):
    county["jt_dept"].is_active = False
    county["jt_dept"].save(update_fields=["is_active"])
    with pytest.raises(InvalidInput) as refusal:
        act_create(actor=sf_clerk, **act_body(county["jt_dept"]))
    assert "target_org" in refusal.value.errors


@pytest.mark.parametrize("persona", ["jw_clerk", "jw_leader", "sysadmin", "auditor"])
def test_commission_and_system_roles_may_not_draft(request, county, persona):
    with pytest.raises(NotPermitted):
        act_create(actor=request.getfixturevalue(persona), **act_body(county["sj_dept"]))


def test_an_enforcement_org_user_may_not_draft(county):
    from ..factories import make_user

    officer = make_user("sj.officer", county["sj_dept"], "clerk")
    with pytest.raises(NotPermitted):
        act_create(actor=officer, **act_body(county["sj_dept"]))


def test_every_bad_field_is_named_at_once(county, sf_clerk):
    with pytest.raises(InvalidInput) as refusal:
        act_create(
            actor=sf_clerk,
            kind="notice",
            target_org="",
            problem=" ",
            basis="",
            requirement="x" * 4001,
            period_days=400,
        )
    assert set(refusal.value.errors) == {
        "target_org",
        "problem",
        "basis",
        "requirement",
        "period_days",
    }
    assert refusal.value.errors["period_days"] == ["期限应为1至365之间的整数（日）。"]


# --- Defaults and the clock.


def test_a_notice_defaults_to_thirty_days(county, sf_clerk):
    act = act_create(actor=sf_clerk, **act_body(county["sj_dept"]))
    assert act.period_days == 30


def test_issuing_starts_a_calendar_day_clock_moved_past_the_national_day_holiday(make_act):
    # 2026-09-01 + 30 days = 2026-10-01, inside the National Day holiday (10-01..10-07): the
    # period ends on the next working day (DOMAIN.md "Time limits").
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, tzinfo=SHANGHAI), tick=False):
        act = make_act()
    deadline = act_deadline(act)
    assert deadline is not None
    assert deadline.clock.start_date == datetime.date(2026, 9, 1)
    assert deadline.due_date == datetime.date(2026, 10, 8)
    assert deadline.clock.amount == 30


def test_the_act_period_is_the_task_period(make_act):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        act = make_act(period_days=15)
    task = act_task(act)
    assert task is not None and task.period_days == 15
    assert act_deadline(act).due_date == datetime.date(2026, 3, 17)


# --- Issuing.


def test_issue_numbers_the_act_and_creates_the_task(
    county, make_act, sf_leader, sj_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act = make_act()
    assert act.status == "issued"
    assert act.number == f"文司监通〔{act.issued_at.year}〕1号"
    assert act.issued_by == sf_leader
    task = act_task(act)
    assert task is not None
    assert (task.kind, task.unit, task.status) == ("notice", county["sj_dept"], "open")
    assert list(task.overseers.all()) == [county["sf"]]
    assert task.title == f"{act.number} 行政执法监督通知书"
    assert (
        task.requirement == f"{act.requirement.rstrip('。')}，并于期限内书面报告整改（履行）情况。"
    )
    assert task.basis == act.basis
    assert Notification.objects.filter(recipient=sj_clerk, title__contains=act.number).exists()


def test_numbers_run_per_org_kind_and_year(make_act):
    first, second = make_act(), make_act()
    legal_unit = make_act(issuer="sj")
    year = first.issued_at.year
    assert [first.number, second.number] == [f"文司监通〔{year}〕1号", f"文司监通〔{year}〕2号"]
    assert legal_unit.number == f"文市监法监通〔{year}〕1号"
    lapse(first)
    decision = make_act(kind="decision", decision_type="fulfil", notice=first.pk)
    assert decision.number == f"文司监决〔{year}〕1号"


def test_only_the_issuers_leader_signs(make_act, sf_clerk, sj_leader):
    act = make_act(issued=False)
    with pytest.raises(NotPermitted):
        act_issue(act_id=act.pk, actor=sf_clerk)
    # The target's legal unit does not even see a draft addressed to its department.
    with pytest.raises(NotFound):
        act_issue(act_id=act.pk, actor=sj_leader)
    act.refresh_from_db()
    assert (act.status, act.number) == ("draft", "")
    assert not Rectification.objects.exists()


def test_signing_for_a_unit_no_longer_in_use_is_refused(make_act, county, sf_leader):
    act = make_act(issued=False)
    county["sj_dept"].is_active = False
    county["sj_dept"].save(update_fields=["is_active"])
    with pytest.raises(InvalidInput) as refusal:
        act_issue(act_id=act.pk, actor=sf_leader)
    assert "target_org" in refusal.value.errors
    act.refresh_from_db()
    assert (act.status, act.number) == ("draft", "")
    assert not Rectification.objects.exists()


def test_signing_twice_is_a_conflict(make_act, sf_leader):
    act = make_act()
    with pytest.raises(Conflict):
        act_issue(act_id=act.pk, actor=sf_leader)
    assert Rectification.objects.count() == 1


def test_issue_is_audited_with_numbers_only(make_act):
    act = make_act()
    entry = AuditEntry.objects.get(action="supervision_act.issue")
    assert entry.tier == 2
    assert entry.payload["number"] == act.number
    assert entry.payload["task"] == act_task(act).pk
    assert act.problem not in str(entry.payload)
    assert AuditEntry.objects.filter(action="supervision_act.create").count() == 1


# --- Drafts.


def test_update_changes_only_given_fields(make_act, sf_leader):
    act = make_act(issued=False)
    act_update(act_id=act.pk, actor=sf_leader, period_days=20)
    act.refresh_from_db()
    assert (act.period_days, act.problem) == (20, act_body(act.target_org)["problem"])


def test_update_of_an_issued_act_is_a_conflict(make_act, sf_clerk):
    act = make_act()
    with pytest.raises(Conflict):
        act_update(act_id=act.pk, actor=sf_clerk, period_days=10)


def test_update_by_the_target_is_refused(make_act, sj_clerk):
    act = make_act()
    with pytest.raises(NotPermitted):
        act_update(act_id=act.pk, actor=sj_clerk, period_days=10)


# --- Decisions.


def test_decision_needs_a_decision_type(county, sf_clerk):
    with pytest.raises(InvalidInput) as refusal:
        act_create(actor=sf_clerk, **act_body(county["sj_dept"], kind="decision"))
    assert refusal.value.errors == {"decision_type": ["请选择决定类型。"]}


def test_notice_takes_no_decision_type(county, sf_clerk):
    with pytest.raises(InvalidInput) as refusal:
        act_create(actor=sf_clerk, **act_body(county["sj_dept"], decision_type="revoke"))
    assert "decision_type" in refusal.value.errors


@pytest.mark.parametrize("decision_type", ["fulfil", "correct", "revoke", "confirm_illegal"])
def test_decision_without_a_notice_is_allowed(county, sf_clerk, decision_type):
    act = act_create(
        actor=sf_clerk, **act_body(county["sj_dept"], kind="decision", decision_type=decision_type)
    )
    assert (act.kind, act.decision_type, act.notice) == ("decision", decision_type, None)


def test_decision_follows_an_ignored_notice(make_act):
    notice = make_act()
    lapse(notice)
    decision = make_act(kind="decision", decision_type="fulfil", notice=notice.pk)
    assert decision.notice == notice
    assert act_task(decision).kind == "decision"


def test_decision_on_a_notice_still_within_its_period_is_refused(make_act):
    notice = make_act()
    with pytest.raises(InvalidInput) as refusal:
        make_act(kind="decision", decision_type="fulfil", notice=notice.pk)
    assert refusal.value.errors["notice"] == [
        "该通知书的整改期限尚未届满，不能据此制发监督决定书。"
    ]


def test_decision_on_a_notice_reported_in_time_is_refused(make_act, sj_clerk):
    notice = make_act()
    rectification_submit(task_id=act_task(notice).pk, actor=sj_clerk, text="已逐件补正。")
    with pytest.raises(InvalidInput) as refusal:
        make_act(kind="decision", decision_type="fulfil", notice=notice.pk)
    assert "已按期书面报告" in refusal.value.errors["notice"][0]


def test_decision_on_another_targets_notice_is_refused(make_act):
    notice = make_act()
    lapse(notice)
    with pytest.raises(InvalidInput) as refusal:
        make_act(target="jt_dept", kind="decision", decision_type="fulfil", notice=notice.pk)
    assert refusal.value.errors["notice"] == ["监督决定书应送达原通知书的被监督单位。"]


def test_decision_on_another_issuers_notice_is_refused(make_act):
    notice = make_act(issuer="sj")
    lapse(notice)
    with pytest.raises(InvalidInput) as refusal:
        make_act(kind="decision", decision_type="fulfil", notice=notice.pk)
    assert refusal.value.errors["notice"] == ["未找到本机关制发的该监督通知书。"]


def test_decision_on_a_draft_notice_is_refused(make_act):
    notice = make_act(issued=False)
    with pytest.raises(InvalidInput) as refusal:
        make_act(kind="decision", decision_type="fulfil", notice=notice.pk)
    assert refusal.value.errors["notice"] == ["只能依据已签发的监督通知书制发监督决定书。"]
