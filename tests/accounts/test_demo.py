"""`xianjie demo`: the demo county of CONTRACT.md, loaded once, refused outside demo mode."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xianjie.accounts.management.commands.demo import DEMO_PASSWORD
from xianjie.accounts.models import Membership, Officer, Org, Region, User
from xianjie.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CONTRACT_ORGS = {
    "文纪": ("中共文水县纪委 文水县监委", "discipline", None),
    "文司": ("文水县司法局", "justice", None),
    "文市监": ("文水县市场监督管理局", "enforcement", None),
    "文市监法": ("文水县市场监督管理局法制股", "dept_supervision", "文市监"),
    "文交": ("文水县交通运输局", "enforcement", None),
    "文交法": ("文水县交通运输局法制股", "dept_supervision", "文交"),
    "文教": ("文水县教育局", "enforcement", None),
    "文教法": ("文水县教育局法制股", "dept_supervision", "文教"),
}
CONTRACT_USERS = {
    "jw.clerk": ("文纪", "clerk"),
    "jw.leader": ("文纪", "leader"),
    "sf.clerk": ("文司", "clerk"),
    "sf.leader": ("文司", "leader"),
    "sj.clerk": ("文市监法", "clerk"),
    "sj.leader": ("文市监法", "leader"),
    "jt.clerk": ("文交法", "clerk"),
    "jt.leader": ("文交法", "leader"),
    "jy.clerk": ("文教法", "clerk"),
    "jy.leader": ("文教法", "leader"),
    "sysadmin": (None, "sysadmin"),
    "secadmin": (None, "secadmin"),
    "auditor": (None, "auditor"),
}


def _demo(**options):
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def _snapshot():
    return (
        list(Org.objects.values_list("id", "code", "name", "updated_at")),
        list(User.objects.values_list("id", "username", "password")),
        list(Membership.objects.values_list("id", "user_id", "role")),
        list(Officer.objects.values_list("id", "cert_no", "updated_at")),
        AuditEntry.objects.count(),
    )


@pytest.mark.article(2)
def test_demo_loads_the_contract_county():
    _demo()
    region = Region.objects.get()
    assert (region.code, region.name) == ("141128", "文水县")
    orgs = {
        org.code: (org.name, org.kind, org.parent.code if org.parent else None)
        for org in Org.objects.select_related("parent")
    }
    assert orgs == CONTRACT_ORGS
    users = {
        m.user.username: (m.user.org.code if m.user.org else None, m.role)
        for m in Membership.objects.select_related("user__org")
    }
    assert users == CONTRACT_USERS
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert not user.must_change_password
        assert not (user.is_staff or user.is_superuser)


def test_demo_registers_officers_in_every_enforcement_org():
    _demo()
    wang = Officer.objects.get(cert_no="14110012345")
    assert (wang.name, wang.org.name, wang.cert_status) == (
        "王某某",
        "文水县市场监督管理局",
        "valid",
    )
    for org in Org.objects.filter(kind="enforcement"):
        assert org.officers.count() >= 2


def test_demo_goes_through_the_audited_services():
    _demo()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"org.create", "user.create", "membership.grant", "officer.create"} <= actions
    assert AuditEntry.objects.filter(action="user.create").count() == len(CONTRACT_USERS)


def test_demo_twice_changes_nothing():
    _demo()
    before = _snapshot()
    assert "未作改动" in _demo()
    assert _snapshot() == before


def test_demo_completes_a_partial_load():
    _demo()
    User.objects.get(username="jt.leader").delete()
    Officer.objects.get(cert_no="14110012345").delete()
    _demo()
    assert User.objects.get(username="jt.leader").has_role("leader")
    assert Officer.objects.filter(cert_no="14110012345").count() == 1
    assert User.objects.count() == len(CONTRACT_USERS)


def test_demo_if_empty_skips_a_database_with_users(jw_clerk):
    assert "未加载演示数据" in _demo(if_empty=True)
    assert not User.objects.filter(username="sysadmin").exists()


def test_demo_if_empty_loads_an_empty_database():
    _demo(if_empty=True)
    assert User.objects.count() == len(CONTRACT_USERS)


def test_demo_refused_when_demo_mode_is_off(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="演示模式已关闭"):
        _demo()
    assert not User.objects.exists() and not Org.objects.exists()


def test_demo_refusal_exits_with_code_1_on_the_command_line(settings, capsys):
    from xianjie.accounts.management.commands.demo import Command

    settings.DEMO_MODE = False
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["xianjie", "demo"])
    assert exited.value.code == 1
    assert "演示模式已关闭" in capsys.readouterr().err
