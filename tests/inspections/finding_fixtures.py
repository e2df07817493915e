"""Fixtures of the finding tests (第九条): an inspection whose team is not made of organisers,
an officer of the inspected unit, an isolated data dir for files, and a recorder of findings.

Import the fixtures a test module uses: `from .finding_fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.referrals.samples import SAMPLES

__all__ = [
    "data_dir",
    "findings_inspection",
    "officer",
    "pdf",
    "record",
    "reg_origins",
]

DESCRIPTION = "执法记录仪未全程记录MARK-4417"


@pytest.fixture
def data_dir(tmp_path, settings):
    """DATA_DIR, the upload buffer and the master key under tmp_path, so that a test can search
    every byte the application wrote."""
    from xianjie.core import crypto

    root = tmp_path / "data"
    (root / "uploads").mkdir(parents=True, mode=0o700)
    settings.DATA_DIR = root
    settings.FILE_UPLOAD_TEMP_DIR = str(root / "uploads")
    settings.MASTER_KEY_FILE = str(root / "master.key")
    settings.DEMO_MODE = True
    crypto._load_master.cache_clear()
    yield root
    crypto._load_master.cache_clear()


@pytest.fixture
def pdf():
    """`pdf(text="", name="证据.pdf")`: a small real PDF as an upload."""

    def build(text: str = "", name: str = "证据.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, SAMPLES["pdf"](text.encode("utf-8")), "application/pdf")

    return build


@pytest.fixture
def findings_inspection(make_inspection, jt_clerk):
    """A special inspection under way, organised by the commission and the justice bureau, of
    the market regulator (市场监管局, whose people are sj.clerk and sj.leader) — its team is
    jt.clerk, an inspector who is not of an organising org."""
    return make_inspection(method="special", status="under_way", units={"sj_dept": [jt_clerk]})


@pytest.fixture
def officer(county):
    from ..factories import OfficerFactory

    return OfficerFactory(
        name="王某某", org=county["sj_dept"], post="执法队员", cert_no="14110012345"
    )


@pytest.fixture
def record(county, jw_clerk):
    """`record(inspection, actor=jw_clerk, **fields)`: a finding of the market regulator through
    the service, general by default."""
    from xianjie.inspections.services.findings import finding_create

    def make(inspection: Any, actor: Any = None, **fields: Any):
        values: dict[str, Any] = {
            "unit": county["sj_dept"].pk,
            "severity": "general",
            "title": "行政处罚案卷不规范",
            "description": DESCRIPTION,
            "basis": "《中华人民共和国行政处罚法》第四十七条",
            "violation_codes": ["A04"],
            **fields,
        }
        return finding_create(inspection_id=inspection.pk, actor=actor or jw_clerk, **values)

    return make


@pytest.fixture
def reg_origins():
    """The finding origin on the referral pages, as the app registers it at start-up
    (registering it again changes nothing)."""
    from xianjie.inspections.selectors.findings import finding_origins
    from xianjie.referrals.origins import register_referral_origin

    register_referral_origin(finding_origins)
