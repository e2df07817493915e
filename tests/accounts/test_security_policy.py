"""The security policy (安全策略): the security administrator's parameters, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xianjie.accounts.models import SecurityPolicy
from xianjie.accounts.security import current_policy, default_policy, security_policy_update
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import InvalidInput, NotPermitted

POLICY = reverse("accounts:security_policy")
CHANGE = {
    "lockout_failures": "3",
    "lockout_minutes": "15",
    "idle_minutes": "20",
    "otp_roles": ["sysadmin", "secadmin", "auditor", "leader"],
}


def test_policy_defaults_without_otp_in_demo_mode(settings, db):
    settings.DEMO_MODE = True
    policy = current_policy()
    assert (policy.lockout_failures, policy.lockout_minutes, policy.idle_minutes) == (5, 10, 30)
    assert policy.otp_roles == []
    assert policy.version == 0


def test_policy_defaults_require_otp_for_the_three_administrators(settings, db):
    settings.DEMO_MODE = False
    assert default_policy().otp_role_set == {"sysadmin", "secadmin", "auditor"}


def test_policy_page_shown_to_the_security_administrator(client, secadmin):
    client.force_login(secadmin)
    response = client.get(POLICY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "安全策略" in body
    assert 'name="lockout_failures"' in body and 'value="5"' in body


@pytest.mark.parametrize("persona", ["sysadmin", "auditor", "jw_leader", "sf_clerk"])
def test_policy_page_refused_to_others(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(POLICY).status_code == 403
    assert client.post(POLICY, CHANGE).status_code == 403
    assert not SecurityPolicy.objects.exists()
    assert not AuditEntry.objects.filter(action="security_policy.update").exists()


def test_policy_change_saved_and_audited_with_old_and_new(client, secadmin):
    client.force_login(secadmin)
    response = client.post(POLICY, CHANGE)
    assert response.status_code == 302
    policy = SecurityPolicy.objects.get()
    assert (policy.lockout_failures, policy.lockout_minutes, policy.idle_minutes) == (3, 15, 20)
    assert policy.otp_roles == ["auditor", "leader", "secadmin", "sysadmin"]
    assert (policy.version, policy.updated_by) == (1, secadmin)
    entry = AuditEntry.objects.get(action="security_policy.update")
    assert entry.actor_id == secadmin.pk
    assert entry.payload == {
        "version": 1,
        "changes": {
            "lockout_failures": [5, 3],
            "lockout_minutes": [10, 15],
            "idle_minutes": [30, 20],
            "otp_roles": [[], ["auditor", "leader", "secadmin", "sysadmin"]],
        },
    }


def test_policy_each_change_is_a_new_version(secadmin):
    values = {"lockout_failures": 5, "lockout_minutes": 10, "idle_minutes": 30, "otp_roles": []}
    security_policy_update(actor=secadmin, **(values | {"idle_minutes": 15}))
    security_policy_update(actor=secadmin, **(values | {"idle_minutes": 20}))
    # Saving the same values again is no change: no new version, no audit entry.
    policy = security_policy_update(actor=secadmin, **(values | {"idle_minutes": 20}))
    assert policy.version == 2
    payloads = list(
        AuditEntry.objects.filter(action="security_policy.update").values_list("payload", flat=True)
    )
    assert payloads == [
        {"version": 1, "changes": {"idle_minutes": [30, 15]}},
        {"version": 2, "changes": {"idle_minutes": [15, 20]}},
    ]


def test_policy_out_of_range_values_listed_and_nothing_saved(client, secadmin):
    client.force_login(secadmin)
    response = client.post(
        POLICY,
        {"lockout_failures": "0", "lockout_minutes": "99999", "idle_minutes": "1", "otp_roles": []},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "连续登录失败锁定次数须为 3 至 10 之间的整数。" in body
    assert "锁定时长（分钟）须为 1 至 1440 之间的整数。" in body
    assert "会话空闲超时（分钟）须为 5 至 240 之间的整数。" in body
    assert 'value="99999"' in body
    assert not SecurityPolicy.objects.exists()


def test_policy_unknown_role_refused(secadmin):
    with pytest.raises(InvalidInput) as exc:
        security_policy_update(
            actor=secadmin,
            lockout_failures=5,
            lockout_minutes=10,
            idle_minutes=30,
            otp_roles=["superuser"],
        )
    assert exc.value.errors == {"otp_roles": ["所选角色无效。"]}


def test_policy_service_refuses_others(sysadmin):
    with pytest.raises(NotPermitted):
        security_policy_update(
            actor=sysadmin, lockout_failures=3, lockout_minutes=10, idle_minutes=30, otp_roles=[]
        )
    assert not SecurityPolicy.objects.exists()


def test_policy_requiring_otp_for_secadmin_sends_them_to_bind(client, secadmin):
    client.force_login(secadmin)
    client.post(POLICY, CHANGE)
    assert client.get(POLICY)["Location"] == reverse("accounts:otp_setup")
