"""A finding's content at rest (第十一条): its title, description, basis and the officer's name
are sealed under the finding's own key, its files encrypted on disk — nothing of them in clear in
any table or file the application writes, a referral made of it included (第九条)."""

from __future__ import annotations

import pytest
from django.db import connection

from xianjie.core import crypto
from xianjie.inspections.models import Finding
from xianjie.inspections.selectors.findings import finding_content
from xianjie.inspections.services.findings import finding_attach, finding_referral_create

from .finding_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(9), pytest.mark.article(11)]

TITLE = "标题MARK-5101"
DESCRIPTION = "描述MARK-5102"
BASIS = "依据MARK-5103第五条"
NAME = "姓名MARK-5104"
FILE_TEXT = "FILETEXT-5105"
MARKS = ("MARK-510", FILE_TEXT)


def every_text_in_the_database() -> str:
    """Every value of every table, as text."""
    seen = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            seen.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(seen)


def every_byte_written(root) -> bytes:
    return b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file())


@pytest.fixture
def sealed(
    findings_inspection, record, data_dir, pdf, jw_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finding = record(
            findings_inspection,
            actor=jw_clerk,
            severity="serious",
            title=TITLE,
            description=DESCRIPTION,
            basis=BASIS,
            officer_name=NAME,
        )
        finding_attach(
            finding_id=finding.pk, actor=jw_clerk, file=pdf(FILE_TEXT), description=DESCRIPTION
        )
    return finding


def test_the_content_reads_back_for_those_who_may_see_it(sealed):
    content = finding_content(Finding.objects.get(pk=sealed.pk))
    assert (content.title, content.description) == (TITLE, DESCRIPTION)
    assert (content.basis, content.officer_name) == (BASIS, NAME)


def test_nothing_of_the_content_is_in_clear_in_the_database(sealed):
    stored = every_text_in_the_database()
    for mark in MARKS:
        assert mark not in stored


def test_nothing_of_the_file_is_in_clear_on_disk(sealed, data_dir):
    written = every_byte_written(data_dir)
    assert FILE_TEXT.encode() not in written
    assert b"%PDF" not in written


def test_the_referral_made_of_it_keeps_it_sealed_too(sealed, sf_clerk, data_dir):
    finding_referral_create(finding_id=sealed.pk, actor=sf_clerk)
    stored = every_text_in_the_database()
    # The norms a referral cites (法规名称 + 条款) are public law, kept in clear by design.
    for mark in (TITLE, DESCRIPTION, NAME, FILE_TEXT):
        assert mark not in stored
    assert FILE_TEXT.encode() not in every_byte_written(data_dir)


def test_a_sealed_field_moved_to_another_finding_does_not_open(sealed, findings_inspection, record):
    other = record(findings_inspection)
    other.description_enc = sealed.description_enc
    other.save(update_fields=["description_enc"])
    with pytest.raises(crypto.DecryptionError):
        finding_content(Finding.objects.get(pk=other.pk))
