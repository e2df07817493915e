"""The left menu as data: which pages each role is offered.

Separation of duties (三员) starts here: the system, security and audit administrators are offered
only their own administrative pages, never business pages, and clerks and leaders are offered no
administrative page. The pages enforce the same rules themselves; the menu only avoids offering
what would be refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from xianjie.accounts.models import SUPERVISION_KINDS, OrgKind, Role

EVERYONE: frozenset[str] = frozenset()
BUSINESS = frozenset({Role.CLERK, Role.LEADER})
CLERKS = frozenset({Role.CLERK})
SENDING_KINDS = frozenset({OrgKind.DISCIPLINE, *SUPERVISION_KINDS})
SUPERVISION_MENU_KINDS = frozenset(SUPERVISION_KINDS)
#: Orgs that answer for an enforcement unit's tasks: the unit itself and its legal unit (法制股).
UNIT_KINDS = frozenset({OrgKind.ENFORCEMENT, OrgKind.DEPT_SUPERVISION})
ACT_KINDS = frozenset({OrgKind.ENFORCEMENT, *SUPERVISION_KINDS})


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    #: Roles offered the entry; EVERYONE means every logged-in user.
    roles: frozenset[str] = EVERYONE
    #: Kinds of org whose users are offered the entry; empty means any (or none).
    org_kinds: frozenset[str] = frozenset()

    def offered_to(self, roles: frozenset[str], org_kind: str = "") -> bool:
        if self.org_kinds and org_kind not in self.org_kinds:
            return False
        return not self.roles or bool(self.roles & roles)


@dataclass(frozen=True)
class MenuSection:
    title: str
    entries: tuple[MenuEntry, ...]
    #: Set for the sections that make up a 三员 role's administrative shortcuts.
    admin_role: str = ""


MENU: tuple[MenuSection, ...] = (
    MenuSection(
        "日常工作",
        (
            MenuEntry("工作台", "dashboards:workbench"),
            MenuEntry("消息", "notifications:inbox", BUSINESS),
        ),
    ),
    MenuSection(
        "线索移送",
        (
            MenuEntry("线索移送", "referrals:list", BUSINESS),
            # 第四、六条: supervision bodies send leads, the commission sends faults.
            MenuEntry("新建移送", "referrals:create", CLERKS, SENDING_KINDS),
            # 第十一条: the 司法局 follows the departmental legal units' referrals by status.
            MenuEntry(
                "移送监督概览", "referrals:oversight", BUSINESS, frozenset({OrgKind.JUSTICE})
            ),
        ),
    ),
    MenuSection(
        "联合督查与整改",
        (
            # 第八、九条: the commission and the supervision bodies inspect together.
            MenuEntry("联合法治督查", "inspections:list", BUSINESS, SENDING_KINDS),
            MenuEntry("年度开展情况", "inspections:plan_years", BUSINESS, SENDING_KINDS),
            MenuEntry("督查发现问题", "inspections:finding_list", BUSINESS, SENDING_KINDS),
            MenuEntry("整改任务", "inspections:rectification_list", BUSINESS),
            MenuEntry("整改看板", "inspections:rectification_board", BUSINESS, SENDING_KINDS),
            MenuEntry("本单位整改任务", "inspections:rectification_mine", BUSINESS, UNIT_KINDS),
            # 第十三条（十）: notices and decisions of the enforcement supervisors.
            MenuEntry("行政执法监督文书", "inspections:act_list", BUSINESS, ACT_KINDS),
            MenuEntry("A10标记", "inspections:flag_list", BUSINESS, SUPERVISION_MENU_KINDS),
        ),
    ),
    MenuSection(
        "信息共享与警示教育",
        (
            # 第十一条: tier 1 and 2 shared items; tier 3 only through an approved request.
            MenuEntry("共享信息库", "sharing:library", BUSINESS),
            MenuEntry("发布共享信息", "sharing:item_new", BUSINESS),
            MenuEntry("调阅申请", "access:request_list", BUSINESS),
            MenuEntry("被调阅记录", "access:readers", BUSINESS),
            # 第十二条: typical cases for warning education.
            MenuEntry("典型案例库", "sharing:lesson_list", BUSINESS),
        ),
    ),
    MenuSection(
        "系统管理",
        (
            MenuEntry("机构管理", "manage:orgs", frozenset({Role.SYSADMIN})),
            MenuEntry("用户管理", "manage:users", frozenset({Role.SYSADMIN})),
            MenuEntry("执法人员", "manage:officers", frozenset({Role.SYSADMIN})),
            MenuEntry("批量导入执法人员", "manage:officer_import", frozenset({Role.SYSADMIN})),
            MenuEntry("时限参数", "calendar:parameters", frozenset({Role.SYSADMIN})),
        ),
        admin_role=Role.SYSADMIN,
    ),
    MenuSection(
        "安全管理",
        (
            MenuEntry("安全策略", "accounts:security_policy", frozenset({Role.SECADMIN})),
            MenuEntry("三员角色", "manage:system_roles", frozenset({Role.SECADMIN})),
        ),
        admin_role=Role.SECADMIN,
    ),
    MenuSection(
        "安全审计",
        (
            MenuEntry("审计日志", "audit:entries", frozenset({Role.AUDITOR})),
            MenuEntry("登录日志", "audit:login_events", frozenset({Role.AUDITOR})),
        ),
        admin_role=Role.AUDITOR,
    ),
    MenuSection(
        "参考资料",
        (
            MenuEntry("违法违纪行为目录", "catalog:violations"),
            MenuEntry("工作日历", "calendar:years"),
            MenuEntry("接口文档", "api:openapi-view", BUSINESS),
        ),
    ),
    MenuSection(
        "个人设置",
        (
            MenuEntry("修改密码", "accounts:password_change"),
            MenuEntry("动态口令", "accounts:otp_setup"),
        ),
    ),
)


def _roles_of(user: Any) -> frozenset[str]:
    return frozenset(user.role_set()) if user.is_authenticated else frozenset()


def role_labels(user: Any) -> list[str]:
    """The user's roles in Chinese, in the order of `Role`."""
    roles = _roles_of(user)
    return [str(role.label) for role in Role if role in roles]


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    """The sections offered to `user`, each {title, items: [{label, url, active}]}.

    The active item is the one whose address is the longest prefix of the current path, so
    「批量导入执法人员」 and not 「执法人员」 is marked on the import page.
    """
    if not user.is_authenticated:
        return []
    roles = _roles_of(user)
    org_kind = user.org.kind if user.org_id is not None else ""
    sections = []
    for section in MENU:
        items = [
            {"label": entry.label, "url": reverse(entry.url_name), "active": False}
            for entry in section.entries
            if entry.offered_to(roles, org_kind)
        ]
        if items:
            sections.append({"title": section.title, "items": items})
    _mark_active(sections, current_path)
    return sections


def _mark_active(sections: list[dict[str, Any]], current_path: str) -> None:
    best: dict[str, Any] | None = None
    for section in sections:
        for item in section["items"]:
            url = item["url"]
            matches = current_path == url or (url != "/" and current_path.startswith(url))
            if matches and (best is None or len(url) > len(best["url"])):
                best = item
    if best is not None:
        best["active"] = True


def admin_shortcuts_for(user: Any) -> list[dict[str, Any]]:
    """The 三员's workbench: their administrative sections instead of business lists."""
    roles = _roles_of(user)
    return [
        {
            "title": section.title,
            "items": [{"label": e.label, "url": reverse(e.url_name)} for e in section.entries],
        }
        for section in MENU
        if section.admin_role and section.admin_role in roles
    ]
