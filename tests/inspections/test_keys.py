"""Master key rotation for the inspection app (第十一条: data encrypted at rest, keys rotatable):
the data keys of findings, draws and files are re-wrapped; what they seal stays readable under
the new master key and no longer under the old one."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from xianjie.core import crypto
from xianjie.inspections.keys import rewrap_inspection_keys
from xianjie.inspections.models import Attachment, Draw, Finding
from xianjie.inspections.sealing import new_wrapped_key, seal, unseal
from xianjie.inspections.selectors.findings import finding_content
from xianjie.inspections.services.attachments import attachment_open
from xianjie.inspections.services.findings import finding_attach

from .finding_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

SEED = "9f" * 32


@pytest.fixture
def keyfiles(tmp_path, settings):
    """Files under tmp_path and two master keys: the current (old) one and the next."""
    root = tmp_path / "data"
    (root / "uploads").mkdir(parents=True, mode=0o700)
    settings.DATA_DIR = root
    settings.FILE_UPLOAD_TEMP_DIR = str(root / "uploads")
    settings.DEMO_MODE = False
    settings.MASTER_KEY_FILE = str(tmp_path / "old.key")
    crypto.generate_master_key_file(tmp_path / "old.key")
    crypto.generate_master_key_file(tmp_path / "new.key")
    crypto._load_master.cache_clear()
    yield tmp_path
    crypto._load_master.cache_clear()


def use_key(settings, path) -> None:
    settings.MASTER_KEY_FILE = str(path)
    crypto._load_master.cache_clear()


@pytest.fixture
def holders(keyfiles, findings_inspection, record, jw_clerk, pdf):
    """One sealed row of each kind: a tier 3 finding with a file, and a prepared draw."""
    finding = record(findings_inspection, officer_name="李某", description="描述ROT-1")
    finding_attach(finding_id=finding.pk, actor=jw_clerk, file=pdf("ROT-2"))
    draw = Draw.objects.create(
        inspection=findings_inspection,
        sequence=1,
        algorithm="sm3-weighted-v1",
        unit_count=1,
        team_size=2,
        pools={},
        pool_digest="0" * 64,
        seed_hash="0" * 64,
        wrapped_key=new_wrapped_key(),
        prepared_by=jw_clerk,
        prepared_at=timezone.now(),
    )
    draw.seed_enc = seal(draw, "seed", SEED)
    draw.save(update_fields=["seed_enc"])
    return {"finding": finding, "draw": draw, "attachment": finding.attachments.get()}


def read_everything(holders, user) -> tuple[str, str, bytes]:
    finding = Finding.objects.get(pk=holders["finding"].pk)
    draw = Draw.objects.get(pk=holders["draw"].pk)
    opened = attachment_open(attachment_id=holders["attachment"].pk, actor=user)
    try:
        data = b"".join(opened.chunks)
    finally:
        opened.chunks.close()
    return finding_content(finding).description, unseal(draw, "seed", draw.seed_enc), data


def test_rotation_rewraps_every_key_and_keeps_everything_readable(
    keyfiles, holders, settings, jw_clerk
):
    before = {
        model: set(model.objects.values_list("wrapped_key", flat=True))
        for model in (Finding, Draw, Attachment)
    }
    old = crypto.master_key()
    new = crypto.MasterKey.from_file(keyfiles / "new.key")
    assert rewrap_inspection_keys(old, new) == 3

    use_key(settings, keyfiles / "new.key")
    for model, wrapped in before.items():
        assert set(model.objects.values_list("wrapped_key", flat=True)).isdisjoint(wrapped)
    description, seed, data = read_everything(holders, jw_clerk)
    assert (description, seed) == ("描述ROT-1", SEED)
    assert data.startswith(b"%PDF") and b"ROT-2" in data


def test_the_old_key_no_longer_opens_rotated_rows(keyfiles, holders):
    old = crypto.master_key()
    rewrap_inspection_keys(old, crypto.MasterKey.from_file(keyfiles / "new.key"))
    with pytest.raises(crypto.DecryptionError):
        finding_content(Finding.objects.get(pk=holders["finding"].pk))
    draw = Draw.objects.get(pk=holders["draw"].pk)
    with pytest.raises(crypto.DecryptionError):
        unseal(draw, "seed", draw.seed_enc)


def test_the_keys_command_rotates_the_inspection_keys_too(keyfiles, holders, settings, jw_clerk):
    call_command("keys", "rotate", str(keyfiles / "new.key"))
    use_key(settings, keyfiles / "new.key")
    description, seed, data = read_everything(holders, jw_clerk)
    assert (description, seed) == ("描述ROT-1", SEED)
    assert b"ROT-2" in data
