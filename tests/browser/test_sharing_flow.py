"""Story 6 of SCENARIOS.md through the pages in Chromium (第十一条, 第十二条): the 司法局
publishes a work requirement to the whole county and an accountability notice to the
enforcement units' legal units only, and sees who has read them; the education bureau's legal
unit, outside a closed lead, asks to read it, is approved by its own leader and the
commission's, reads it read-only under a watermark, downloads a watermarked PDF, and loses the
grant when its 7 days are over, while the commission sees exactly who read what; the commission
turns the closed lead into a de-identified typical case for the enforcement departments, with a
以案促改 task for the market regulator, whose legal unit finds both and records its study."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from xianjie.access.models import AccessRequest
from xianjie.access.services.requests import access_grants_expire

from .sharing_steps import (
    CERT,
    EVIDENCE_NAME,
    EVIDENCE_TEXT,
    MOBILE,
    OFFICER,
    act,
    closed_lead,
    log_in,
    main_text,
    menu,
    messages,
    pdf_text,
    people,
    row,
    seeded,
    submit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.article(11),
    pytest.mark.article(12),
]
__all__ = ["closed_lead", "people", "seeded"]

REQUIREMENT = "关于全面落实行政执法全过程记录制度的工作要求"
NOTICE = "关于两起截留罚没款问题的问责处理情况通报"
MARKET_UNIT = "文水县市场监督管理局法制股"
TRANSPORT_UNIT = "文水县交通运输局法制股"
EDUCATION_UNIT = "文水县教育局法制股"
DEPARTMENTS = ("文水县市场监督管理局", "文水县交通运输局", "文水县教育局")
PURPOSE = "核查本局执法人员是否涉及同类当场收缴罚款未上缴问题，开展自查自纠。"


def draft_item(page, base, *, tier, category, title, body, scope=()):
    """sf.clerk drafts one shared item on the library's form; the draft's address."""
    page.goto(f"{base}/sharing/")
    with page.expect_navigation():
        page.get_by_role("link", name="起草共享信息").click()
    page.get_by_label(tier).check()
    page.select_option("select[name=category]", label=category)
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", body)
    for org in scope:
        page.locator("[data-field=scope_orgs]").get_by_label(org, exact=True).check()
    submit(page, "保存草稿")
    assert "草稿已保存" in messages(page)
    return page.url


def search_library(page, query):
    menu(page, "共享信息库")
    page.fill("input[name=q]", query)
    submit(page, "检索")
    return page.locator("table.data tbody").inner_text()


def category_count(page, label):
    entry = page.locator("section[aria-labelledby=categories-title] li", has_text=label)
    return entry.locator(".meta").inner_text().strip()


def share_and_read(page, base, artifacts_dir):
    """第十一条 tiers 1 and 2: publishing, reading by search, the outsider's view, receipts."""
    log_in(page, base, "sf.clerk")
    requirement_url = draft_item(
        page,
        base,
        tier="一般基础性信息（全面共享）",
        category="工作要求",
        title=REQUIREMENT,
        body="各行政执法单位应于年底前完成执法记录仪配备，执法全过程音像记录应归档备查。",
    )
    notice_url = draft_item(
        page,
        base,
        tier="重要信息（指定范围共享）",
        category="问责处理情况",
        title=NOTICE,
        body="经查，两名执法人员当场收缴罚款未上缴国库，已分别给予党内警告和政务记过处分。",
        scope=(MARKET_UNIT, TRANSPORT_UNIT),
    )
    assert f"{MARKET_UNIT}、{TRANSPORT_UNIT}" in page.locator("dl.facts").inner_text()

    log_in(page, base, "sf.leader")
    for url in (requirement_url, notice_url):
        page.goto(url)
        submit(page, "发布", confirm=True)
        assert "已发布" in messages(page)
        assert "已发布" in page.locator("h1").inner_text()

    # The market regulator's legal unit finds both by a Chinese word of their titles.
    log_in(page, base, "sj.clerk")
    assert REQUIREMENT in search_library(page, "全过程记录")
    page.get_by_role("link", name=REQUIREMENT).click()
    assert "各行政执法单位应于年底前" in main_text(page)
    found = search_library(page, "问责")
    assert NOTICE in found and REQUIREMENT not in found
    page.get_by_role("link", name=NOTICE).click()
    assert "已分别给予党内警告" in main_text(page)
    menu(page, "共享信息库")
    assert page.locator("tbody tr .badge-warn").count() == 0  # both read now
    page.screenshot(path=str(artifacts_dir / "sharing-library.png"), full_page=True)

    # The education bureau's legal unit reads the requirement; the notice does not exist for it.
    log_in(page, base, "jy.clerk")
    menu(page, "共享信息库")
    listed = page.locator("table.data tbody").inner_text()
    assert REQUIREMENT in listed and NOTICE not in listed
    assert category_count(page, "问责处理情况") == "0"
    assert category_count(page, "工作要求") == "1"
    assert "没有找到包含“问责”的共享信息" in search_library(page, "问责")
    assert REQUIREMENT in search_library(page, "全过程记录")
    page.get_by_role("link", name=REQUIREMENT).click()
    response = page.goto(notice_url)
    assert response.status == 404 and NOTICE not in page.content()

    # The publisher sees who has read what (阅读回执).
    log_in(page, base, "sf.clerk")
    page.goto(requirement_url)
    receipts = page.locator("#receipts")
    assert "已阅" in row(receipts, MARKET_UNIT).inner_text()
    assert "陈晓燕" in row(receipts, MARKET_UNIT).inner_text()
    assert "周敏" in row(receipts, EDUCATION_UNIT).inner_text()
    assert "未阅" in row(receipts, TRANSPORT_UNIT).inner_text()
    page.goto(notice_url)
    receipts = page.locator("#receipts")
    assert "1 / 2 个单位已阅" in receipts.locator(".count").inner_text()
    assert "陈晓燕" in row(receipts, MARKET_UNIT).inner_text()
    assert EDUCATION_UNIT not in receipts.inner_text()


def request_and_read(page, base, lead, artifacts_dir):
    """第十一条 严格审批共享: a request, two approvals, the read-only page, a marked download."""
    log_in(page, base, "jy.clerk")
    assert page.goto(f"{base}/referrals/{lead.pk}/").status == 404
    menu(page, "调阅申请")
    with page.expect_navigation():
        page.get_by_role("link", name="申请调阅").click()
    page.select_option("select[name=kind]", label="移送线索（含证据材料）")
    page.fill("input[name=reference]", lead.number)
    page.fill("textarea[name=purpose]", PURPOSE)
    assert page.input_value("input[name=period_days]") == "7"
    submit(page, "提交申请")
    assert "调阅申请已提交" in messages(page)
    request_url = page.url
    assert "待本单位领导审批" in page.locator("h1").inner_text()

    log_in(page, base, "jy.leader")
    page.goto(request_url)
    act(page, "批准")
    assert "待数据所属单位领导审批" in page.locator("h1").inner_text()

    log_in(page, base, "jw.leader")
    page.goto(request_url)
    question = act(page, "批准", confirm=True)
    assert "7日内只读查阅" in question
    assert "已授权" in page.locator("h1").inner_text()

    log_in(page, base, "jy.clerk")
    page.goto(request_url)
    with page.expect_navigation():
        page.get_by_role("link", name="查阅（只读）").click()
    grant_url = page.url
    assert lead.number in page.locator("h1").inner_text()
    assert "涉案保密" in page.locator("h1").inner_text()
    assert "只读" in page.locator(".granted-banner").inner_text()
    text = main_text(page)
    assert "当场收缴罚款2000元未出具罚款收据" in text and "批评教育" in text
    mark = page.locator(".watermark").inner_text()
    assert "周敏" in mark and EDUCATION_UNIT in mark
    # Read-only: no move, no form, no button anywhere in the page's content.
    assert page.locator("main form, main button, main summary").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(artifacts_dir / "sharing-granted.png"), full_page=True)

    with page.expect_download() as download:
        row(page.locator("#evidence"), EVIDENCE_NAME).get_by_role("link").click()
    marked = pdf_text(Path(download.value.path()).read_bytes())
    grant = AccessRequest.objects.get()
    assert EVIDENCE_TEXT in marked
    for part in ("周敏", "jy.clerk", EDUCATION_UNIT, f"授权调阅#{grant.pk}"):
        assert part in marked, part
    return request_url, grant_url


def expire_and_trace(page, base, lead, request_url, grant_url):
    """After the period the grant opens nothing; the commission sees every read (clock moved)."""
    log_in(page, base, "jy.clerk")
    assert page.goto(grant_url).status == 404
    page.goto(request_url)
    assert "授权期限已过" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("link", name="查阅（只读）").count() == 0
    # The grant already closed by the clock; the scheduled sweep then records it as expired.
    assert access_grants_expire() == 1
    page.reload()
    assert "授权已到期" in page.locator("h1").inner_text()

    log_in(page, base, "jw.clerk")
    menu(page, "被调阅记录")
    viewed, downloaded = row(page, "查阅"), row(page, "下载（加水印）")
    for line in (viewed, downloaded):
        text = line.inner_text()
        assert "周敏" in text and EDUCATION_UNIT in text and lead.number in text
    assert f"附件：{EVIDENCE_NAME}" in downloaded.inner_text()
    assert page.locator("tbody tr").count() == 2


def typical_case(page, base, lead, artifacts_dir):
    """第十二条: the de-identified case, its review, publication, 以案促改, and the study."""
    log_in(page, base, "jw.leader")
    page.goto(f"{base}/referrals/{lead.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="编写典型案例").click()
    proposal = main_text(page)
    for original in (OFFICER, CERT, MOBILE):
        assert original not in proposal, original
    assert "李某某" in proposal and "1**********" in proposal and "*" * len(CERT) in proposal
    masked = page.locator("section[aria-labelledby=masked-title]").inner_text()
    assert "姓名" in masked and "执法证号" in masked and "手机号码" in masked
    submit(page, "生成案例草稿")
    assert "已生成案例草稿" in messages(page)
    lesson_url = page.url
    title = page.locator("nav.breadcrumbs [aria-current=page]").inner_text().strip()
    assert OFFICER not in page.content() and CERT not in page.content()

    act(page, "审核通过", confirm=True)
    assert "已审核" in page.locator("h1").inner_text()
    act(page, "发布", confirm=True, radio="重要信息", checks=DEPARTMENTS)
    assert "已发布" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="提出以案促改建议").click()
    picked = page.locator("select[name=unit] option:checked").inner_text()
    assert picked == "文水县市场监督管理局"
    page.fill(
        "textarea[name=requirement]", "召开专题警示教育会，全面清查当场收缴罚款的票据和上缴情况。"
    )
    submit(page, "下达以案促改建议", confirm=True)
    assert "以案促改建议已下达文水县市场监督管理局，整改期限30日" in messages(page)
    assert "以案促改" in page.locator("section[aria-labelledby=reform-title]").inner_text()
    page.screenshot(path=str(artifacts_dir / "sharing-lesson.png"), full_page=True)

    # The market regulator's legal unit: the case in the library, the task, the study record.
    log_in(page, base, "sj.clerk")
    menu(page, "典型案例库")
    row(page, title).get_by_role("link", name=title).click()
    assert page.url == lesson_url
    assert OFFICER not in page.content() and MOBILE not in page.content()
    menu(page, "本单位整改任务")
    assert "整改中" in row(page, f"以案促改：{title}").inner_text()
    page.goto(lesson_url)
    with page.expect_navigation():
        page.get_by_role("link", name="登记学习记录").click()
    page.fill("input[name=studied_on]", timezone.localdate().isoformat())
    page.select_option("select[name=form]", label="专题会议")
    page.fill("input[name=attendees]", "23")
    page.fill("textarea[name=notes]", "局党组书记主持，全体执法人员参加，对照案例逐项查摆。")
    submit(page, "保存学习记录")
    assert "学习记录已登记" in messages(page)
    study = page.locator("section[aria-labelledby=study-title]").inner_text()
    assert "专题会议" in study and "23" in study

    # The commission sees the unit's reading and study.
    log_in(page, base, "jw.leader")
    page.goto(lesson_url)
    units = page.locator("section[aria-labelledby=units-title]")
    market = row(units, "文水县市场监督管理局").inner_text()
    assert "陈晓燕" in market and "专题会议，23人" in market


def test_items_shared_a_closed_lead_read_under_grant_and_taught_as_a_case(
    page, live_server, people, closed_lead, artifacts_dir
):
    base = live_server.url
    share_and_read(page, base, artifacts_dir)
    request_url, grant_url = request_and_read(page, base, closed_lead, artifacts_dir)
    # Eight days on: the live server's threads share this process, so the moved clock is theirs.
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=True):
        expire_and_trace(page, base, closed_lead, request_url, grant_url)
        typical_case(page, base, closed_lead, artifacts_dir)
