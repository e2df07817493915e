"""Story 4 of SCENARIOS.md through the pages in Chromium (第八、九条): the commission plans a
random spot check with the 司法局, publishes the seed's SM3 digest, draws three units with
two-person teams that never inspect their own org, and anyone can verify the draw; the
inspection finds a general problem that becomes a 30-day rectification task and a serious one
that the 司法局 turns into a lead to the commission in one click; the market regulator's legal
unit reports progress with a file and submits its report; the inspector verifies it; a third
party cannot even learn that the task exists."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD
from xianjie.calendar.selectors import add_days
from xianjie.inspections import drawing
from xianjie.inspections.models import InspectionUnit, Rectification
from xianjie.referrals.models import Referral
from xianjie.referrals.transitions import Direction

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.article(8),
    pytest.mark.article(9),
]

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
HEX64 = re.compile(r"[0-9a-f]{64}")
PLAN_TITLE = "行政执法领域联合法治督查（随机抽查）"
TASK_TITLE = "未执行行政裁量权基准制度"


@pytest.fixture
def seeded(transactional_db):
    """The violation catalogue, the working-day calendar and the time limits, as migrated."""
    for module, model in SEEDS:
        if not django_apps.get_model(model).objects.exists():
            importlib.import_module(module).seed(django_apps, None)


@pytest.fixture
def people(seeded, county, jw_clerk, sf_clerk, sj_clerk, jt_clerk, outsider):
    """The personas with their names as in `xianjie demo`. Two of them sit in departmental legal
    units, so that recusal matters in the draw; the 教育局's clerk is the third party."""
    names = {
        jw_clerk: "张雯",
        sf_clerk: "李娜",
        sj_clerk: "陈晓燕",
        jt_clerk: "赵磊",
        outsider: "周敏",
    }
    for user, name in names.items():
        user.full_name = name
        user.save(update_fields=["full_name"])
    return {user.full_name: user for user in names}


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def act(page, label, *, confirm=False, fill=None, files=None, button=None):
    """Open the form of one act on a detail page, fill it in (and attach `files`) and send it."""
    page.locator("summary", has_text=re.compile(f"^{label}$")).click()
    form = page.locator("details[open] form.move-form")
    for name, value in (fill or {}).items():
        form.locator(f"[name='{name}'], [name$='-{name}']").fill(value)
    if files:
        form.locator("input[type=file]").set_input_files(files=files)
    dialogs = []
    if confirm:
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        form.get_by_role("button", name=button or f"确认{label}").click()
    if confirm:
        assert dialogs and dialogs[0].startswith("确认后")
    return dialogs


def record_finding(page, *, unit, severity, title, description, basis, code, officer_name=""):
    with page.expect_navigation():
        page.get_by_role("link", name="登记发现问题").click()
    page.select_option("select[name=unit]", label=unit)
    page.select_option("select[name=severity]", label=severity)
    page.fill("input[name=title]", title)
    page.fill("textarea[name=description]", description)
    page.fill("textarea[name=basis]", basis)
    page.check(f"input[name=violation_codes][value={code}]")
    page.fill("input[name=officer_name]", officer_name)
    with page.expect_navigation():
        page.get_by_role("button", name="登记", exact=True).click()
    assert title in page.locator("h1").inner_text()
    return page.url


def act_run(page):
    """开始抽取, accepting the confirmation that says what it does."""
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.get_by_role("button", name="开始抽取").click()
    assert dialogs and dialogs[0].startswith("确认后")
    assert "种子已公开" in page.locator(".messages").inner_text()
    return dialogs


def draw_units_and_teams(page, county, people):
    """jw.clerk plans the spot check with the 司法局 and draws its units and teams."""
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="联合法治督查").click()
    page.get_by_role("link", name="制定督查计划").click()
    today = timezone.localdate()
    page.fill("input[name=title]", PLAN_TITLE)
    page.get_by_label("随机抽查", exact=True).check()
    page.get_by_label(county["sf"].name, exact=True).check()
    assert page.get_by_label(county["jw"].name, exact=True).is_checked()
    page.fill("input[name=planned_start]", today.isoformat())
    page.fill("input[name=planned_end]", (today + timedelta(days=30)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "督查计划已制定" in page.locator(".messages").inner_text()
    plan_url = page.url
    organisers = page.locator("dd.organisers").inner_text()
    assert county["jw"].name in organisers and county["sf"].name in organisers

    # The pool: the county's three departments, and four people of both sides; the 教育局's
    # clerk stays out of this year's pool.
    page.locator("section[aria-labelledby=draws-title]").get_by_role("link").click()
    for key in ("sj_dept", "jt_dept", "jy_dept"):
        assert page.is_checked(f"input[name=units][value='{county[key].pk}']")
    page.uncheck(f"#inspector_{people['周敏'].pk}")
    assert page.input_value("input[name=unit_count]") == "3"
    assert page.input_value("input[name=team_size]") == "2"
    with page.expect_navigation():
        page.get_by_role("button", name="公布种子摘要").click()

    # Before the draw: the seed's digest is public, the seed itself nowhere.
    seed_hash = page.locator("#seed-hash").inner_text().strip()
    assert HEX64.fullmatch(seed_hash)
    assert page.locator("#seed").count() == 0
    assert "周敏" not in page.locator("section[aria-labelledby=pools-title]").inner_text()
    before = page.content()
    [question] = act_run(page)
    assert "不能撤销" in question

    # After: the seed is revealed, hashes to the published digest, and was not on the page before.
    seed = page.locator("#seed").inner_text().strip()
    assert HEX64.fullmatch(seed) and seed not in before
    assert drawing.seed_hash(seed) == seed_hash == page.locator("#seed-hash").inner_text().strip()
    rows = page.locator("section[aria-labelledby=result-title] tbody tr")
    assert rows.count() == 3
    units = {county[key].name: county[key] for key in ("sj_dept", "jt_dept", "jy_dept")}
    drawn = {}
    for i in range(3):
        _, unit_name, team = rows.nth(i).locator("td").all_inner_texts()
        drawn[unit_name] = [people[name] for name in team.split("、")]
    assert set(drawn) == set(units)
    for unit_name, team in drawn.items():
        unit = units[unit_name]
        assert len({u.pk for u in team}) == 2
        # 回避: nobody inspects their own org, nor the department of their legal unit.
        assert all(unit.pk not in (u.org_id, u.org.parent_id) for u in team)
    stored = {
        row.org.name: sorted(u.pk for u in row.inspectors.all())
        for row in InspectionUnit.objects.prefetch_related("inspectors").select_related("org")
    }
    assert stored == {name: sorted(u.pk for u in team) for name, team in drawn.items()}

    # Anyone may re-run the draw from the revealed seed: every check passes.
    page.get_by_role("link", name="验证抽取结果").first.click()
    assert page.locator("main .msg-success").count() == 1
    assert page.locator("main .msg-error").count() == 0
    checks = page.locator("tbody tr")
    assert checks.count() > 0
    assert page.locator("tr.check-pass").count() == checks.count()
    assert all(t.startswith("✓") for t in page.locator("tbody tr td:first-child").all_inner_texts())
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    return plan_url


def test_random_spot_check_drawn_verified_and_rectified_through_the_pages(
    page, live_server, county, people, artifacts_dir
):
    base = live_server.url

    # 1. The draw (第八条 双随机).
    log_in(page, base, "jw.clerk")
    plan_url = draw_units_and_teams(page, county, people)
    page.screenshot(path=str(artifacts_dir / "inspection-draw.png"), full_page=True)

    # 2. The inspection starts; a general finding becomes a 30-day rectification task.
    page.goto(plan_url)
    act(page, "开始检查", confirm=True)
    assert "检查中" in page.locator("h1").inner_text()
    market = county["sj_dept"].name
    record_finding(
        page,
        unit=market,
        severity="一般",
        title=TASK_TITLE,
        description="抽查2026年行政处罚案卷20件，均未适用行政裁量权基准。",
        basis="《中华人民共和国行政处罚法》第三十四条",
        code="A02",
    )
    act(
        page,
        "下达整改任务",
        fill={"requirement": "制定并公布本单位行政裁量权基准，对抽查案卷逐件评查。"},
        button="确认下达",
    )
    assert "30日内整改" in page.locator("#task").inner_text()
    page.locator("#task").get_by_role("link", name=TASK_TITLE).click()
    task_url = page.url
    due = add_days(timezone.localdate(), 30).date
    assert "整改中" in page.locator("h1").inner_text()
    assert "30 日" in page.locator("dl.facts").inner_text()
    clocks = page.locator("ul.clocks").inner_text()
    assert "整改（30日）" in clocks and f"到期 {due:%Y-%m-%d}" in clocks

    # A serious finding naming an officer (涉案保密).
    page.goto(plan_url)
    serious_url = record_finding(
        page,
        unit=market,
        severity="严重",
        title="截留罚没款",
        description="执法队员王某某收取罚款后未及时上缴，截留罚没款共计3万元。",
        basis="《中华人民共和国行政处罚法》第七十四条",
        code="P05",
        officer_name="王某某",
    )
    assert "涉案保密" in page.locator("h1").inner_text()

    # The 司法局 turns it into a lead to the commission in one click (第九条 严肃处理).
    log_in(page, base, "sf.clerk")
    page.goto(serious_url)
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.get_by_role("button", name="移送线索").click()
    assert dialogs and "纪检监察机关" in dialogs[0] and "不能撤销" in dialogs[0]
    assert "已生成线索移送草稿" in page.locator(".messages").inner_text()
    facts = page.locator("dl.facts").first.inner_text()
    assert "移送纪检监察机关" in facts and county["jw"].name in facts
    referral = Referral.objects.get()
    assert referral.direction == Direction.TO_DISCIPLINE
    assert referral.receiver_org_id == county["jw"].pk
    origin = page.locator("dl.facts a", has_text="发现的问题2")
    assert origin.get_attribute("href") == reverse(
        "inspections:finding_detail", args=[re.search(r"/(\d+)/$", serious_url)[1]]
    )
    origin.click()
    assert page.url == serious_url
    link_back = page.locator("section[aria-labelledby=referral-title]").inner_text()
    assert f"草稿#{referral.pk}" in link_back

    # 3. The market regulator's legal unit reports progress with a file, then its report.
    log_in(page, base, "sj.clerk")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="本单位整改任务").click()
    row = page.locator("tbody tr", has_text=TASK_TITLE)
    assert "整改中" in row.inner_text() and f"至 {due:%Y-%m-%d}" in row.inner_text()
    assert page.locator("tbody tr").count() == 1
    row.get_by_role("link", name=TASK_TITLE).click()
    assert page.url == task_url
    act(
        page,
        "报告整改进展",
        fill={"text": "已起草行政裁量权基准，正在征求意见。"},
        files=[{"name": "裁量基准征求意见稿.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    reports = page.locator("#reports").inner_text()
    assert "已起草行政裁量权基准" in reports and "裁量基准征求意见稿.pdf" in reports
    [question] = act(
        page,
        "提交整改报告",
        confirm=True,
        fill={"text": "行政裁量权基准已经局务会审议通过并公布，20件案卷已逐件评查。"},
    )
    assert "不能修改" in question
    assert "待跟踪检查" in page.locator("h1").inner_text()

    # 4. The inspector's 跟踪检查 closes the task; its clock was met.
    log_in(page, base, "jw.clerk")
    page.goto(f"{base}{reverse('inspections:rectification_list')}?status=submitted")
    page.locator("tbody tr", has_text=TASK_TITLE).get_by_role("link", name=TASK_TITLE).click()
    act(page, "跟踪检查通过", confirm=True, fill={"comment": "经现场核查，整改到位。"})
    assert "已销号" in page.locator("h1").inner_text()
    assert "按期办结" in page.locator("ul.clocks").inner_text()
    timeline = page.locator(".timeline").inner_text()
    for step in ("下达整改任务", "报告整改进展", "提交整改报告", "跟踪检查通过"):
        assert step in timeline
    assert "当前没有需要您办理的事项" in page.locator("aside.detail-side").inner_text()
    assert Rectification.objects.get().status == "closed"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(artifacts_dir / "rectification-verified.png"), full_page=True)

    # 5. The 教育局's clerk cannot even learn that the task or the finding exists.
    log_in(page, base, "jy.clerk")
    for url in (task_url, serious_url):
        response = page.goto(url)
        assert response.status == 404
        assert "页面不存在" in page.locator("h1").inner_text()
        assert TASK_TITLE not in page.content() and "王某某" not in page.content()
