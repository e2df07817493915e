"""`xianjie demo` brings sample referrals in several statuses, visible only to their parties."""

import pytest
from django.core.management import call_command

from xianjie.accounts.models import User
from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import referral_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    call_command("demo")


#: The demo's own referrals; the inspection demo adds a draft made from a serious finding.
def _demo_referrals():
    return Referral.objects.filter(origin_finding__isnull=True)


def test_demo_referrals_cover_several_statuses(demo):
    statuses = sorted(_demo_referrals().values_list("status", flat=True))
    assert statuses == ["closed", "draft", "handling", "handling", "returned", "sent"]
    assert Referral.objects.filter(origin_finding__isnull=False, status="draft").count() == 1


@pytest.mark.article(11)
def test_demo_referrals_visible_only_to_their_parties(demo):
    def seen(username):
        return referral_list(User.objects.get(username=username)).count()

    # sf.clerk also drafted the referral of the inspection demo's serious finding.
    assert seen("sf.clerk") == 5
    assert seen("jw.clerk") == 5
    assert seen("sj.clerk") == 1
    assert seen("jt.clerk") == 1
    assert seen("jy.clerk") == 0
    assert seen("auditor") == 0


def test_demo_twice_adds_no_referral(demo):
    call_command("demo")
    assert Referral.objects.count() == 7
