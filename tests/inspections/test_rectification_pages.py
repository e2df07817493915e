"""The rectification pages (第九条): the list with filters in the URL and pagination, the board by
unit and state, the unit's own view, and one task with the moves its viewer may make — refusals
coming back on the page with what was typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from xianjie.calendar.selectors import clocks_of
from xianjie.inspections.models import Rectification

from .rectification_fixtures import *  # noqa: F403
from .rectification_fixtures import backdate

pytestmark = [pytest.mark.django_db, pytest.mark.article(9), pytest.mark.usefixtures("data_dir")]

LIST = reverse("inspections:rectification_list")
BOARD = reverse("inspections:rectification_board")
MINE = reverse("inspections:rectification_mine")


def page(client, user, url, data=None):
    client.force_login(user)
    response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    return re.findall(r'/inspections/rectifications/\d+/">([^<]+)</a>', html)


def move_url(task, name):
    return reverse("inspections:rectification_move", args=[task.pk, name])


def detail_url(task):
    return reverse("inspections:rectification_detail", args=[task.pk])


def test_list_filters_stay_in_the_url_and_narrow_the_rows(client, make_task, move, jw_clerk):
    make_task(title="甲任务")
    submitted = move(make_task(title="乙任务"), "submitted")
    make_task(title="丙任务", unit="jt_dept")
    assert sorted(titles(page(client, jw_clerk, LIST))) == ["丙任务", "乙任务", "甲任务"]
    assert titles(page(client, jw_clerk, LIST, {"status": "submitted"})) == ["乙任务"]
    html = page(client, jw_clerk, LIST, {"unit": submitted.unit_id, "q": "甲"})
    assert titles(html) == ["甲任务"]
    assert 'value="甲"' in html
    assert titles(page(client, jw_clerk, LIST, {"q": str(submitted.pk)})) == ["乙任务"]


def test_list_shows_the_light_and_marks_overdue_and_escalated(client, make_task, jw_clerk):
    late = make_task(title="逾期任务")
    backdate(late, started=40, due=3)
    Rectification.objects.filter(pk=late.pk).update(escalated_at=timezone.now())
    make_task(title="正常任务")
    html = page(client, jw_clerk, LIST)
    assert "light-red" in html and "light-green" in html
    assert html.count('class="badge badge-urgent" title="已于') == 1
    assert titles(page(client, jw_clerk, LIST, {"overdue": "1"})) == ["逾期任务"]
    assert titles(page(client, jw_clerk, LIST, {"escalated": "1"})) == ["逾期任务"]


def test_list_is_paginated_keeping_the_filters(client, make_task, jw_clerk):
    for n in range(23):
        make_task(title=f"任务{n:02d}")
    first = page(client, jw_clerk, LIST, {"status": "open"})
    assert len(titles(first)) == 20 and "共 23 条" in first
    assert "?status=open&amp;page=2" in first
    assert len(titles(page(client, jw_clerk, LIST, {"status": "open", "page": 2}))) == 3


def test_a_bad_filter_is_named_and_lists_everything(client, task, jw_clerk):
    html = page(client, jw_clerk, LIST, {"status": "nonsense"})
    assert "筛选条件有误" in html
    assert titles(html) == ["行政处罚案卷整改"]


def test_board_counts_units_by_state_with_links_and_red_overdue(client, make_task, move, jw_clerk):
    late = make_task(title="逾期")
    backdate(late, started=40, due=3)
    make_task(title="进行中")
    move(make_task(title="已提交"), "submitted")
    move(make_task(title="已销号"), "closed")
    make_task(title="交通", unit="jt_dept")
    html = page(client, jw_clerk, BOARD)
    market = html[html.index("文水县市场监督管理局") : html.index("文水县交通运输局")]
    cells = re.findall(r'<td class="num">(.*?)</td>', market)
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == ["2", "1", "1", "0", "1", "4"]
    unit = late.unit_id
    assert f'href="{LIST}?unit={unit}&amp;status=open"' in market
    assert f'class="light-red" href="{LIST}?unit={unit}&amp;overdue=1"' in market


def test_the_units_own_view_lists_its_tasks_and_what_to_do(
    client, make_task, move, sj_clerk, jw_clerk
):
    make_task(title="待整改")
    move(make_task(title="待检查"), "submitted")
    make_task(title="他单位", unit="jt_dept")
    html = page(client, sj_clerk, MINE)
    assert sorted(titles(html)) == ["待整改", "待检查"]
    assert "待整改：请按期报告进展并提交整改报告" in html
    assert "已提交整改报告，待跟踪检查" in html
    assert titles(page(client, jw_clerk, MINE)) == []


def test_detail_offers_the_unit_report_and_submit_with_upload(client, task, sj_clerk):
    html = page(client, sj_clerk, detail_url(task))
    assert "补齐全过程记录，规范案卷归档。" in html
    assert "中共文水县纪委 文水县监委、文水县司法局" in html
    assert move_url(task, "report") in html and move_url(task, "submit") in html
    assert 'enctype="multipart/form-data"' in html
    assert move_url(task, "verify") not in html and move_url(task, "cancel") not in html
    assert "light-green" in html and "整改（30日）" in html


def test_detail_offers_overseers_verify_reopen_and_leaders_cancel(
    client, task, move, jw_clerk, jw_leader, sj_clerk
):
    html = page(client, jw_leader, detail_url(task))
    assert move_url(task, "cancel") in html and "整改时限一并撤销，不能恢复" in html
    assert move_url(task, "cancel") not in page(client, jw_clerk, detail_url(task))
    move(task, "submitted")
    html = page(client, jw_clerk, detail_url(task))
    assert move_url(task, "verify") in html and move_url(task, "reopen") in html
    assert "当前没有需要您办理的事项" in page(client, sj_clerk, detail_url(task))


def test_a_progress_report_with_a_file_from_the_page(client, task, sj_clerk, pdf):
    client.force_login(sj_clerk)
    response = client.post(
        move_url(task, "report"), {"report-text": "已整改两卷。", "report-files": [pdf("x")]}
    )
    assert response.status_code == 302
    html = page(client, sj_clerk, detail_url(task))
    assert "已整改两卷。" in html and "整改报告.pdf" in html
    assert task.reports.get().attachments.count() == 1


def test_a_refused_file_comes_back_with_the_text_kept(client, task, sj_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(sj_clerk)
    exe = SimpleUploadedFile("报告.pdf", EXE)  # noqa: F405
    response = client.post(
        move_url(task, "submit"), {"submit-text": "整改报告正文", "submit-files": [exe]}
    )
    assert response.status_code == 415
    html = response.content.decode()
    assert "整改报告正文" in html
    assert re.search(r'<small class="error">不支持此文件类型', html)
    assert Rectification.objects.get(pk=task.pk).status == "open"


def test_submit_without_text_is_400_with_the_field_named(client, task, sj_clerk):
    client.force_login(sj_clerk)
    response = client.post(move_url(task, "submit"), {"submit-text": ""})
    assert response.status_code == 400
    assert "请填写整改报告。" in response.content.decode()


def test_reopen_from_the_page_with_a_new_period(client, task, move, jw_clerk):
    move(task, "submitted")
    client.force_login(jw_clerk)
    refused = client.post(move_url(task, "reopen"), {"reopen-period_days": "20"})
    assert refused.status_code == 400
    assert "请填写退回理由。" in refused.content.decode()
    assert 'value="20"' in refused.content.decode()
    response = client.post(
        move_url(task, "reopen"), {"reopen-reason": "案卷仍缺", "reopen-period_days": "20"}
    )
    assert response.status_code == 302
    assert clocks_of(task).last().amount == 20
    assert "案卷仍缺" in page(client, jw_clerk, detail_url(task))


def test_a_move_not_yours_is_403_and_a_stale_one_409(client, task, sj_clerk, jw_clerk):
    client.force_login(sj_clerk)
    assert client.post(move_url(task, "verify"), {}).status_code == 403
    client.force_login(jw_clerk)
    stale = client.post(move_url(task, "verify"), {})
    assert stale.status_code == 409
    assert "当前状态已变化" in stale.content.decode()
    assert client.post(move_url(task, "nonsense"), {}).status_code == 404
    assert Rectification.objects.get(pk=task.pk).status == "open"


def test_the_source_is_named_by_its_kind(client, make_task, jw_clerk):
    task = make_task(kind="notice")
    html = page(client, jw_clerk, detail_url(task))
    assert "行政执法监督通知书" in html


def make_finding(inspection, unit, author, tier: int):
    from xianjie.inspections.models import Finding
    from xianjie.inspections.sealing import new_wrapped_key, seal

    finding = Finding.objects.create(
        inspection=inspection,
        unit=unit,
        sequence=Finding.objects.filter(inspection=inspection).count() + 1,
        tier=tier,
        severity="general",
        wrapped_key=new_wrapped_key(),
        created_by=author,
    )
    finding.title_enc = seal(finding, "title", "案卷不规范")
    finding.description_enc = seal(finding, "description", "缺少全过程记录")
    finding.save(update_fields=["title_enc", "description_enc"])
    return finding


@pytest.mark.parametrize(("tier", "unit_sees_link"), [(2, True), (3, False)])
def test_the_source_finding_is_linked_for_whoever_may_open_it(
    client, make_task, inspection_under_way, county, jw_clerk, sj_clerk, tier, unit_sees_link
):
    finding = make_finding(inspection_under_way, county["sj_dept"], jw_clerk, tier)
    task = make_task(source=finding)
    link = f'href="{reverse("inspections:finding_detail", args=[finding.pk])}"'
    assert link in page(client, jw_clerk, detail_url(task))
    unit_view = page(client, sj_clerk, detail_url(task))
    assert (link in unit_view) is unit_sees_link
    assert "督查发现问题整改" in unit_view
