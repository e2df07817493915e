"""第九条 on screen: the finding list (filters in the URL, pagination), recording a finding, and
the finding's page with its files, its task and its referral — each act only for those whose it
is, refusals back on the same page with what was typed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xianjie.inspections.models import Attachment, Finding, Rectification
from xianjie.inspections.services.findings import finding_rectification_create

from .finding_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(9)]


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode("utf-8")


def detail_url(finding) -> str:
    return reverse("inspections:finding_detail", args=[finding.pk])


# --- The list.


def test_the_list_filters_by_what_is_in_the_url(
    inspection_under_way, make_inspection, record, jw_clerk, county
):
    other = make_inspection(status="under_way", title="第二次督查", units={"sj_dept": []})
    record(inspection_under_way, title="甲问题")
    b = record(inspection_under_way, title="乙问题", unit=county["jt_dept"].pk, severity="serious")
    record(other, title="丙问题")
    finding_rectification_create(finding_id=b.pk, actor=jw_clerk, requirement="整改")
    client = as_user(jw_clerk)
    url = reverse("inspections:finding_list")

    def titles(query):
        page = text(client.get(url, query))
        return {t for t in ("甲问题", "乙问题", "丙问题") if t in page}

    assert titles({}) == {"甲问题", "乙问题", "丙问题"}
    assert titles({"inspection": other.pk}) == {"丙问题"}
    assert titles({"unit": county["jt_dept"].pk}) == {"乙问题"}
    assert titles({"severity": "serious"}) == {"乙问题"}
    assert titles({"has_task": "yes"}) == {"乙问题"}
    assert titles({"has_task": "no"}) == {"甲问题", "丙问题"}
    assert titles({"tier": "3"}) == set()
    kept = text(client.get(url, {"severity": "serious"}))
    assert '<option value="serious" selected>' in kept


def test_a_bad_filter_is_told_not_crashed(inspection_under_way, record, jw_clerk):
    record(inspection_under_way)
    response = as_user(jw_clerk).get(reverse("inspections:finding_list"), {"tier": "9"})
    assert response.status_code == 200
    assert "筛选条件有误" in text(response)


def test_the_list_is_paginated_keeping_its_filters(inspection_under_way, record, jw_clerk):
    for n in range(21):
        record(inspection_under_way, title=f"第{n:02d}项缺陷")
    client = as_user(jw_clerk)
    first = text(client.get(reverse("inspections:finding_list"), {"severity": "general"}))
    assert "共 21 条" in first
    assert "severity=general&amp;page=2" in first
    second = text(client.get(reverse("inspections:finding_list"), {"page": 2}))
    assert second.count("项缺陷") == 1


def test_the_record_button_shows_for_an_inspection_the_user_records_in(
    inspection_under_way, record, jw_clerk, sj_clerk
):
    record(inspection_under_way)
    create = reverse("inspections:finding_create", args=[inspection_under_way.pk])
    query = {"inspection": inspection_under_way.pk}
    assert create in text(as_user(jw_clerk).get(reverse("inspections:finding_list"), query))
    assert create not in text(as_user(sj_clerk).get(reverse("inspections:finding_list"), query))


# --- Recording.


def test_recording_from_the_page_opens_the_new_finding(inspection_under_way, jw_clerk, county):
    client = as_user(jw_clerk)
    url = reverse("inspections:finding_create", args=[inspection_under_way.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit": str(county["jt_dept"].pk),
            "severity": "general",
            "title": "未公示执法信息",
            "description": "执法公示平台信息未更新",
            "violation_codes": ["A01", "E02"],
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(finding)
    assert finding.unit == county["jt_dept"]
    assert sorted(finding.violation_codes.values_list("code", flat=True)) == ["A01", "E02"]


def test_a_refused_recording_keeps_what_was_typed(inspection_under_way, jw_clerk):
    response = as_user(jw_clerk).post(
        reverse("inspections:finding_create", args=[inspection_under_way.pk]),
        {"unit": "", "severity": "general", "title": "保留的概述", "description": ""},
    )
    page = text(response)
    assert response.status_code == 400
    assert "请选择被检查单位。" in page
    assert "请填写问题描述。" in page
    assert 'value="保留的概述"' in page
    assert not Finding.objects.exists()


def test_an_inspector_is_offered_only_the_units_of_their_team(
    make_inspection, jt_clerk, sf_clerk, county
):
    inspection = make_inspection(
        method="special", status="under_way", units={"sj_dept": [jt_clerk], "jy_dept": [sf_clerk]}
    )
    page = text(as_user(jt_clerk).get(reverse("inspections:finding_create", args=[inspection.pk])))
    assert county["sj_dept"].name in page
    assert county["jy_dept"].name not in page


def test_the_record_page_refuses_the_unit_and_hides_from_others(
    findings_inspection, sj_clerk, outsider
):
    url = reverse("inspections:finding_create", args=[findings_inspection.pk])
    assert as_user(sj_clerk).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404


def test_the_record_page_says_when_the_inspection_is_not_on(make_inspection, jw_clerk):
    inspection = make_inspection(status="planned", units={"sj_dept": []})
    response = as_user(jw_clerk).get(reverse("inspections:finding_create", args=[inspection.pk]))
    assert response.status_code == 409
    assert "督查尚未开始或已经结束" in text(response)
    assert 'name="title"' not in text(response)


# --- The finding's page: only the user's own acts.


def test_each_persona_sees_only_its_own_acts(findings_inspection, record, jw_clerk, request):
    finding = record(findings_inspection, severity="serious")
    upload = reverse("inspections:finding_attach", args=[finding.pk])
    task = reverse("inspections:finding_rectification", args=[finding.pk])
    refer = reverse("inspections:finding_referral", args=[finding.pk])
    expected = {
        "jw_clerk": {upload, task, refer},
        "jw_leader": {upload, task},
        "jt_clerk": {upload},
        "sj_clerk": set(),
    }
    for name, acts in expected.items():
        page = text(as_user(request.getfixturevalue(name)).get(detail_url(finding)))
        assert {url for url in (upload, task, refer) if url in page} == acts, name
    clerk_page = text(as_user(jw_clerk).get(detail_url(finding)))
    assert "每个问题只能移送一次，不能撤销" in clerk_page
    assert "行政执法监督机构" in clerk_page


def test_evidence_is_uploaded_from_the_page_and_linked_for_download(
    findings_inspection, record, jt_clerk, data_dir, pdf
):
    finding = record(findings_inspection)
    client = as_user(jt_clerk)
    response = client.post(
        reverse("inspections:finding_attach", args=[finding.pk]),
        {"file": pdf(name="询问笔录.pdf"), "description": "笔录"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(finding=finding)
    page = text(client.get(detail_url(finding)))
    assert "询问笔录.pdf" in page
    assert reverse("inspections:attachment_download", args=[attachment.pk]) in page


def test_a_refused_file_is_told_on_the_page(findings_inspection, record, jw_clerk, data_dir):
    finding = record(findings_inspection)
    client = as_user(jw_clerk)
    url = reverse("inspections:finding_attach", args=[finding.pk])
    refused = client.post(url, {"file": SimpleUploadedFile("a.txt", b"plain text")})
    assert refused.status_code == 415
    missing = client.post(url, {"description": "无文件"})
    assert missing.status_code == 400
    assert "请选择要上传的文件。" in text(missing)
    assert not Attachment.objects.exists()


def test_a_task_is_set_from_the_page(findings_inspection, record, sf_leader):
    finding = record(findings_inspection)
    client = as_user(sf_leader)
    url = reverse("inspections:finding_rectification", args=[finding.pk])
    refused = client.post(url, {"title": "保留的任务名", "requirement": ""})
    assert refused.status_code == 400
    assert "请填写整改要求。" in text(refused)
    assert 'value="保留的任务名"' in text(refused)
    done = client.post(url, {"requirement": "限期整改", "period_days": "20"})
    assert done.status_code == 302
    task = Rectification.objects.get()
    assert task.period_days == 20
    page = text(client.get(detail_url(finding)))
    assert reverse("inspections:rectification_detail", args=[task.pk]) in page
    assert url not in page
    again = client.post(url, {"requirement": "再次下达"})
    assert again.status_code == 409


def test_a_general_finding_is_not_referred_from_the_page(findings_inspection, record, jw_clerk):
    finding = record(findings_inspection)
    response = as_user(jw_clerk).post(reverse("inspections:finding_referral", args=[finding.pk]))
    assert response.status_code == 409
    assert "只有严重问题可以移送线索" in text(response)


def test_the_acts_of_others_are_refused_or_hidden(findings_inspection, record, sj_clerk, outsider):
    finding = record(findings_inspection, severity="serious")
    task = reverse("inspections:finding_rectification", args=[finding.pk])
    refer = reverse("inspections:finding_referral", args=[finding.pk])
    assert as_user(sj_clerk).post(task, {"requirement": "x"}).status_code == 403
    assert as_user(sj_clerk).post(refer).status_code == 403
    assert as_user(outsider).post(task, {"requirement": "x"}).status_code == 404
    assert as_user(outsider).post(refer).status_code == 404
    assert not Rectification.objects.exists()
