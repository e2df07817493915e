"""The administration pages under /manage/: who gets in, and what a form does on error."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xianjie.accounts.models import Officer, Org, Role, User
from xianjie.audit.models import AuditEntry

from ..factories import OfficerFactory, UserFactory
from .test_officer_import import _row, _xlsx

SYSADMIN_PAGES = [
    ("manage:orgs", None),
    ("manage:org_create", None),
    ("manage:org_edit", "org"),
    ("manage:users", None),
    ("manage:user_create", None),
    ("manage:user_edit", "user"),
    ("manage:officers", None),
    ("manage:officer_create", None),
    ("manage:officer_edit", "officer"),
    ("manage:officer_import", None),
]


@pytest.fixture
def targets(county, jw_clerk):
    return {
        "org": county["jt_dept"].pk,
        "user": jw_clerk.pk,
        "officer": OfficerFactory(org=county["sj_dept"]).pk,
    }


def _url(name, target, targets):
    return reverse(name, args=[targets[target]] if target else [])


@pytest.mark.parametrize(("name", "target"), SYSADMIN_PAGES)
def test_sysadmin_opens_every_page(client, sysadmin, targets, name, target):
    client.force_login(sysadmin)
    response = client.get(_url(name, target, targets))
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.content.decode()


@pytest.mark.parametrize(("name", "target"), SYSADMIN_PAGES)
@pytest.mark.parametrize("persona", ["jw_clerk", "sf_leader", "auditor"])
def test_other_roles_get_403(client, request, targets, persona, name, target):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(name, target, targets)).status_code == 403


@pytest.mark.parametrize(("name", "target"), SYSADMIN_PAGES)
def test_anonymous_redirected_to_login(client, targets, name, target):
    response = client.get(_url(name, target, targets))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_system_roles_page_is_the_secadmins(client, secadmin, sysadmin, jw_clerk):
    client.force_login(secadmin)
    assert client.get(reverse("manage:system_roles")).status_code == 200
    client.force_login(sysadmin)
    assert client.get(reverse("manage:system_roles")).status_code == 403
    client.force_login(jw_clerk)
    assert client.get(reverse("manage:system_roles")).status_code == 403


def test_missing_object_is_404(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("manage:officer_edit", args=[999999])).status_code == 404


def test_org_tree_lists_the_county(client, sysadmin, county):
    client.force_login(sysadmin)
    body = client.get(reverse("manage:orgs")).content.decode()
    assert "文水县市场监督管理局法制股" in body and "文市监法" in body


def test_org_create_keeps_typed_values_on_error(client, sysadmin, county):
    client.force_login(sysadmin)
    response = client.post(
        reverse("manage:org_create"),
        {
            "name": "文水县应急管理局法制股",
            "code": "文司",
            "kind": "dept_supervision",
            "region": county["sf"].region_id,
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "本行政区划内已有机构使用文号代字“文司”。" in body
    assert "部门法制机构须设在其行政执法机关之下" in body
    assert 'value="文水县应急管理局法制股"' in body
    assert not Org.objects.filter(name="文水县应急管理局法制股").exists()


def test_org_create_saves_and_redirects(client, sysadmin, county):
    client.force_login(sysadmin)
    response = client.post(
        reverse("manage:org_create"),
        {
            "name": "文水县应急管理局",
            "code": "文应急",
            "kind": "enforcement",
            "region": county["sf"].region_id,
            "sort_order": 90,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:orgs")
    assert Org.objects.filter(code="文应急").exists()


def test_org_edit_saves(client, sysadmin, county):
    client.force_login(sysadmin)
    org = county["jt_dept"]
    data = {
        "name": org.name,
        "short_name": "县交通局",
        "code": org.code,
        "kind": org.kind,
        "region": org.region_id,
        "sort_order": 3,
        "is_active": "on",
    }
    response = client.post(reverse("manage:org_edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.short_name, org.sort_order, org.is_active) == ("县交通局", 3, True)


def test_user_list_filters_stay_in_the_url_and_paginate(client, sysadmin, county):
    for n in range(25):
        UserFactory(username=f"sf.user{n:02d}", org=county["sf"])
    client.force_login(sysadmin)
    url = reverse("manage:users")
    response = client.get(url, {"org": county["sf"].pk, "active": "1"})
    page = response.context["page_obj"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    assert f"org={county['sf'].pk}&amp;active=1&amp;page=2" in response.content.decode()
    second = client.get(url, {"org": county["sf"].pk, "active": "1", "page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_user_list_role_filter(client, sysadmin, jw_clerk, jw_leader):
    client.force_login(sysadmin)
    response = client.get(reverse("manage:users"), {"role": "leader"})
    assert [u.username for u in response.context["page_obj"]] == ["jw.leader"]


def test_user_create_then_grant_a_role(client, sysadmin, county):
    client.force_login(sysadmin)
    response = client.post(
        reverse("manage:user_create"),
        {
            "username": "sf.new",
            "full_name": "新同事",
            "org": county["sf"].pk,
            "phone": "",
            "password": "Chushi-2026",
            "password2": "Chushi-2026",
        },
    )
    user = User.objects.get(username="sf.new")
    assert response["Location"] == reverse("manage:user_edit", args=[user.pk])
    assert user.must_change_password
    client.post(response["Location"], {"action": "grant", "role": "clerk"})
    assert User.objects.get(pk=user.pk).has_role(Role.CLERK)


def test_user_create_password_mismatch_keeps_other_fields(client, sysadmin, county):
    client.force_login(sysadmin)
    response = client.post(
        reverse("manage:user_create"),
        {
            "username": "sf.new",
            "full_name": "新同事",
            "org": county["sf"].pk,
            "password": "Chushi-2026",
            "password2": "Chushi-2027",
        },
    )
    body = response.content.decode()
    assert "两次输入的密码不一致。" in body
    assert 'value="sf.new"' in body and 'value="新同事"' in body
    assert "Chushi-2026" not in body
    assert not User.objects.filter(username="sf.new").exists()


def test_user_edit_reset_password_and_deactivate(client, sysadmin, jw_clerk):
    client.force_login(sysadmin)
    url = reverse("manage:user_edit", args=[jw_clerk.pk])
    client.post(url, {"action": "password", "password": "Linshi-2026", "password2": "Linshi-2026"})
    client.post(url, {"action": "deactivate"})
    jw_clerk.refresh_from_db()
    assert jw_clerk.check_password("Linshi-2026") and jw_clerk.must_change_password
    assert not jw_clerk.is_active


def test_user_edit_revoke_role(client, sysadmin, jw_clerk):
    client.force_login(sysadmin)
    membership = jw_clerk.memberships.get()
    url = reverse("manage:user_edit", args=[jw_clerk.pk])
    response = client.post(url, {"action": "revoke", "membership": membership.pk})
    assert response.status_code == 302
    assert not jw_clerk.memberships.exists()


def test_user_edit_refusals_shown_beside_fields(client, sysadmin, jw_clerk, county):
    client.force_login(sysadmin)
    url = reverse("manage:user_edit", args=[jw_clerk.pk])
    data = {"action": "profile", "full_name": "张雯", "org": county["sf"].pk, "phone": "123"}
    body = client.post(url, data).content.decode()
    assert "请填写11位手机号码。" in body and 'value="123"' in body
    # The service's own refusal: the account still holds a role in its old org.
    body = client.post(url, data | {"phone": "13912345678"}).content.decode()
    assert "请先撤销这些角色再调整所在机构" in body and 'value="13912345678"' in body
    jw_clerk.refresh_from_db()
    assert (jw_clerk.org, jw_clerk.phone) == (county["jw"], "")


def test_sysadmin_sees_a_system_account_read_only(client, sysadmin, secadmin):
    client.force_login(sysadmin)
    url = reverse("manage:user_edit", args=[secadmin.pk])
    assert "您只能查看" in client.get(url).content.decode()
    response = client.post(url, {"action": "deactivate"})
    assert response.status_code == 403
    assert User.objects.get(pk=secadmin.pk).is_active


def test_secadmin_grants_and_revokes_a_system_role(client, secadmin, sysadmin):
    fresh = UserFactory(username="sanyuan.new")
    client.force_login(secadmin)
    url = reverse("manage:system_roles")
    response = client.post(url, {"action": "grant", "user": fresh.pk, "role": "auditor"})
    assert response.status_code == 302
    membership = fresh.memberships.get()
    assert membership.role == "auditor"
    client.post(url, {"action": "revoke", "membership": membership.pk})
    assert not fresh.memberships.exists()
    actions = AuditEntry.objects.values_list("action", flat=True)
    assert {"membership.grant", "membership.revoke"} <= set(actions)


def test_secadmin_cannot_revoke_own_role_through_the_page(client, secadmin):
    client.force_login(secadmin)
    own = secadmin.memberships.get()
    response = client.post(
        reverse("manage:system_roles"), {"action": "revoke", "membership": own.pk}
    )
    assert response.status_code == 404
    assert secadmin.memberships.exists()


def test_officer_list_filters(client, sysadmin, county):
    OfficerFactory(org=county["sj_dept"], name="王某某", cert_no="14110012345")
    OfficerFactory(org=county["jt_dept"], name="刘某某", cert_status="revoked")
    client.force_login(sysadmin)
    response = client.get(reverse("manage:officers"), {"q": "14110012345"})
    assert [o.name for o in response.context["page_obj"]] == ["王某某"]
    response = client.get(reverse("manage:officers"), {"status": "revoked"})
    assert [o.name for o in response.context["page_obj"]] == ["刘某某"]


def test_officer_create_error_keeps_typed_values(client, sysadmin, county):
    client.force_login(sysadmin)
    response = client.post(
        reverse("manage:officer_create"),
        {
            "name": "王某某",
            "org": county["sj_dept"].pk,
            "cert_no": "abc",
            "cert_status": "valid",
            "valid_from": "2026-05-01",
            "valid_until": "2026-04-01",
        },
    )
    body = response.content.decode()
    assert "格式不正确，应为1至32位数字或大写字母。" in body
    assert "不得早于有效期起。" in body
    assert 'value="王某某"' in body and 'value="2026-05-01"' in body
    assert not Officer.objects.exists()


def test_officer_edit_saves(client, sysadmin, county):
    officer = OfficerFactory(org=county["sj_dept"], cert_no="14110012345")
    client.force_login(sysadmin)
    response = client.post(
        reverse("manage:officer_edit", args=[officer.pk]),
        {
            "name": officer.name,
            "org": county["sj_dept"].pk,
            "cert_no": "14110012345",
            "cert_status": "revoked",
        },
    )
    assert response.status_code == 302
    assert Officer.objects.get(pk=officer.pk).cert_status == "revoked"


def test_import_template_download(client, sysadmin):
    client.force_login(sysadmin)
    response = client.get(reverse("manage:officer_import"), {"download": "template"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0]["D1"].value == "执法证号"


def test_import_page_refuses_row_7_and_imports_nothing(client, sysadmin, county):
    rows = [_row(n) for n in range(1, 9)]
    rows[5] = _row(6, 执法证号="1411-00abc")
    upload = _xlsx(rows)
    upload.name = "officers.xlsx"
    client.force_login(sysadmin)
    response = client.post(reverse("manage:officer_import"), {"file": upload})
    assert response.status_code == 200
    assert "第7行 执法证号：格式不正确" in response.content.decode()
    assert not Officer.objects.exists()


def test_import_page_imports_a_good_sheet(client, sysadmin, county):
    upload = _xlsx([_row(n) for n in range(1, 4)])
    upload.name = "officers.xlsx"
    client.force_login(sysadmin)
    response = client.post(reverse("manage:officer_import"), {"file": upload})
    assert response["Location"] == reverse("manage:officers")
    assert Officer.objects.count() == 3


def test_import_page_refuses_a_text_file(client, sysadmin, county):
    upload = io.BytesIO("不是表格".encode())
    upload.name = "officers.xlsx"
    client.force_login(sysadmin)
    response = client.post(reverse("manage:officer_import"), {"file": upload})
    assert "文件不是Excel（.xlsx）格式" in response.content.decode()
