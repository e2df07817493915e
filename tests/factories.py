"""factory-boy factories for the people and orgs every test needs."""

from __future__ import annotations

import factory

from xianjie.accounts.models import (
    CertStatus,
    Membership,
    Officer,
    Org,
    OrgKind,
    Region,
    RegionLevel,
    User,
)

TEST_PASSWORD = "Test-2026-xj"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "141128"
    name = "文水县"
    level = RegionLevel.COUNTY


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org

    name = factory.Sequence(lambda n: f"测试机构{n}")
    code = factory.Sequence(lambda n: f"测{n}")
    kind = OrgKind.ENFORCEMENT
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    org = factory.LazyAttribute(lambda m: m.user.org)
    role = "clerk"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"执法人员{n}")
    org = factory.SubFactory(OrgFactory)
    post = "执法队员"
    cert_no = factory.Sequence(lambda n: f"1411{n:07d}")
    cert_status = CertStatus.VALID


def make_user(username: str, org: Org | None, role: str, full_name: str = "") -> User:
    user = UserFactory(username=username, org=org, full_name=full_name or username)
    MembershipFactory(user=user, org=org if role in ("clerk", "leader") else None, role=role)
    return user
