"""/api/v1/findings (CONTRACT.md conventions): record, list, read, attach, set a task, refer —
with the error shape of every refusal (第九条)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xianjie.inspections.models import Attachment, Finding, Rectification
from xianjie.referrals.models import Referral

from .finding_fixtures import *  # noqa: F403
from .finding_fixtures import DESCRIPTION

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_recording_answers_201_with_the_finding(inspection_under_way, jw_clerk, county, officer):
    response = post(
        as_user(jw_clerk),
        "/api/v1/findings",
        {
            "inspection": inspection_under_way.pk,
            "unit": county["sj_dept"].pk,
            "severity": "serious",
            "title": "违规收受财物",
            "description": DESCRIPTION,
            "basis": "《行政处罚法》第四十七条",
            "violation_codes": ["P03"],
            "officer": officer.pk,
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert data["sequence"] == 1
    assert data["tier"] == 3
    assert data["severity_label"] == "严重"
    assert data["officer_name"] == "王某某"
    assert data["violation_codes"] == ["P03"]
    assert data["unit"] == {"id": county["sj_dept"].pk, "name": county["sj_dept"].name}
    assert data["has_task"] is False
    assert data["task"] is None and data["referral"] is None
    assert [e["action"] for e in data["events"]] == ["create"]


def test_bad_input_answers_400_naming_every_field(inspection_under_way, jw_clerk):
    response = post(
        as_user(jw_clerk),
        "/api/v1/findings",
        {"inspection": inspection_under_way.pk, "severity": "x", "violation_codes": ["Q1"]},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"unit", "severity", "title", "description", "violation_codes"}
    assert not Finding.objects.exists()


def test_recording_refusals_answer_403_404_409(
    findings_inspection, make_inspection, sj_clerk, outsider, jw_clerk, county
):
    payload = {
        "inspection": findings_inspection.pk,
        "unit": county["sj_dept"].pk,
        "severity": "general",
        "title": "问题",
        "description": "描述",
    }
    assert post(as_user(sj_clerk), "/api/v1/findings", payload).status_code == 403
    assert post(as_user(outsider), "/api/v1/findings", payload).status_code == 404
    planned = make_inspection(status="planned", units={"sj_dept": []})
    conflict = post(as_user(jw_clerk), "/api/v1/findings", {**payload, "inspection": planned.pk})
    assert conflict.status_code == 409
    assert "督查" in conflict.json()["detail"]
    assert not Finding.objects.exists()


def test_the_list_filters_and_pages(inspection_under_way, record, jw_clerk, county):
    for n in range(3):
        record(inspection_under_way, title=f"问题{n}")
    record(inspection_under_way, unit=county["jt_dept"].pk, severity="serious")
    client = as_user(jw_clerk)
    page = client.get("/api/v1/findings", {"page_size": 2}).json()
    assert page["count"] == 4
    assert len(page["items"]) == 2
    serious = client.get("/api/v1/findings", {"severity": "serious"}).json()
    assert [i["unit"]["id"] for i in serious["items"]] == [county["jt_dept"].pk]
    by_unit = client.get("/api/v1/findings", {"unit": county["sj_dept"].pk}).json()
    assert {i["title"] for i in by_unit["items"]} == {"问题0", "问题1", "问题2"}
    assert client.get("/api/v1/findings", {"has_task": "true"}).json()["count"] == 0
    assert client.get("/api/v1/findings", {"tier": 7}).status_code == 422


def test_a_finding_is_read_by_id(inspection_under_way, record, jw_leader):
    finding = record(inspection_under_way)
    data = as_user(jw_leader).get(f"/api/v1/findings/{finding.pk}").json()
    assert (data["id"], data["description"], data["tier"]) == (finding.pk, DESCRIPTION, 2)
    assert data["inspection"] == inspection_under_way.pk
    assert as_user(jw_leader).get("/api/v1/findings/999999").status_code == 404


def test_files_are_attached_by_multipart(findings_inspection, record, jt_clerk, data_dir, pdf):
    finding = record(findings_inspection)
    client = as_user(jt_clerk)
    url = f"/api/v1/findings/{finding.pk}/attachments"
    response = client.post(url, {"file": pdf(name="照片.pdf"), "description": "现场"})
    assert response.status_code == 201
    data = response.json()
    assert (data["filename"], data["description"]) == ("照片.pdf", "现场")
    assert data["url"].endswith(f"/attachments/{data['id']}/")
    refused = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")})
    assert refused.status_code == 415
    assert client.post(url, {}).json()["errors"] == {"file": ["请选择要上传的文件。"]}
    assert Attachment.objects.count() == 1
    shown = client.get(f"/api/v1/findings/{finding.pk}").json()
    assert [a["id"] for a in shown["attachments"]] == [data["id"]]


def test_the_unit_may_not_attach(findings_inspection, record, sj_clerk, data_dir, pdf):
    finding = record(findings_inspection)
    response = as_user(sj_clerk).post(f"/api/v1/findings/{finding.pk}/attachments", {"file": pdf()})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_closed_inspection_takes_no_more_files(
    findings_inspection, record, jw_clerk, data_dir, pdf
):
    finding = record(findings_inspection)
    findings_inspection.status = "closed"
    findings_inspection.save(update_fields=["status"])
    response = as_user(jw_clerk).post(f"/api/v1/findings/{finding.pk}/attachments", {"file": pdf()})
    assert response.status_code == 409
    assert not Attachment.objects.exists()


def test_a_task_is_set_once(findings_inspection, record, jw_clerk, sj_clerk):
    finding = record(findings_inspection)
    url = f"/api/v1/findings/{finding.pk}/rectification"
    assert post(as_user(sj_clerk), url, {"requirement": "整改"}).status_code == 403
    assert post(as_user(jw_clerk), url, {}).json()["errors"] == {
        "requirement": ["请填写整改要求。"]
    }
    response = post(as_user(jw_clerk), url, {"requirement": "限期整改", "period_days": 10})
    assert response.status_code == 201
    data = response.json()
    task = Rectification.objects.get()
    assert (data["id"], data["status"], data["period_days"]) == (task.pk, "open", 10)
    assert data["due_date"]
    assert post(as_user(jw_clerk), url, {"requirement": "再次"}).status_code == 409
    shown = as_user(sj_clerk).get(f"/api/v1/findings/{finding.pk}").json()
    assert shown["has_task"] is True
    assert shown["task"]["id"] == task.pk


def test_a_serious_finding_is_referred_once(findings_inspection, record, sf_clerk, sf_leader):
    general = record(findings_inspection)
    serious = record(findings_inspection, severity="serious")
    client = as_user(sf_clerk)
    assert post(client, f"/api/v1/findings/{general.pk}/referral").status_code == 409
    assert post(as_user(sf_leader), f"/api/v1/findings/{serious.pk}/referral").status_code == 403
    response = post(client, f"/api/v1/findings/{serious.pk}/referral")
    assert response.status_code == 201
    referral = Referral.objects.get()
    assert response.json() == {
        "id": referral.pk,
        "number": "",
        "direction": "to_discipline",
        "status": "draft",
        "status_label": "草稿",
    }
    assert post(client, f"/api/v1/findings/{serious.pk}/referral").status_code == 409
    shown = client.get(f"/api/v1/findings/{serious.pk}").json()
    assert shown["referral"]["id"] == referral.pk
