"""Account and role services: first-login password change, separation of duties (等保 2.0 三员)."""

from __future__ import annotations

import pytest

from xianjie.accounts.models import Membership, Role, User
from xianjie.accounts.services import (
    membership_grant,
    membership_revoke,
    user_create,
    user_reset_password,
    user_set_active,
    user_update,
)
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import InvalidInput, NotPermitted

from ..factories import UserFactory

GOOD_PASSWORD = "Chushi-2026"


def _create(actor, org=None, **overrides):
    values = {
        "username": "wang.fang",
        "full_name": "王芳",
        "org": org,
        "phone": "13912345678",
        "password": GOOD_PASSWORD,
        "actor": actor,
    }
    return user_create(**(values | overrides))


def test_user_create_must_change_password_and_audits(sysadmin, county):
    user = _create(sysadmin, org=county["sf"])
    stored = User.objects.get(username="wang.fang")
    assert stored.must_change_password is True
    assert stored.check_password(GOOD_PASSWORD)
    assert (stored.org, stored.is_staff, stored.is_superuser) == (county["sf"], False, False)
    entry = AuditEntry.objects.get(action="user.create")
    assert (entry.object_id, entry.payload) == (str(user.pk), {"org": county["sf"].pk})
    assert GOOD_PASSWORD not in str(entry.payload)


def test_user_create_lists_every_bad_field_and_writes_nothing(sysadmin):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, username="王 芳", full_name="", phone="12345", password="")
    assert set(refused.value.errors) == {"username", "full_name", "phone", "password"}
    assert refused.value.errors["phone"] == ["请填写11位手机号码。"]
    assert refused.value.errors["password"] == ["此项必填。"]
    assert User.objects.count() == 1  # only the sysadmin persona
    assert AuditEntry.objects.count() == before


def test_user_create_checks_password_with_the_validators(sysadmin):
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, password="short")
    assert refused.value.errors["password"]
    assert not User.objects.filter(username="wang.fang").exists()


def test_user_create_username_unique_ignoring_case(sysadmin, jw_clerk):
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, username="JW.Clerk")
    assert refused.value.errors["username"] == ["该用户名已被使用。"]


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "jw_leader"])
def test_user_create_refused_to_anyone_but_sysadmin(persona, request):
    with pytest.raises(NotPermitted):
        _create(request.getfixturevalue(persona))
    assert not User.objects.filter(username="wang.fang").exists()


def test_user_update_changes_profile(sysadmin, jw_clerk):
    user_update(user=jw_clerk, full_name="张雯雯", phone="", actor=sysadmin)
    jw_clerk.refresh_from_db()
    assert jw_clerk.full_name == "张雯雯"
    assert AuditEntry.objects.get(action="user.update").payload == {"fields": ["full_name"]}


def test_user_update_org_refused_while_holding_org_roles(sysadmin, jw_clerk, county):
    with pytest.raises(InvalidInput) as refused:
        user_update(user=jw_clerk, org=county["sf"], actor=sysadmin)
    assert "org" in refused.value.errors
    jw_clerk.refresh_from_db()
    assert jw_clerk.org == county["jw"]


def test_sysadmin_cannot_touch_a_system_role_account(sysadmin, secadmin):
    with pytest.raises(NotPermitted):
        user_reset_password(user=secadmin, password=GOOD_PASSWORD, actor=sysadmin)
    with pytest.raises(NotPermitted):
        user_set_active(user=secadmin, active=False, actor=sysadmin)
    secadmin.refresh_from_db()
    assert secadmin.is_active and not secadmin.must_change_password


def test_secadmin_resets_the_sysadmin_password(secadmin, sysadmin):
    user_reset_password(user=sysadmin, password=GOOD_PASSWORD, actor=secadmin)
    sysadmin.refresh_from_db()
    assert sysadmin.check_password(GOOD_PASSWORD) and sysadmin.must_change_password


def test_user_reset_password_sets_must_change_again(sysadmin, jw_clerk):
    user_reset_password(user=jw_clerk, password=GOOD_PASSWORD, actor=sysadmin)
    jw_clerk.refresh_from_db()
    assert jw_clerk.check_password(GOOD_PASSWORD)
    assert jw_clerk.must_change_password is True
    assert AuditEntry.objects.filter(action="user.reset_password", object_id=str(jw_clerk.pk))


def test_user_reset_password_validates(sysadmin, jw_clerk):
    with pytest.raises(InvalidInput) as refused:
        user_reset_password(user=jw_clerk, password="", actor=sysadmin)
    assert refused.value.errors == {"password": ["此项必填。"]}
    jw_clerk.refresh_from_db()
    assert not jw_clerk.must_change_password


def test_user_deactivate_and_reactivate(sysadmin, jw_clerk):
    user_set_active(user=jw_clerk, active=False, actor=sysadmin)
    assert not User.objects.get(pk=jw_clerk.pk).is_active
    user_set_active(user=jw_clerk, active=True, actor=sysadmin)
    assert User.objects.get(pk=jw_clerk.pk).is_active
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("seq"))
    assert actions[-2:] == ["user.deactivate", "user.activate"]


# --- Roles --------------------------------------------------------------------------------------


def test_sysadmin_grants_clerk_in_the_users_own_org(sysadmin, county):
    user = _create(sysadmin, org=county["sj"])
    membership = membership_grant(user=user, role=Role.LEADER, actor=sysadmin)
    assert (membership.org, membership.role) == (county["sj"], "leader")
    entry = AuditEntry.objects.get(action="membership.grant")
    assert entry.payload == {"user": user.pk, "role": "leader", "org": county["sj"].pk}


def test_clerk_role_needs_an_org(sysadmin):
    user = _create(sysadmin)
    with pytest.raises(InvalidInput) as refused:
        membership_grant(user=user, role=Role.CLERK, actor=sysadmin)
    assert refused.value.errors["role"] == ["该用户未设所在机构，不能担任登记员或审批领导。"]
    assert not Membership.objects.filter(user=user).exists()


def test_role_granted_twice_refused(sysadmin, jw_clerk):
    with pytest.raises(InvalidInput) as refused:
        membership_grant(user=jw_clerk, role=Role.CLERK, actor=sysadmin)
    assert refused.value.errors["role"] == ["该用户已担任此角色。"]


def test_unknown_role_refused(sysadmin, jw_clerk):
    with pytest.raises(InvalidInput):
        membership_grant(user=jw_clerk, role="superuser", actor=sysadmin)


def test_sysadmin_cannot_grant_system_roles(sysadmin):
    user = _create(sysadmin)
    with pytest.raises(NotPermitted):
        membership_grant(user=user, role=Role.AUDITOR, actor=sysadmin)
    assert not Membership.objects.filter(user=user).exists()


def test_secadmin_cannot_grant_clerk_roles(secadmin, county):
    user = UserFactory(org=county["jw"])
    with pytest.raises(NotPermitted):
        membership_grant(user=user, role=Role.CLERK, actor=secadmin)


def test_secadmin_grants_a_system_role(secadmin, sysadmin):
    user = _create(sysadmin)
    membership_grant(user=user, role=Role.AUDITOR, actor=secadmin)
    assert User.objects.get(pk=user.pk).has_role(Role.AUDITOR)


def test_one_system_role_per_account(secadmin, auditor):
    with pytest.raises(InvalidInput) as refused:
        membership_grant(user=auditor, role=Role.SYSADMIN, actor=secadmin)
    assert refused.value.errors["role"] == ["每个账号只能担任一种三员角色。"]
    assert set(auditor.memberships.values_list("role", flat=True)) == {"auditor"}


def test_system_role_never_with_clerk_or_leader(secadmin, sysadmin, jw_clerk, auditor):
    with pytest.raises(InvalidInput) as refused:
        membership_grant(user=jw_clerk, role=Role.AUDITOR, actor=secadmin)
    assert refused.value.errors["role"] == ["担任登记员或审批领导的账号不能再担任三员角色。"]
    auditor.org = jw_clerk.org
    auditor.save(update_fields=["org"])
    with pytest.raises(InvalidInput) as refused:
        membership_grant(user=auditor, role=Role.CLERK, actor=sysadmin)
    assert refused.value.errors["role"] == ["三员账号不能同时担任登记员或审批领导。"]


def test_administrator_never_changes_own_roles(secadmin):
    with pytest.raises(NotPermitted) as refused:
        membership_grant(user=secadmin, role=Role.AUDITOR, actor=secadmin)
    assert refused.value.detail == "管理员不能更改自己的角色。"
    with pytest.raises(NotPermitted):
        membership_revoke(membership=secadmin.memberships.get(), actor=secadmin)
    assert secadmin.memberships.filter(role=Role.SECADMIN).exists()


def test_revoke_by_the_right_administrator(sysadmin, secadmin, jw_clerk, auditor):
    clerk_role = jw_clerk.memberships.get()
    with pytest.raises(NotPermitted):
        membership_revoke(membership=clerk_role, actor=secadmin)
    membership_revoke(membership=clerk_role, actor=sysadmin)
    assert not jw_clerk.memberships.exists()
    with pytest.raises(NotPermitted):
        membership_revoke(membership=auditor.memberships.get(), actor=sysadmin)
    membership_revoke(membership=auditor.memberships.get(), actor=secadmin)
    assert not auditor.memberships.exists()
    entries = AuditEntry.objects.filter(action="membership.revoke")
    assert [e.payload["role"] for e in entries] == ["clerk", "auditor"]


def test_revoke_refused_to_clerk(jw_leader, jw_clerk):
    with pytest.raises(NotPermitted):
        membership_revoke(membership=jw_clerk.memberships.get(), actor=jw_leader)
    assert jw_clerk.memberships.exists()
