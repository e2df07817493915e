"""The access policies of orgs, officers, accounts and roles (第二条, 等保 2.0 三员)."""

from __future__ import annotations

import pytest

from xianjie.accounts.models import Membership, Officer, Org, OrgKind, Role, User
from xianjie.accounts.services import user_set_active

from ..factories import OfficerFactory, OrgFactory, RegionFactory

PERSONAS = ("jw_clerk", "sf_leader", "sj_clerk", "outsider", "sysadmin", "secadmin", "auditor")


@pytest.fixture
def everyone(request, county):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def other_county(db):
    region = RegionFactory(code="141129", name="交城县")
    org = OrgFactory(name="交城县交通运输局", code="交交", kind=OrgKind.ENFORCEMENT, region=region)
    OfficerFactory(org=org, cert_no="14120000001")
    return org


@pytest.mark.article(2)
@pytest.mark.parametrize("persona", PERSONAS)
def test_org_registry_visible_to_every_user_of_the_region(persona, everyone, other_county):
    visible = set(Org.objects.restrict(everyone[persona], "view"))
    county_orgs = set(Org.objects.exclude(pk=other_county.pk))
    assert county_orgs <= visible
    # 三员 hold no org and administer the whole registry; everyone else sees their own region.
    assert (other_county in visible) == (persona in ("sysadmin", "secadmin", "auditor"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_officer_registry_visible_within_the_region(persona, everyone, county, other_county):
    OfficerFactory(org=county["sj_dept"], cert_no="14110012345")
    visible = set(
        Officer.objects.restrict(everyone[persona], "view").values_list("cert_no", flat=True)
    )
    assert "14110012345" in visible
    assert ("14120000001" in visible) == (persona in ("sysadmin", "secadmin", "auditor"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_sysadmin_manages_orgs_and_officers(persona, everyone, county):
    OfficerFactory(org=county["sj_dept"])
    user = everyone[persona]
    expected = persona == "sysadmin"
    assert Org.objects.restrict(user, "manage").exists() == expected
    assert Officer.objects.restrict(user, "manage").exists() == expected
    assert Org.objects.restrict(user, "change").exists() == expected


def test_registry_hidden_from_deactivated_and_anonymous_users(jw_clerk, sysadmin):
    from django.contrib.auth.models import AnonymousUser

    user_set_active(user=jw_clerk, active=False, actor=sysadmin)
    jw_clerk.refresh_from_db()
    assert not Org.objects.restrict(jw_clerk, "view").exists()
    assert not Officer.objects.restrict(AnonymousUser(), "view").exists()


def test_unknown_action_on_registry_allows_nothing(jw_clerk):
    assert not Org.objects.restrict(jw_clerk, "download").exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("sysadmin", "all"),
        ("secadmin", "all"),
        ("jw_clerk", {"jw.clerk", "jw.leader"}),
        ("sf_leader", {"sf.leader", "sf.clerk"}),
        ("auditor", {"auditor"}),
    ],
)
def test_user_visibility(persona, sees, everyone, jw_leader, sf_clerk):
    visible = set(
        User.objects.restrict(everyone[persona], "view").values_list("username", flat=True)
    )
    if sees == "all":
        assert visible == set(User.objects.values_list("username", flat=True))
    else:
        assert visible == sees


@pytest.mark.parametrize(
    ("persona", "managed"),
    [
        # The 系统管理员 manages the ordinary accounts, never a 三员 account (nor its own).
        ("sysadmin", {"jw.clerk", "sf.leader", "sj.clerk", "jy.clerk"}),
        # The 安全管理员 manages the accounts holding a 三员 role, except its own.
        ("secadmin", {"sysadmin", "auditor"}),
        ("auditor", set()),
        ("jw_clerk", set()),
        ("sf_leader", set()),
    ],
)
def test_user_manage_follows_separation_of_duties(persona, managed, everyone):
    user = everyone[persona]
    assert set(User.objects.restrict(user, "manage").values_list("username", flat=True)) == managed


@pytest.mark.parametrize(
    ("persona", "roles"),
    [
        ("sysadmin", {Role.CLERK, Role.LEADER}),
        ("secadmin", {Role.SYSADMIN, Role.AUDITOR}),
        ("auditor", set()),
        ("jw_clerk", set()),
    ],
)
def test_membership_manage_splits_roles_and_excludes_own(persona, roles, everyone):
    user = everyone[persona]
    manageable = Membership.objects.restrict(user, "manage")
    assert set(manageable.values_list("role", flat=True)) == roles
    assert not manageable.filter(user=user).exists()


def test_clerk_sees_memberships_of_own_org_only(everyone, jw_leader):
    visible = Membership.objects.restrict(everyone["jw_clerk"], "view")
    assert set(visible.values_list("user__username", flat=True)) == {"jw.clerk", "jw.leader"}


def test_auditor_sees_only_own_membership(everyone):
    visible = Membership.objects.restrict(everyone["auditor"], "view")
    assert list(visible.values_list("role", flat=True)) == [Role.AUDITOR]
