"""/api/v1/rectifications (第九条, CONTRACT.md conventions): lists with filters and pages, one task
with deadlines, reports and history, progress reports with files, the transitions with their
refusals in the contract's order, and the files."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xianjie.calendar.selectors import clocks_of
from xianjie.inspections.models import Rectification

from .rectification_fixtures import *  # noqa: F403
from .rectification_fixtures import backdate

pytestmark = [pytest.mark.django_db, pytest.mark.article(9), pytest.mark.usefixtures("data_dir")]

BASE = "/api/v1/rectifications"


def as_user(client, user):
    client.force_login(user)
    return client


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_list_filters_and_pages(client, make_task, move, jw_clerk):
    late = make_task(title="逾期")
    backdate(late, started=40, due=3)
    move(make_task(title="已提交"), "submitted")
    make_task(title="交通", unit="jt_dept")
    api = as_user(client, jw_clerk)
    everything = api.get(BASE).json()
    assert everything["count"] == 3
    row = next(item for item in everything["items"] if item["id"] == late.pk)
    assert row["unit"]["name"] == "文水县市场监督管理局"
    assert (row["status"], row["status_label"], row["light"], row["overdue"]) == (
        "open",
        "整改中",
        "red",
        True,
    )
    assert [i["title"] for i in api.get(BASE, {"overdue": "true"}).json()["items"]] == ["逾期"]
    assert [i["title"] for i in api.get(BASE, {"status": "submitted"}).json()["items"]] == [
        "已提交"
    ]
    by_unit = api.get(BASE, {"unit": late.unit_id}).json()
    assert {i["title"] for i in by_unit["items"]} == {"逾期", "已提交"}
    paged = api.get(BASE, {"page": 2, "page_size": 2}).json()
    assert (paged["count"], len(paged["items"])) == (3, 1)
    assert api.get(BASE, {"status": "nonsense"}).status_code == 422


def test_detail_has_deadlines_reports_events_and_moves(client, task, move, sj_clerk, pdf):
    move(task, "submitted")
    body = as_user(client, sj_clerk).get(f"{BASE}/{task.pk}").json()
    assert body["requirement"] == "补齐全过程记录，规范案卷归档。"
    assert [o["code"] for o in body["overseers"]] == ["文纪", "文司"]
    assert body["source"]["kind"] == "finding"
    (deadline,) = body["deadlines"]
    assert (deadline["period_days"], deadline["state"], deadline["light"]) == (30, "met", "done")
    (report,) = body["reports"]
    assert (report["kind"], report["text"], report["attachments"]) == (
        "submission",
        "已全部整改。",
        [],
    )
    assert [e["transition"] for e in body["events"]] == ["create", "submit"]
    assert body["events"][0]["from_status"] is None
    assert body["allowed_transitions"] == []


def test_a_progress_report_with_files_is_201(client, task, make_task, sj_clerk, pdf):
    api = as_user(client, sj_clerk)
    response = api.post(f"{BASE}/{task.pk}/reports", {"text": "已整改", "files": [pdf(), pdf()]})
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["text"], len(body["attachments"])) == ("progress", "已整改", 2)
    aid = body["attachments"][0]["id"]
    download = api.get(f"{BASE}/{task.pk}/attachments/{aid}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = make_task(title="另一任务")
    assert api.get(f"{BASE}/{other.pk}/attachments/{aid}").status_code == 404


def test_report_refusals_415_413_400(client, settings, task, sj_clerk, pdf):
    api = as_user(client, sj_clerk)
    exe = SimpleUploadedFile("a.pdf", EXE)  # noqa: F405
    refused = api.post(f"{BASE}/{task.pk}/reports", {"text": "x", "files": [exe]})
    assert refused.status_code == 415
    assert refused.json()["errors"]["file"]
    settings.EVIDENCE_MAX_BYTES = 64
    big = api.post(f"{BASE}/{task.pk}/reports", {"text": "x", "files": [pdf("x" * 200)]})
    assert big.status_code == 413
    empty = api.post(f"{BASE}/{task.pk}/reports", {"text": ""})
    assert (empty.status_code, empty.json()["errors"]) == (400, {"text": ["请填写整改进展情况。"]})
    assert task.reports.count() == 0


def test_the_whole_cycle_through_the_api(client, task, sj_clerk, jw_clerk, sf_leader, pdf):
    unit = as_user(client, sj_clerk)
    submitted = unit.post(
        f"{BASE}/{task.pk}/transitions/submit", {"text": "整改报告", "files": [pdf()]}
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    overseer = as_user(client, jw_clerk)
    reopened = post_json(
        overseer, f"{BASE}/{task.pk}/transitions/reopen", {"reason": "不到位", "period_days": 7}
    )
    assert reopened.json()["reopen_count"] == 1
    assert [d["period_days"] for d in reopened.json()["deadlines"]] == [30, 7]
    unit = as_user(client, sj_clerk)
    again = post_json(unit, f"{BASE}/{task.pk}/transitions/submit", {"text": "再次报告"})
    assert again.json()["status"] == "submitted"
    verified = post_json(
        as_user(client, sf_leader), f"{BASE}/{task.pk}/transitions/verify", {"comment": "通过"}
    )
    assert (verified.status_code, verified.json()["status"]) == (200, "closed")
    assert verified.json()["closed_at"] is not None


def test_cancel_by_a_leader(client, task, jw_leader):
    response = post_json(
        as_user(client, jw_leader), f"{BASE}/{task.pk}/transitions/cancel", {"reason": "撤销"}
    )
    assert response.json()["status"] == "cancelled"
    assert clocks_of(task).get().state == "cancelled"


def test_transition_refusals_in_the_contracts_order(client, task, sj_clerk, jw_clerk, outsider):
    url = f"{BASE}/{task.pk}/transitions"
    assert post_json(as_user(client, outsider), f"{url}/verify", {}).status_code == 404
    assert post_json(as_user(client, jw_clerk), f"{url}/escalate", {}).status_code == 404
    forbidden = post_json(as_user(client, sj_clerk), f"{url}/verify", {"bogus": 1})
    assert forbidden.status_code == 403
    stale = post_json(as_user(client, jw_clerk), f"{url}/verify", {"bogus": 1})
    assert stale.status_code == 409
    assert "整改中" in stale.json()["detail"]
    unit = as_user(client, sj_clerk)
    unused = post_json(unit, f"{url}/submit", {"text": "x", "reason": "y"})
    assert (unused.status_code, unused.json()["errors"]) == (
        400,
        {"reason": ["“提交整改报告”不使用此项。"]},
    )
    bad = unit.post(f"{url}/submit", "[1]", content_type="application/json")
    assert bad.status_code == 400
    missing = post_json(unit, f"{url}/submit", {})
    assert missing.json()["errors"] == {"text": ["请填写整改报告。"]}
    assert Rectification.objects.get(pk=task.pk).status == "open"
