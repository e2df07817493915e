"""The plan pages (第八条): the list with its filters, pagination and the yearly line; the plan
form keeping what was typed with each error beside its field; the plan's page with the moves
the user may make; units and teams; 回避申报; the record of every year."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from xianjie.inspections.models import ConflictDeclaration, Inspection

from .plans_fixtures import planned_fixture, staffed_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]

LIST = reverse("inspections:list")
CREATE = reverse("inspections:plan_create")
YEARS = reverse("inspections:plan_years")
OCTOBER = datetime(2026, 10, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
MARCH = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def page(client, user, url, expect=200, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == expect, response.content.decode()[:500]
    return response.content.decode()


def linked(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/inspections/(\d+)/"', html)]


def test_list_filters_stay_in_the_url_and_narrow_the_list(client, make_inspection, jw_clerk):
    special = make_inspection(method="special", title="执法案卷专项检查")
    random = make_inspection(method="random", status="under_way", title="双随机抽查")
    old = make_inspection(year=2025, title="2025年度督查")
    assert set(linked(page(client, jw_clerk, LIST))) == {special.pk, random.pk, old.pk}
    assert linked(page(client, jw_clerk, LIST, method="special", year=2026)) == [special.pk]
    html = page(client, jw_clerk, LIST, status="under_way")
    assert linked(html) == [random.pk]
    assert 'value="under_way" selected' in html
    assert linked(page(client, jw_clerk, LIST, q="抽查")) == [random.pk]
    html = page(client, jw_clerk, LIST, year="公元")
    assert "筛选条件有误" in html and set(linked(html)) == {special.pk, random.pk, old.pk}


def test_list_pages_by_twenty_keeping_the_filters(client, make_inspection, jw_clerk):
    for n in range(23):
        make_inspection(title=f"督查{n:02d}")
    first = page(client, jw_clerk, LIST, method="random")
    assert len(linked(first)) == 20
    assert "page=2&amp;method=random" in first or "method=random&amp;page=2" in first
    assert len(linked(page(client, jw_clerk, LIST, method="random", page=2))) == 3


def test_list_warns_in_red_from_october_when_none_is_held(client, make_inspection, jw_clerk):
    make_inspection(status="planned")
    with time_machine.travel(MARCH):
        html = page(client, jw_clerk, LIST)
    assert "year-warning" not in html
    assert "本年度已开展联合法治督查0次（第八条：每年至少一次）" in html
    with time_machine.travel(OCTOBER):
        html = page(client, jw_clerk, LIST)
    assert 'class="msg msg-error year-warning"' in html
    assert "2026年度尚未开展联合法治督查" in html


def test_list_line_is_green_when_the_year_is_met(client, make_inspection, jw_clerk):
    make_inspection(status="under_way")
    with time_machine.travel(OCTOBER):
        html = page(client, jw_clerk, LIST)
    assert "year-warning" not in html
    assert re.search(r'class="msg msg-success year-line"[^>]*>本年度已开展联合法治督查1次', html)


def test_the_three_admins_get_an_empty_list_without_the_line(client, make_inspection, auditor):
    make_inspection(status="under_way")
    html = page(client, auditor, LIST)
    assert linked(html) == [] and "本年度已开展" not in html and "制定督查计划" not in html


def test_create_keeps_what_was_typed_and_names_each_bad_field(client, county, jw_clerk):
    client.force_login(jw_clerk)
    response = client.post(
        CREATE,
        {
            "year": "2026",
            "title": "执法案卷专项检查",
            "method": "special",
            "topic": "",
            "organisers": [str(county["jw"].pk)],
            "planned_start": "2026-05-10",
            "planned_end": "2026-05-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="执法案卷专项检查"' in html and 'value="2026-05-10"' in html
    for message in (
        "请填写检查主题和内容。",
        "计划结束日期不能早于开始日期。",
        "共同组织（第八条）",
    ):
        assert message in html
    assert 'class="bad-field">组织单位</a>' in html
    assert not Inspection.objects.exists()


def test_create_saves_and_opens_the_plan(client, county, jw_clerk):
    client.force_login(jw_clerk)
    response = client.post(
        CREATE,
        {
            "year": "2026",
            "title": "执法案卷专项检查",
            "method": "special",
            "topic": "行政处罚案卷",
            "organisers": [str(county["jw"].pk), str(county["sf"].pk)],
            "planned_start": "2026-05-01",
            "planned_end": "2026-05-31",
        },
    )
    plan = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{plan.pk}/"
    assert plan.created_by == jw_clerk and plan.organisers.count() == 2


def test_create_is_refused_to_the_three_admins(client, sysadmin):
    page(client, sysadmin, CREATE, expect=403)


def test_edit_is_for_organisers_while_planned(
    client, planned, make_inspection, jw_leader, jt_clerk, sf_leader, outsider
):
    url = reverse("inspections:plan_edit", args=[planned.pk])
    assert 'value="2026年度行政处罚案卷专项检查"' in page(client, sf_leader, url)
    page(client, outsider, url, expect=404)
    seen = make_inspection(units={"sj_dept": [jw_leader, jt_clerk]})
    page(client, jt_clerk, reverse("inspections:plan_edit", args=[seen.pk]), expect=403)
    started = make_inspection(status="under_way")
    client.force_login(sf_leader)
    response = client.get(reverse("inspections:plan_edit", args=[started.pk]))
    assert response.status_code == 302


def test_edit_saves_or_keeps_input_with_errors(client, planned, county, sf_leader):
    url = reverse("inspections:plan_edit", args=[planned.pk])
    client.force_login(sf_leader)
    data = {
        "year": "2026",
        "title": "",
        "method": "special",
        "topic": "新的主题",
        "organisers": [str(county["jw"].pk), str(county["sf"].pk)],
        "planned_start": "2026-03-02",
        "planned_end": "2026-04-30",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert (
        "请填写督查名称。" in response.content.decode() and "新的主题" in response.content.decode()
    )
    response = client.post(url, {**data, "title": "案卷评查"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.title, planned.topic) == ("案卷评查", "新的主题")


def test_detail_offers_an_organiser_start_and_cancel_with_confirmation(client, staffed, jw_clerk):
    html = page(client, jw_clerk, reverse("inspections:plan_detail", args=[staffed.pk]))
    assert "确认开始检查" in html and "确认取消计划" in html and "开始检查前还需" not in html
    assert 'data-confirm="确认后本督查计划即取消，不能恢复。"' in html
    assert "确定被检查单位和检查组" in html and "修改计划" in html
    assert "jw.leader（中共文水县纪委 文水县监委）" in html
    assert "确定被检查单位和检查组</strong>" in html  # the timeline


def test_cancel_without_reason_comes_back_with_the_message(client, staffed, jw_clerk):
    client.force_login(jw_clerk)
    url = reverse("inspections:plan_transition", args=[staffed.pk, "cancel"])
    response = client.post(url, {"cancel-comment": ""})
    assert response.status_code == 400
    assert "请填写取消理由。" in response.content.decode()
    response = client.post(url, {"cancel-comment": "推迟至下一年度"})
    assert response.status_code == 302
    assert Inspection.objects.get(pk=staffed.pk).status == "cancelled"


def test_start_without_units_names_the_problem_and_a_stale_move_is_409(client, planned, jw_clerk):
    html = page(client, jw_clerk, reverse("inspections:plan_detail", args=[planned.pk]))
    assert "开始检查前还需：</p><ul><li>尚未确定被检查单位和检查组。</li>" in html
    start = reverse("inspections:plan_transition", args=[planned.pk, "start"])
    response = client.post(start, {})
    assert response.status_code == 400
    assert "尚未确定被检查单位和检查组。" in response.content.decode()
    report = reverse("inspections:plan_transition", args=[planned.pk, "report"])
    response = client.post(report, {"report-report_summary": "报告"})
    assert response.status_code == 409 and "当前状态已变化" in response.content.decode()
    assert (
        client.post(reverse("inspections:plan_transition", args=[planned.pk, "x"])).status_code
        == 404
    )


def test_report_from_the_page(client, make_inspection, jw_clerk, jw_leader, sf_clerk):
    plan = make_inspection(
        method="special", status="under_way", units={"sj_dept": [jw_leader, sf_clerk]}
    )
    client.force_login(jw_clerk)
    url = reverse("inspections:plan_transition", args=[plan.pk, "report"])
    response = client.post(url, {"report-report_summary": "检查案卷30件，发现问题5个。"})
    assert response.status_code == 302
    html = page(client, jw_clerk, reverse("inspections:plan_detail", args=[plan.pk]))
    assert "检查案卷30件，发现问题5个。" in html and "已报告问题" in html


def test_units_page_keeps_the_ticks_and_names_the_short_team(
    client, planned, county, jw_clerk, jw_leader, sf_clerk
):
    url = reverse("inspections:plan_units", args=[planned.pk])
    html = page(client, jw_clerk, url)
    assert "文水县教育局" in html
    sj = county["sj_dept"].pk
    response = client.post(url, {f"unit_{sj}": "on", f"inspectors_{sj}": [str(jw_leader.pk)]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文水县市场监督管理局的检查组至少需要2名检查人员。" in html
    assert re.search(rf'name="unit_{sj}"[^>]*checked', html)
    assert re.search(rf'name="inspectors_{sj}" value="{jw_leader.pk}"[^>]*checked', html)
    response = client.post(
        url, {f"unit_{sj}": "on", f"inspectors_{sj}": [str(jw_leader.pk), str(sf_clerk.pk)]}
    )
    assert response.status_code == 302
    assert list(planned.units.values_list("org__code", flat=True)) == ["文市监"]


def test_units_page_does_not_offer_an_inspector_their_own_department(
    client, planned, county, jw_clerk, sj_clerk
):
    html = page(client, jw_clerk, reverse("inspections:plan_units", args=[planned.pk]))
    sj = county["sj_dept"].pk
    assert f'name="inspectors_{sj}" value="{sj_clerk.pk}"' not in html
    assert "回避：sj.clerk是文水县市场监督管理局的工作人员" in html
    jt = county["jt_dept"].pk
    assert f'name="inspectors_{jt}" value="{sj_clerk.pk}"' in html


def test_units_page_is_for_organisers_of_a_special_plan(
    client, make_inspection, jw_clerk, sf_clerk, jt_clerk
):
    random = make_inspection(method="random")
    client.force_login(jw_clerk)
    assert client.get(reverse("inspections:plan_units", args=[random.pk])).status_code == 302
    special = make_inspection(method="special", units={"jy_dept": [jt_clerk, sf_clerk]})
    page(client, jt_clerk, reverse("inspections:plan_units", args=[special.pk]), expect=403)


def test_conflict_page_declares_for_oneself_and_keeps_input(client, planned, county, sf_clerk):
    url = reverse("inspections:plan_conflict", args=[planned.pk])
    client.force_login(sf_clerk)
    response = client.post(url, {"org": str(county["jt_dept"].pk), "reason": ""})
    assert response.status_code == 400
    assert "请填写回避事由。" in response.content.decode()
    assert re.search(rf'value="{county["jt_dept"].pk}" selected', response.content.decode())
    response = client.post(url, {"org": str(county["jt_dept"].pk), "reason": "配偶在该局任职"})
    assert response.status_code == 302
    declared = ConflictDeclaration.objects.get()
    assert (declared.user, declared.org) == (sf_clerk, county["jt_dept"])
    assert "配偶在该局任职" in page(client, sf_clerk, url)


def test_years_page_marks_each_year(client, make_inspection, jw_clerk, auditor):
    make_inspection(status="closed", year=2025)
    with time_machine.travel(OCTOBER):
        html = page(client, jw_clerk, YEARS)
    row_2026 = html.split('class="year-2026"')[1].split("</tr>")[0]
    row_2025 = html.split('class="year-2025"')[1].split("</tr>")[0]
    assert "✗ 尚未开展，请尽快安排" in row_2026 and "<td>0</td>" in row_2026
    assert "✓ 已落实" in row_2025 and "<td>1</td>" in row_2025
    page(client, auditor, YEARS, expect=403)


def test_detail_links_to_the_draws_and_the_findings(
    client, make_inspection, jw_clerk, jw_leader, sf_clerk, sj_clerk
):
    random = make_inspection(method="random")
    html = page(client, jw_clerk, reverse("inspections:plan_detail", args=[random.pk]))
    assert f'href="/inspections/{random.pk}/draws/"' in html
    assert f"/inspections/{random.pk}/findings/" not in html
    started = make_inspection(status="under_way", units={"sj_dept": [jw_leader, sf_clerk]})
    html = page(client, jw_clerk, reverse("inspections:plan_detail", args=[started.pk]))
    assert f'href="/inspections/{started.pk}/findings/new/"' in html
    html = page(client, sj_clerk, reverse("inspections:plan_detail", args=[started.pk]))
    assert "发现问题" in html and "findings/new/" not in html
