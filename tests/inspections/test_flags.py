"""A10 flags (第十三条（十）: 不执行或者不报告监督通知书、决定书): the sweep raises one flag per act
whose report deadline passed without the unit's written report; the issuing org's clerk turns it
into a pre-filled draft lead to the commission with the evidence attached, or its leader
dismisses it with a reason."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.calendar.services import clocks_refresh
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.inspections.models import ComplianceFlag
from xianjie.inspections.selectors.supervision import act_task, flag_origins
from xianjie.inspections.services.flags import flag_dismiss, flag_refer, flags_raise
from xianjie.inspections.services.rectifications import rectification_report, rectification_submit
from xianjie.notifications.models import Notification
from xianjie.referrals.evidence import evidence_listing, evidence_open
from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import referral_content

from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import PROBLEM, lapse

pytestmark = [pytest.mark.django_db, pytest.mark.article(13)]


@pytest.fixture
def lapsed(make_act):
    """A notice of the justice bureau to the market regulator, three days past its deadline."""
    act = make_act()
    clock = lapse(act)
    return act, clock


# --- The sweep.


def test_sweep_flags_an_overdue_act_once(lapsed, django_capture_on_commit_callbacks, sf_clerk):
    act, clock = lapsed
    with django_capture_on_commit_callbacks(execute=True):
        assert flags_raise() == 1
    flag = ComplianceFlag.objects.get()
    assert (flag.act, flag.org, flag.code) == (act, act.target_org, "A10")
    assert (flag.status, flag.due_date) == ("open", clock.due_date)
    assert flags_raise() == 0
    clocks_refresh()
    assert flags_raise() == 0
    assert ComplianceFlag.objects.count() == 1
    entry = AuditEntry.objects.get(action="compliance_flag.raise")
    assert entry.actor is None and entry.payload["number"] == act.number
    assert Notification.objects.filter(recipient=sf_clerk, kind="compliance_flag").count() == 1


def test_sweep_leaves_acts_within_their_period(make_act):
    make_act()
    assert flags_raise() == 0
    assert not ComplianceFlag.objects.exists()


def test_sweep_leaves_a_task_submitted_in_time(make_act, sj_clerk):
    act = make_act()
    rectification_submit(task_id=act_task(act).pk, actor=sj_clerk, text="已逐件补正并报告。")
    lapse(act)
    assert flags_raise() == 0


def test_progress_reports_are_not_the_written_report(make_act, sj_clerk):
    act = make_act()
    rectification_report(task_id=act_task(act).pk, actor=sj_clerk, text="正在自查。")
    lapse(act)
    assert flags_raise() == 1


def test_sweep_flags_a_report_submitted_after_the_deadline(make_act, sj_clerk):
    act = make_act()
    lapse(act)
    rectification_submit(task_id=act_task(act).pk, actor=sj_clerk, text="逾期补报。")
    assert act_task(act).status == "submitted"
    assert flags_raise() == 1


def test_sweep_ignores_drafts(make_act):
    make_act(issued=False)
    assert flags_raise() == 0


def test_sweep_flags_each_act_of_each_issuer(make_act):
    for act in (make_act(), make_act(issuer="sj"), make_act(issuer="jt", target="jt_dept")):
        lapse(act)
    assert flags_raise() == 3
    assert set(ComplianceFlag.objects.values_list("act__issuer_org__code", flat=True)) == {
        "文司",
        "文市监法",
        "文交法",
    }


# --- Refer: one step to a pre-filled draft lead.


@pytest.fixture
def open_flag(lapsed, data_dir):
    flags_raise()
    return ComplianceFlag.objects.get()


def test_refer_drafts_a_lead_to_the_commission(open_flag, county, sf_clerk):
    act = open_flag.act
    referral = flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    assert (referral.status, referral.direction) == ("draft", "to_discipline")
    assert (referral.sender_org, referral.receiver_org) == (county["sf"], county["jw"])
    assert referral.source == "supervision_check"
    content = referral_content(referral)
    assert content.codes == ["A10"]
    assert [(s.kind, s.name) for s in content.subjects] == [("agency", "文水县市场监督管理局")]
    assert content.norms == [
        {
            "name": "《文水县行政执法监督与纪检监察监督工作衔接机制（试行）》",
            "clause": "第十三条第（十）项",
        }
    ]
    assert act.number in content.facts and PROBLEM in content.facts
    due = open_flag.due_date
    assert f"{due.year}年{due.month}月{due.day}日" in content.facts
    assert "未收到被监督单位的任何整改进展" in content.facts
    assert act.number in content.summary
    open_flag.refresh_from_db()
    assert (open_flag.status, open_flag.referral, open_flag.handled_by) == (
        "referred",
        referral,
        sf_clerk,
    )
    entry = AuditEntry.objects.get(action="compliance_flag.refer")
    assert entry.payload["referral"] == referral.pk


def test_refer_attaches_the_act_and_its_history_as_a_docx(open_flag, sf_clerk, sj_clerk):
    task = act_task(open_flag.act)
    rectification_report(task_id=task.pk, actor=sj_clerk, text="进展：已完成三件。")
    referral = flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    files = evidence_listing(referral, sf_clerk)
    assert [(f.filename, f.role, f.type_label) for f in files] == [
        ("监督文书及履行情况.docx", "evidence", "DOCX")
    ]
    opened = evidence_open(evidence_id=files[0].id, referral_id=referral.pk, actor=sf_clerk)
    document = docx.Document(io.BytesIO(b"".join(opened.chunks)))
    opened.chunks.close()
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "监督文书及履行情况" in text
    assert open_flag.act.number in text and PROBLEM in text
    assert "文水县市场监督管理局" in text
    assert "进展：已完成三件。" in cells and "下达整改任务" in cells
    assert "已逾期" in cells


def test_refer_lists_the_reports_received_in_the_facts(open_flag, sf_clerk, sj_clerk):
    task = act_task(open_flag.act)
    rectification_report(task_id=task.pk, actor=sj_clerk, text="进展。")
    referral = flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    facts = referral_content(referral).facts
    assert "收到整改进展" in facts and "未收到" not in facts


def test_the_referral_names_its_flag_to_those_who_may_see_it(open_flag, sf_clerk, jw_clerk):
    referral = flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    [(label, url)] = flag_origins(referral, sf_clerk)
    assert open_flag.act.number in label
    assert url == reverse("inspections:flag_detail", args=[open_flag.pk])
    assert flag_origins(referral, jw_clerk) == []


def test_refer_by_the_leader_is_refused(open_flag, sf_leader):
    with pytest.raises(NotPermitted):
        flag_refer(flag_id=open_flag.pk, actor=sf_leader)
    assert not Referral.objects.exists()


def test_refer_by_the_justice_bureau_of_a_legal_units_flag_is_refused(
    make_act, data_dir, sf_clerk, sj_clerk
):
    lapse(make_act(issuer="sj"))
    flags_raise()
    flag = ComplianceFlag.objects.get()
    with pytest.raises(NotPermitted):
        flag_refer(flag_id=flag.pk, actor=sf_clerk)
    referral = flag_refer(flag_id=flag.pk, actor=sj_clerk)
    assert referral.sender_org.code == "文市监法"


@pytest.mark.parametrize("persona", ["sj_clerk", "jw_clerk", "outsider", "auditor"])
def test_refer_by_anyone_who_cannot_see_it_is_not_found(request, open_flag, persona):
    with pytest.raises(NotFound):
        flag_refer(flag_id=open_flag.pk, actor=request.getfixturevalue(persona))


def test_refer_twice_is_a_conflict(open_flag, sf_clerk):
    flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    with pytest.raises(Conflict):
        flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    assert Referral.objects.count() == 1


def test_refer_without_a_commission_changes_nothing(open_flag, county, sf_clerk):
    county["jw"].is_active = False
    county["jw"].save(update_fields=["is_active"])
    with pytest.raises(InvalidInput):
        flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    open_flag.refresh_from_db()
    assert (open_flag.status, open_flag.referral) == ("open", None)
    assert not Referral.objects.exists()


# --- Dismiss.


def test_dismiss_by_the_leader_keeps_the_reason(open_flag, sf_leader):
    flag = flag_dismiss(flag_id=open_flag.pk, actor=sf_leader, reason="因汛期抢险延误，已补报。")
    assert (flag.status, flag.reason, flag.handled_by) == (
        "dismissed",
        "因汛期抢险延误，已补报。",
        sf_leader,
    )
    entry = AuditEntry.objects.get(action="compliance_flag.dismiss")
    assert "汛期" not in str(entry.payload)


def test_dismiss_without_a_reason_is_refused(open_flag, sf_leader):
    with pytest.raises(InvalidInput) as refusal:
        flag_dismiss(flag_id=open_flag.pk, actor=sf_leader, reason="  ")
    assert refusal.value.errors == {"reason": ["请填写撤销理由。"]}
    open_flag.refresh_from_db()
    assert open_flag.status == "open"


def test_dismiss_by_the_clerk_is_refused(open_flag, sf_clerk):
    with pytest.raises(NotPermitted):
        flag_dismiss(flag_id=open_flag.pk, actor=sf_clerk, reason="理由")


def test_a_referred_flag_cannot_be_dismissed(open_flag, sf_clerk, sf_leader):
    flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    with pytest.raises(Conflict):
        flag_dismiss(flag_id=open_flag.pk, actor=sf_leader, reason="理由")


def test_a_dismissed_flag_cannot_be_referred(open_flag, sf_clerk, sf_leader):
    flag_dismiss(flag_id=open_flag.pk, actor=sf_leader, reason="理由")
    with pytest.raises(Conflict):
        flag_refer(flag_id=open_flag.pk, actor=sf_clerk)
    assert flags_raise() == 0
