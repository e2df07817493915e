"""Master key rotation (第十一条: tier 3 data encrypted at rest, keys rotatable)."""

import pytest
from django.core.management import CommandError, call_command

from xianjie.core import crypto
from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import referral_content, referral_list
from xianjie.referrals.services import referral_create

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]


@pytest.fixture
def keyfiles(tmp_path, settings):
    settings.DEMO_MODE = False
    settings.MASTER_KEY_FILE = str(tmp_path / "old.key")
    crypto.generate_master_key_file(tmp_path / "old.key")
    crypto.generate_master_key_file(tmp_path / "new.key")
    crypto._load_master.cache_clear()
    yield tmp_path
    crypto._load_master.cache_clear()


def _lead(sf_clerk, county):
    return referral_create(
        actor=sf_clerk,
        direction="to_discipline",
        receiver_org=county["jw"].pk,
        source="supervision_check",
        subjects=[
            {"kind": "person", "name": "王某某", "post": "执法队员", "cert_no": "14110012345"}
        ],
        facts="未按要求全过程记录",
        violation_codes=["P08"],
    )


def test_rotation_rewraps_keys_and_keeps_content_and_search(keyfiles, settings, sf_clerk, county):
    referral = _lead(sf_clerk, county)
    old_wrapped = referral.wrapped_key

    call_command("keys", "rotate", str(keyfiles / "new.key"))

    settings.MASTER_KEY_FILE = str(keyfiles / "new.key")
    crypto._load_master.cache_clear()
    reloaded = Referral.objects.get(pk=referral.pk)
    assert reloaded.wrapped_key != old_wrapped
    assert referral_content(reloaded).facts == "未按要求全过程记录"
    assert referral_content(reloaded).subjects[0].cert_no == "14110012345"
    assert list(referral_list(sf_clerk, {"q": "14110012345"})) == [reloaded]


def test_old_key_no_longer_opens_rotated_data(keyfiles, sf_clerk, county):
    referral = _lead(sf_clerk, county)
    call_command("keys", "rotate", str(keyfiles / "new.key"))
    reloaded = Referral.objects.get(pk=referral.pk)
    with pytest.raises(crypto.DecryptionError):
        referral_content(reloaded)


def test_rotating_to_the_same_key_is_refused(keyfiles, sf_clerk, county):
    referral = _lead(sf_clerk, county)
    with pytest.raises(CommandError):
        call_command("keys", "rotate", str(keyfiles / "old.key"))
    assert Referral.objects.get(pk=referral.pk).wrapped_key == referral.wrapped_key


def test_generate_refuses_to_overwrite(keyfiles):
    with pytest.raises(CommandError):
        call_command("keys", "generate", str(keyfiles / "old.key"))
