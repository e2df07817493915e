"""Story 1 of SCENARIOS.md through the pages in Chromium (第四、五、七条): the 司法局 drafts a
lead, forgets the evidence and is told so, uploads it and submits; its leader approves; the
commission receives, disposes by 初步核实 and answers in writing; the 司法局 reads the result
and closes the lead."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps

from tests.factories import TEST_PASSWORD, OfficerFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Data the migrations seed, and a model each fills: an earlier transactional test flushes them.
SEEDS = (
    ("xianjie.catalog.migrations.0002_seed_violation_codes", "catalog.ViolationCode"),
    ("xianjie.calendar.migrations.0002_seed_calendar_2004_2026", "calendar.CalendarYear"),
    ("xianjie.calendar.migrations.0003_seed_time_limits", "calendar.TimeLimitParameter"),
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def seeded(transactional_db):
    """The violation catalogue, the working-day calendar and the time limits, as migrated."""
    for module, model in SEEDS:
        if not django_apps.get_model(model).objects.exists():
            importlib.import_module(module).seed(django_apps, None)


@pytest.fixture
def people(seeded, county, settings, tmp_path):
    """The demo county's four business users, with names as in `xianjie demo`; evidence files
    go to a directory of this test."""
    settings.DATA_DIR = tmp_path
    return {
        "sf.clerk": make_user("sf.clerk", county["sf"], "clerk", full_name="刘敏"),
        "sf.leader": make_user("sf.leader", county["sf"], "leader", full_name="赵建国"),
        "jw.clerk": make_user("jw.clerk", county["jw"], "clerk", full_name="张雯"),
        "jw.leader": make_user("jw.leader", county["jw"], "leader", full_name="李正"),
    }


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def act(page, label, *, confirm=False, fill=None, select=None):
    """Open the form of one act on the detail page, fill it in and confirm it."""
    page.locator("summary", has_text=re.compile(f"^{label}$")).click()
    form = page.locator("details[open] form.move-form")
    for name, value in (fill or {}).items():
        form.locator(f"[name$='-{name}']").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"select[name$='-{name}']").select_option(label=value)
    dialogs = []
    if confirm:
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        form.get_by_role("button", name=f"确认{label}").click()
    if confirm:
        assert dialogs and dialogs[0].startswith("确认后")
    return dialogs


def upload(page, filename, description):
    with page.expect_navigation():
        page.set_input_files(
            "input[name=file]",
            files=[{"name": filename, "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.fill("input[name=description]", description)
        page.get_by_role("button", name="上传").click()
    assert filename in page.locator("#evidence").inner_text()


def test_lead_drafted_sent_received_answered_and_closed_through_the_pages(
    page, live_server, people, artifacts_dir
):
    base = live_server.url

    # 司法局 clerk drafts the lead (第四条), typing the subject and the norm, picking P08.
    log_in(page, base, "sf.clerk")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="新建移送").click()
    page.select_option("select[name=source]", label="行政执法监督检查")
    page.fill("input[name=subjects-0-name]", "王某某")
    page.fill("input[name=subjects-0-post]", "执法队员")
    page.fill("input[name=subjects-0-org]", "文水县市场监督管理局")
    page.fill("input[name=subjects-0-cert_no]", "14110012345")
    page.fill("textarea[name=facts]", "王某某对某商户作出罚款决定，未按规定进行执法全过程记录。")
    page.fill("input[name=norms-0-name]", "《中华人民共和国行政处罚法》")
    page.fill("input[name=norms-0-clause]", "第四十七条")
    page.check("input[name=violation_codes][value=P08]")
    page.fill("textarea[name=summary]", "罚款未全过程记录")
    with page.expect_navigation():
        page.get_by_role("button", name="添加执法规范").click()
    page.screenshot(path=str(artifacts_dir / "referral_form.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert "草稿已保存" in page.locator(".messages").inner_text()
    detail_url = page.url

    # She forgets the evidence: the page lists it as missing and keeps the draft.
    act(page, "提交审批")
    assert "证据材料：请上传证据材料。" in page.locator(".problems").inner_text()
    upload(page, "现场检查记录.pdf", "市场监管局案卷检查记录")
    act(page, "提交审批")
    assert "待审批" in page.locator("h1").inner_text()

    # Her leader approves; the confirmation says it cannot be undone.
    log_in(page, base, "sf.leader")
    page.goto(detail_url)
    [question] = act(page, "批准移送", confirm=True)
    assert "正式移送纪检监察机关" in question and "不能撤销" in question
    number = page.locator("h1").inner_text().split()[0]
    assert re.fullmatch(r"文司移〔\d{4}〕\d+号", number)

    # The commission's clerk finds it on the workbench and receives it.
    log_in(page, base, "jw.clerk")
    item = page.locator(".worklist li", has_text=number)
    assert "待签收" in item.inner_text()
    item.get_by_role("link").click()
    act(page, "签收")
    assert "已签收" in page.locator("h1").inner_text()

    # The commission's leader disposes by 初步核实, uploads the letter and answers in writing.
    log_in(page, base, "jw.leader")
    page.goto(detail_url)
    act(page, "处置", select={"method": "初步核实"})
    upload(page, "反馈函.pdf", "初步核实情况反馈函（签章扫描件）")
    act(
        page,
        "书面反馈",
        confirm=True,
        fill={"result": "经初步核实，王某某未全过程记录问题属实，已予以诫勉谈话。"},
        select={"document": "反馈函.pdf"},
    )
    assert "已反馈" in page.locator("h1").inner_text()

    # The 司法局 clerk reads the result and closes the lead.
    log_in(page, base, "sf.clerk")
    page.goto(detail_url)
    outcome = page.locator("section", has_text="办理情况").first.inner_text()
    assert "初步核实" in outcome and "已予以诫勉谈话" in outcome and "反馈函.pdf" in outcome
    act(page, "办结", confirm=True)
    assert "已办结" in page.locator("h1").inner_text()
    timeline = page.locator(".timeline").inner_text()
    for step in ("登记", "提交审批", "批准移送", "签收", "处置", "书面反馈", "办结"):
        assert step in timeline
    assert "刘敏" in page.locator(".watermark").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(artifacts_dir / "referral_detail.png"), full_page=True)
    page.goto(f"{base}/referrals/")
    page.screenshot(path=str(artifacts_dir / "referral_list.png"), full_page=True)
    page.goto(f"{base}/notifications/")
    page.screenshot(path=str(artifacts_dir / "notifications.png"), full_page=True)


def test_officer_picked_from_the_registry_fills_the_subject_row(page, live_server, people, county):
    OfficerFactory(name="王某某", org=county["sj_dept"], post="执法队员", cert_no="14110012345")
    log_in(page, live_server.url, "sf.clerk")
    page.goto(f"{live_server.url}/referrals/new/")
    page.fill("#subject-row-0 input.picker", "王某")
    hit = page.locator("#officer-hits-0 li", has_text="14110012345")
    hit.get_by_role("button", name="选用").click()
    page.wait_for_selector("#subject-row-0 .picked")
    assert page.input_value("input[name=subjects-0-name]") == "王某某"
    assert page.input_value("input[name=subjects-0-post]") == "执法队员"
    assert page.input_value("input[name=subjects-0-org]") == "文水县市场监督管理局"
    assert page.input_value("input[name=subjects-0-cert_no]") == "14110012345"
    assert page.input_value("input[name=subjects-0-officer]") != ""
