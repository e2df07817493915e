"""Evidence at rest (第十一条 tier 3): a marker inside an uploaded file, its name and its
description is found nowhere the application writes — not in the data dir, not in any row."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory

from xianjie.referrals.evidence import evidence_listing, evidence_open, evidence_upload

pytestmark = pytest.mark.usefixtures("data_dir")

MARKER = "XJ-MARKER-绝密-7f3a9c"


def files_holding(root, needle: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if needle.decode() in path.name or (path.is_file() and needle in path.read_bytes()):
            found.append(str(path.relative_to(root)))
    return found


def database_dump() -> str:
    return "\n".join(
        serializers.serialize("json", model._default_manager.all(), ensure_ascii=False)
        for model in apps.get_models()
    )


@pytest.mark.article(11)
def test_marker_in_an_uploaded_file_is_found_nowhere_at_rest(
    data_dir, settings, make_referral, sj_clerk, jw_clerk, sample_file
):
    # Uploads above 1 KiB are buffered to disk while the request is read, as large ones are.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = sample_file("pdf", MARKER) + (MARKER.encode() + bytes(range(200))) * 15_000
    request = RequestFactory().post(
        "/",
        {
            "file": SimpleUploadedFile(f"{MARKER}.pdf", body),
            "description": f"说明 {MARKER}",
        },
    )
    upload = request.FILES["file"]
    assert isinstance(upload, TemporaryUploadedFile)
    assert upload.temporary_file_path().startswith(settings.FILE_UPLOAD_TEMP_DIR)

    referral = make_referral(sender="sj", receiver="jw")
    evidence = evidence_upload(
        referral=referral, actor=sj_clerk, file=upload, description=request.POST["description"]
    )
    request.close()  # the end of the request: Django removes its buffer

    needle = MARKER.encode()
    assert files_holding(data_dir, needle) == []
    assert MARKER not in database_dump()

    # The marker is really there, for those entitled to it: the search above could have failed.
    (item,) = evidence_listing(referral, sj_clerk)
    assert MARKER in item.filename and MARKER in item.description
    opened = evidence_open(evidence_id=evidence.pk, referral_id=referral.pk, actor=sj_clerk)
    assert b"".join(opened.chunks) == body


@pytest.mark.article(11)
def test_evidence_and_upload_buffers_are_owner_only(data_dir, make_referral, sj_clerk):
    evidence = evidence_upload(
        referral=make_referral(), actor=sj_clerk, file=SimpleUploadedFile("a.pdf", b"%PDF-1.7")
    )
    evidence_dir = data_dir / "evidence"
    assert stat.S_IMODE(evidence_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((evidence_dir / evidence.blob_name).stat().st_mode) == 0o600


def test_settings_keep_upload_buffers_in_an_owner_only_dir_inside_the_data_dir():
    # The settings module as loaded, not the per-test overrides of the data_dir fixture.
    from xianjie import settings as loaded

    buffer_dir = Path(loaded.FILE_UPLOAD_TEMP_DIR)
    assert buffer_dir.parent == loaded.DATA_DIR
    assert stat.S_IMODE(buffer_dir.stat().st_mode) == 0o700
