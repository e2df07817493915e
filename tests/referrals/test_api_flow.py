"""Whole referrals through the API only, both directions (第四条 to 第七条)."""

import datetime as dt
import json

import pytest
import time_machine

from xianjie.audit.models import AuditEntry
from xianjie.referrals.models import Referral

from .test_api_support import (  # noqa: F401
    api_fixture,
    create,
    deadlines,
    fault_body,
    lead_body,
    send,
)

pytestmark = pytest.mark.django_db

#: A Monday in 2026, morning in Beijing: deadlines and numbers do not depend on the day tests run.
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def moves(detail):
    return [m["name"] for m in detail["allowed_transitions"]]


@pytest.mark.article(4)
@pytest.mark.article(5)
def test_lead_goes_from_draft_to_closed_through_the_api(
    api, county, sf_clerk, sf_leader, jw_clerk, jw_leader, data_dir, sample_file
):
    with time_machine.travel(MONDAY, tick=True):
        referral_id = create(api, sf_clerk, lead_body(county))
        url = f"/referrals/{referral_id}"
        evidence = sample_file("pdf", "现场检查笔录")
        uploaded = api.ok(api.upload(sf_clerk, referral_id, evidence, name="笔录.pdf"), 201)
        assert set(uploaded) == {"id", "filename", "size", "sha256", "role"}
        assert (uploaded["filename"], uploaded["size"], uploaded["role"]) == (
            "笔录.pdf",
            len(evidence),
            "evidence",
        )

        submitted = api.ok(api.move(sf_clerk, referral_id, "submit", comment="请审批"))
        assert submitted["status"] == "pending_approval"
        assert moves(submitted) == []
        assert moves(api.ok(api.get(sf_leader, url))) == ["approve", "reject"]

        approved = api.ok(api.move(sf_leader, referral_id, "approve"))
        assert approved["status"] == "sent"
        assert approved["number"] == "文司移〔2026〕1号"
        assert deadlines(approved) == {"referral.receive": "running"}
        receipt = approved["deadlines"][0]
        assert receipt["start_date"] == "2026-11-02"
        assert receipt["due_date"] == "2026-11-05"  # 3 working days, the start day not counted
        assert receipt["label"] and receipt["unconfirmed"] is False

        # The commission sees it only now, and sees the file.
        seen = api.ok(api.get(jw_clerk, url))
        assert moves(seen) == ["receive"]
        download = api.client.get(
            f"/api/v1{url}/evidence/{uploaded['id']}", **api.headers(jw_clerk)
        )
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == evidence
        assert "attachment" in download["Content-Disposition"]
        assert AuditEntry.objects.filter(
            action="referral.evidence_download", actor_id=jw_clerk.pk
        ).exists()

        received = api.ok(api.move(jw_clerk, referral_id, "receive"))
        assert received["status"] == "received"
        assert deadlines(received) == {
            "referral.receive": "met",
            "referral.return_or_forward": "running",
            "referral.disposal": "running",
        }
        assert moves(api.ok(api.get(jw_leader, url))) == ["dispose", "return", "forward"]

        disposed = api.ok(
            api.move(jw_leader, referral_id, "dispose", method="preliminary_check", comment="初核")
        )
        assert (disposed["status"], disposed["disposal_method"]) == (
            "handling",
            "preliminary_check",
        )
        assert deadlines(disposed)["referral.feedback"] == "running"
        assert deadlines(disposed)["referral.disposal"] == "met"

        letter = api.ok(
            api.upload(
                jw_leader,
                referral_id,
                sample_file("pdf", "反馈函"),
                name="反馈函.pdf",
                role="feedback_letter",
            ),
            201,
        )
        fed_back = api.ok(
            api.move(
                jw_leader,
                referral_id,
                "feedback",
                result="经初步核实，给予政务警告处分。",
                document=letter["id"],
            )
        )
        assert fed_back["status"] == "fed_back"
        assert fed_back["feedback_document"] == letter["id"]
        assert deadlines(fed_back)["referral.feedback"] == "met"

        # The sender reads the result and closes the case.
        seen = api.ok(api.get(sf_clerk, url))
        assert seen["result"] == "经初步核实，给予政务警告处分。"
        assert moves(seen) == ["close"]
        closed = api.ok(api.move(sf_clerk, referral_id, "close"))
        assert closed["status"] == "closed" and closed["closed_at"]
        assert moves(closed) == []
        assert [e["transition"] for e in closed["events"]] == [
            "create",
            "submit",
            "approve",
            "receive",
            "dispose",
            "feedback",
            "close",
        ]
        assert closed["events"][1]["comment"] == "请审批"
        assert closed["events"][4]["actor_org"] == county["jw"].name
        assert {e["role"] for e in closed["evidence"]} == {"evidence", "feedback_letter"}


@pytest.mark.article(6)
@pytest.mark.article(7)
def test_fault_receipt_starts_verification_at_once_and_ends_with_written_feedback(
    api, county, jw_clerk, jw_leader, sj_clerk, sj_leader, data_dir, sample_file
):
    with time_machine.travel(MONDAY, tick=True):
        referral_id = send(api, jw_clerk, jw_leader, fault_body(county), sample_file("png"))
        sent = api.ok(api.get(sj_clerk, f"/referrals/{referral_id}"))
        assert sent["number"] == "文纪移〔2026〕1号"
        assert deadlines(sent) == {"referral.verify_start": "running"}

        received = api.ok(api.move(sj_clerk, referral_id, "receive"))
        assert received["status"] == "handling"
        assert received["status_label"] == "核查中"
        assert deadlines(received) == {
            "referral.verify_start": "met",
            "referral.feedback": "running",
        }
        assert "dispose" not in moves(api.ok(api.get(sj_leader, f"/referrals/{referral_id}")))

        # Written feedback (第七条): a result alone is refused, the letter must be on file.
        refused = api.move(sj_leader, referral_id, "feedback", result="已核查并责令整改。")
        assert refused.status_code == 400
        assert set(json.loads(refused.content)["errors"]) == {"document"}
        letter = api.ok(
            api.upload(sj_leader, referral_id, sample_file("pdf"), role="feedback_letter"), 201
        )
        fed_back = api.ok(
            api.move(
                sj_leader,
                referral_id,
                "feedback",
                result="已核查并责令整改。",
                document=letter["id"],
            )
        )
        assert fed_back["status"] == "fed_back"
        closed = api.ok(api.move(jw_clerk, referral_id, "close", comment="已收到反馈"))
        assert closed["status"] == "closed"


@pytest.mark.article(5)
def test_returned_lead_carries_its_reason_and_can_be_revised(
    api, county, sf_clerk, sf_leader, jw_clerk, jw_leader, data_dir, sample_file
):
    referral_id = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
    api.ok(api.move(jw_clerk, referral_id, "receive"))

    missing = api.move(jw_leader, referral_id, "return")
    assert missing.status_code == 400
    assert json.loads(missing.content)["errors"] == {"reason": ["请填写退回理由。"]}

    returned = api.ok(api.move(jw_leader, referral_id, "return", reason="不属于本机关管辖。"))
    assert returned["status"] == "returned"
    seen = api.ok(api.get(sf_clerk, f"/referrals/{referral_id}"))
    assert seen["return_reason"] == "不属于本机关管辖。"
    assert seen["events"][-1]["comment"] == "不属于本机关管辖。"
    assert moves(seen) == ["revise", "close"]

    revised = api.ok(api.move(sf_clerk, referral_id, "revise"))
    assert revised["status"] == "draft"
    edited = api.ok(api.patch(sf_clerk, f"/referrals/{referral_id}", {"summary": "补正后重新移送"}))
    assert edited["summary"] == "补正后重新移送"


def test_supplement_request_pauses_the_clocks_and_the_supplement_resumes_them(
    api, county, sf_clerk, sf_leader, jw_clerk, data_dir, sample_file
):
    referral_id = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
    api.ok(api.move(jw_clerk, referral_id, "receive"))

    waiting = api.ok(api.move(jw_clerk, referral_id, "request_supplement", what="执法记录仪视频"))
    assert waiting["status"] == "awaiting_supplement"
    assert set(deadlines(waiting).values()) == {"met", "paused"}

    api.ok(
        api.upload(sf_clerk, referral_id, sample_file("mp4"), name="视频.mp4", role="supplement"),
        201,
    )
    back = api.ok(api.move(sf_clerk, referral_id, "supplement", comment="已补充视频"))
    assert back["status"] == "received"
    assert "paused" not in deadlines(back).values()


def test_forward_sends_a_new_referral_to_the_competent_org(
    api, county, sf_clerk, sf_leader, jw_clerk, jw_leader, data_dir, sample_file
):
    from xianjie.accounts.models import OrgKind

    from ..factories import OrgFactory, make_user

    city = OrgFactory(
        name="吕梁市纪委监委", code="吕纪", kind=OrgKind.DISCIPLINE, region=county["jw"].region
    )
    city_clerk = make_user("lv.clerk", city, "clerk")
    referral_id = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
    api.ok(api.move(jw_clerk, referral_id, "receive"))

    forwarded = api.ok(
        api.move(jw_leader, referral_id, "forward", target_org=city.pk, reason="属市级管辖。")
    )
    assert forwarded["status"] == "forwarded"
    new = Referral.objects.get(forwarded_from_id=referral_id)
    seen = api.ok(api.get(city_clerk, f"/referrals/{new.pk}"))
    assert (seen["status"], seen["forwarded_from"]) == ("sent", referral_id)
    assert seen["facts"] == lead_body(county)["facts"]
    assert len(seen["evidence"]) == 1
    assert api.get(city_clerk, f"/referrals/{referral_id}").status_code == 404


def test_a_transition_without_a_body_is_accepted(
    api, county, jw_clerk, jw_leader, sample_file, data_dir
):
    referral_id = create(api, jw_clerk, fault_body(county))
    api.ok(api.upload(jw_clerk, referral_id, sample_file("pdf")), 201)
    response = api.client.post(
        f"/api/v1/referrals/{referral_id}/transitions/submit",
        "",
        content_type="application/json",
        **api.headers(jw_clerk),
    )
    assert api.ok(response)["status"] == "pending_approval"
