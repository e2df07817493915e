"""The left menu by role: 三员 separation of duties starts with what each role is offered."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from xianjie.dashboards.navigation import MENU, menu_for

pytestmark = pytest.mark.django_db

PERSONAL = {"工作台", "违法违纪行为目录", "工作日历", "修改密码", "动态口令"}
SYSADMIN_ITEMS = {"机构管理", "用户管理", "执法人员", "批量导入执法人员", "时限参数"}
SECADMIN_ITEMS = {"安全策略", "三员角色"}
AUDITOR_ITEMS = {"审计日志", "登录日志"}
BUSINESS_ITEMS = {"接口文档", "消息", "线索移送", "整改任务"} | {
    "共享信息库",
    "发布共享信息",
    "调阅申请",
    "被调阅记录",
    "典型案例库",
}
#: 第八、九条 and 第十三条（十）: the supervising sides' inspection pages.
INSPECTING = {"联合法治督查", "年度开展情况", "督查发现问题", "整改看板"}
SUPERVISING = {"行政执法监督文书", "A10标记"}
UNIT = {"本单位整改任务"}


def _labels(user, path="/"):
    return {item["label"] for section in menu_for(user, path) for item in section["items"]}


def _active(user, path):
    return [i["label"] for s in menu_for(user, path) for i in s["items"] if i["active"]]


def test_every_menu_entry_resolves_to_a_page():
    for section in MENU:
        for entry in section.entries:
            assert reverse(entry.url_name).startswith("/"), entry.url_name


def test_sysadmin_menu_has_system_management_and_no_business_or_other_admin_items(sysadmin):
    assert _labels(sysadmin) == PERSONAL | SYSADMIN_ITEMS


def test_secadmin_menu_has_security_items_only(secadmin):
    assert _labels(secadmin) == PERSONAL | SECADMIN_ITEMS


def test_auditor_menu_has_only_the_logs_and_personal_items(auditor):
    assert _labels(auditor) == PERSONAL | AUDITOR_ITEMS


@pytest.mark.parametrize(
    ("persona", "referral_items"),
    [
        ("jw_clerk", {"新建移送"} | INSPECTING),
        ("jw_leader", INSPECTING),
        ("sf_clerk", {"新建移送", "移送监督概览"} | INSPECTING | SUPERVISING),
        ("sj_leader", INSPECTING | SUPERVISING | UNIT),
        ("outsider", {"新建移送"} | INSPECTING | SUPERVISING | UNIT),
    ],
)
def test_clerk_and_leader_menus_have_no_admin_items(persona, referral_items, request):
    user = request.getfixturevalue(persona)
    assert _labels(user) == PERSONAL | BUSINESS_ITEMS | referral_items


def test_anonymous_visitor_gets_no_menu():
    assert menu_for(AnonymousUser(), "/") == []


def test_menu_marks_the_longest_matching_item_active(sysadmin):
    assert _active(sysadmin, reverse("manage:officer_import")) == ["批量导入执法人员"]
    assert _active(sysadmin, reverse("manage:officers")) == ["执法人员"]


def test_menu_marks_the_workbench_active_only_on_its_own_page(jw_clerk):
    assert _active(jw_clerk, "/") == ["工作台"]
    assert _active(jw_clerk, reverse("catalog:violations")) == ["违法违纪行为目录"]
    assert _active(jw_clerk, "/nowhere/") == []


def test_menu_sections_follow_the_page_in_chinese(client, auditor):
    client.force_login(auditor)
    html = client.get("/").content.decode()
    assert "安全审计" in html
    assert f'href="{reverse("audit:entries")}"' in html
    assert "系统管理</div>" not in html
