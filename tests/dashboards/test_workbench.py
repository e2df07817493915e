"""The workbench: greeting, today's date, 待办/已办 from registered sources, 三员 shortcuts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from xianjie.dashboards import workbench
from xianjie.dashboards.workbench import DONE, TODO, WorkItem, work_items, workbench_source

pytestmark = pytest.mark.django_db

FRIDAY_MORNING = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def sources(monkeypatch):
    """A clean source registry for one test; whatever the apps registered comes back after."""
    monkeypatch.setattr(workbench, "_SOURCES", {TODO: [], DONE: []})


def test_anonymous_visit_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_workbench_greets_clerk_with_org_roles_and_date_in_chinese(client, jw_clerk):
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        client.force_login(jw_clerk)
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "您好，jw.clerk" in html
    assert "中共文水县纪委 文水县监委" in html
    assert "登记员/承办人" in html
    assert "今天是2026年11月27日 星期五" in html
    assert '<span class="badge">工作日</span>' in html


def test_workbench_without_sources_shows_honest_empty_lists(client, jw_leader, sources):
    client.force_login(jw_leader)
    html = client.get("/").content.decode()
    assert "待办" in html and "已办" in html
    assert "暂无待办事项" in html
    assert "暂无已办事项" in html


def test_workbench_shows_items_a_source_contributes(client, sf_clerk, sources):
    @workbench_source(TODO)
    def leads_to_send(user):
        assert user == sf_clerk
        yield WorkItem(
            title="王某某未全程记录执法过程",
            url="/referrals/1/",
            kind="线索移送",
            when=date(2026, 12, 2),
            light="yellow",
            escalated=True,
        )

    client.force_login(sf_clerk)
    html = client.get("/").content.decode()
    assert "王某某未全程记录执法过程" in html
    assert 'href="/referrals/1/"' in html
    assert '<span class="light-yellow">即将到期</span>' in html
    assert "督办" in html
    assert "期限 2026-12-02" in html
    assert "暂无待办事项" not in html
    assert "暂无已办事项" in html


def test_work_items_put_nearest_deadline_first_and_latest_done_first(jw_clerk, sources):
    def item(title, when):
        return WorkItem(title=title, url="/", when=when)

    workbench_source(TODO)(lambda user: [item("无期限", None), item("后", date(2026, 12, 9))])
    workbench_source(TODO)(lambda user: [item("先", date(2026, 12, 1))])
    workbench_source(DONE)(
        lambda user: [item("早", date(2026, 11, 2)), item("晚", date(2026, 11, 20))]
    )
    assert [i.title for i in work_items(jw_clerk, TODO)] == ["先", "后", "无期限"]
    assert [i.title for i in work_items(jw_clerk, DONE)] == ["晚", "早"]


@pytest.mark.parametrize(
    ("persona", "shortcut", "absent"),
    [
        ("sysadmin", "机构管理", "安全策略"),
        ("secadmin", "安全策略", "机构管理"),
        ("auditor", "审计日志", "用户管理"),
    ],
)
def test_system_role_workbench_shows_admin_shortcuts_not_business_lists(
    client, request, persona, shortcut, absent, sources
):
    workbench_source(TODO)(lambda user: [WorkItem(title="不应出现的线索", url="/x/")])
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/").content.decode()
    assert "管理功能" in html
    assert shortcut in html
    assert absent not in html
    assert "待办" not in html
    assert "不应出现的线索" not in html


def test_header_shows_user_org_and_logout(client, sj_clerk):
    client.force_login(sj_clerk)
    html = client.get("/").content.decode()
    header = html[html.index('<header class="topbar">') : html.index("</header>")]
    assert "文水县市场监督管理局法制股" in header
    assert "sj.clerk" in header
    assert f'action="{reverse("accounts:logout")}"' in header
    assert "退出登录" in header


@pytest.mark.parametrize(
    ("moment", "note"),
    [
        (datetime(2026, 10, 1, 9, 0), "休息日（国庆节）"),
        (datetime(2026, 11, 29, 9, 0), '<span class="badge">休息日</span>'),
        (datetime(2026, 2, 14, 9, 0), "工作日（春节调休上班）"),
        (datetime(2031, 3, 3, 9, 0), "本年度节假日安排尚未录入，暂按周一至周五计算工作日"),
    ],
)
def test_workbench_says_what_the_calendar_says_about_today(client, jw_clerk, moment, note):
    with time_machine.travel(moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        client.force_login(jw_clerk)
        html = client.get("/").content.decode()
    assert note in html
