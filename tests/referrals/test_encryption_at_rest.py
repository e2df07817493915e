"""第十一条 tier 3 at rest: facts, names, certificate numbers, reasons, results, comments and
evidence files are stored only encrypted — a marker written through the services is found in no
column of any table (history, audit payloads and notifications included), nowhere in the
database's own bytes, and in no file under the data dir. Another master key opens nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from xianjie.core import crypto
from xianjie.referrals import sealing
from xianjie.referrals.evidence import evidence_open
from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import referral_content, referral_events, referral_list

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseeded"),
    pytest.mark.article(11),
]

FACTS = "MARKFACTS-4471 张三在检查中索要财物"
NAME = "MARKNAME-9031 欧阳某某"
CERT = "XJMARK14110099"
REASON = "MARKREASON-2284 所涉人员为市管干部"
WHAT = "MARKWHAT-5519 请补充询问笔录"
SUPPLEMENT = "MARKSUPP-6630 已补充现场照片说明"
RESULT = "MARKRESULT-8812 已给予政务警告处分"
REJECT = "MARKREJECT-3307 事实表述不清"
FILE_TEXT = "MARKFILE-1205 evidence body"
FILE_NAME = "MARKNAME-FILE-7741 现场检查记录.pdf"
DESCRIPTION = "MARKDESC-3396 检查笔录扫描件"
#: Written as text fields, then as the file's content, name and description.
TEXT_MARKERS = [FACTS, NAME, CERT, REASON, WHAT, SUPPLEMENT, RESULT, REJECT]
MARKERS = [*TEXT_MARKERS, FILE_TEXT, FILE_NAME, DESCRIPTION]


def needles() -> list[bytes]:
    """Each marker whole and its ASCII tag alone, in UTF-8 (how both databases store text)."""
    found = []
    for marker in MARKERS:
        found += [marker.encode(), marker.split(" ")[0].encode()]
    return found


def database_text() -> str:
    """Every column of every row of every table, as text, read with raw SQL."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                parts.extend(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
    return "\n".join(parts)


def database_bytes() -> bytes:
    """The database's own bytes on SQLite: the file (and its WAL) when it is one, else the image
    of the in-memory test database; on PostgreSQL the raw SQL text stands in for them."""
    if connection.vendor != "sqlite":
        return database_text().encode()
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        connection.ensure_connection()
        return connection.connection.serialize()
    with open(name, "rb") as handle:
        data = handle.read()
    try:
        with open(f"{name}-wal", "rb") as handle:
            data += handle.read()
    except FileNotFoundError:
        pass
    return data


@pytest.fixture
def written(flow):
    """A lead returned with a reason after a supplement round and a rejection, and a fault fed
    back with a result, every free text carrying a marker."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xianjie.referrals.evidence import evidence_upload

    people = flow.people
    subjects = [{"kind": "person", "name": NAME, "post": "执法队员", "cert_no": CERT}]
    lead = flow.draft(facts=FACTS, subjects=subjects)
    evidence_upload(
        referral=lead,
        actor=people["sf_clerk"],
        file=SimpleUploadedFile(FILE_NAME, flow.sample("pdf", FILE_TEXT), "application/pdf"),
        description=DESCRIPTION,
    )
    lead = flow.walk(lead, ["submit"])
    lead = flow.do(lead, "reject", comment=REJECT)
    lead = flow.walk(lead, ["submit", "approve", "receive", "dispose"])
    lead = flow.do(lead, "request_supplement", what=WHAT)
    lead = flow.do(lead, "supplement", comment=SUPPLEMENT)
    lead = flow.do(lead, "return", reason=REASON)

    fault = flow.to_status("handling", "to_supervision", facts=FACTS, subjects=subjects)
    letter = flow.upload(fault, people["jt_clerk"], "feedback_letter", text=FILE_TEXT)
    fault = flow.do(fault, "feedback", result=RESULT, document=letter.pk)
    return lead, fault


def test_the_markers_were_written_and_read_back(flow, written):
    """The check below is not vacuous: the parties read every marker back."""
    lead, fault = written
    content = referral_content(Referral.objects.get(pk=lead.pk))
    assert (content.facts, content.return_reason) == (FACTS, REASON)
    assert (content.subjects[0].name, content.subjects[0].cert_no) == (NAME, CERT)
    comments = " ".join(e.comment for e in referral_events(lead))
    assert all(marker in comments for marker in (REJECT, WHAT, SUPPLEMENT, REASON))
    assert referral_content(Referral.objects.get(pk=fault.pk)).result == RESULT
    assert list(referral_list(flow.people["sf_clerk"], {"q": CERT.lower()})) == [lead]


def test_no_marker_is_stored_in_clear_in_the_database(written):
    lead, _ = written
    text = database_text()
    assert lead.number in text, "the dump reads the referral rows"
    assert "referral.return" in text, "and the audit entries"
    for marker in MARKERS:
        for needle in (marker, marker.split(" ")[0]):
            assert needle not in text, needle

    image = database_bytes()
    assert lead.number.encode() in image
    for needle in needles():
        assert needle not in image, needle


def test_no_marker_is_stored_in_clear_under_the_data_dir(data_dir, written):
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    blobs = [path for path in files if path.parent.name == "evidence"]
    assert len(blobs) >= 4, "every upload left an encrypted blob"
    for path in files:
        data = path.read_bytes()
        for needle in needles():
            assert needle not in data, (path, needle)


def test_another_master_key_opens_nothing(tmp_path, settings, written):
    lead, _ = written
    stored = Referral.objects.get(pk=lead.pk)
    evidence = stored.evidence.exclude(description_enc="").get()
    crypto.generate_master_key_file(tmp_path / "other.key")
    settings.MASTER_KEY_FILE = str(tmp_path / "other.key")
    crypto._load_master.cache_clear()

    with pytest.raises(crypto.DecryptionError):
        referral_content(Referral.objects.get(pk=lead.pk))
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(stored.wrapped_key)
    with pytest.raises(crypto.DecryptionError):
        evidence_open(evidence_id=evidence.pk, referral_id=lead.pk, actor=lead.created_by)
    # Nor does the certificate number's blind index match under the other key.
    assert not referral_list(lead.created_by, {"q": CERT}).exists()


def test_a_sealed_field_moved_to_another_referral_does_not_open(written):
    """Each field is bound to its referral and place: a copied ciphertext is refused."""
    lead, fault = written
    source = Referral.objects.get(pk=lead.pk)
    target = Referral.objects.get(pk=fault.pk)
    with pytest.raises(crypto.DecryptionError):
        sealing.unseal(target, "facts", source.facts_enc)
    with pytest.raises(crypto.DecryptionError):
        sealing.unseal(source, "summary", source.facts_enc)
