"""Fixtures of the access tests: the referral factory and the isolated data dir are shared, and
the inspection fixtures for tier 3 findings."""

from datetime import timedelta

import pytest

from tests.inspections.conftest import make_inspection
from tests.inspections.finding_fixtures import findings_inspection, officer, record
from tests.referrals.conftest import data_dir, make_referral, sample_file

__all__ = [
    "data_dir",
    "findings_inspection",
    "make_grant",
    "make_inspection",
    "make_referral",
    "officer",
    "record",
    "sample_file",
]


@pytest.fixture
def make_grant():
    """`make_grant(kind, item, reference, owner_org, requester, status="granted", days=7)`: an
    access request row in a final state, built directly (the workflow has its own tests)."""
    from django.utils import timezone

    from xianjie.access.models import AccessRequest

    def make(kind, item, reference, owner_org, requester, status="granted", days=7):
        now = timezone.now()
        return AccessRequest.objects.create(
            kind=kind,
            object_id=item.pk,
            reference=reference,
            owner_org=owner_org,
            requester=requester,
            requester_org=requester.org,
            purpose="核查本单位执法人员是否涉及同类问题",
            period_days=days,
            status=status,
            granted_at=now,
            expires_at=now + timedelta(days=days),
        )

    return make
