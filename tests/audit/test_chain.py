from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction

from xianjie.audit.chain import GENESIS_HASH, entry_hash
from xianjie.audit.models import AppendOnlyError, AuditEntry
from xianjie.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _append(n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [audit_record(actor=None, action="test.event", payload={"n": i}) for i in range(n)]


def test_entries_link_each_hash_to_the_previous_one():
    first, second, third = _append(3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]


def test_stored_entry_rehashes_to_its_hash():
    (entry,) = _append(1)
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.hash == entry_hash(
        seq=stored.seq,
        at=stored.at,
        actor_id=stored.actor_id,
        actor_name=stored.actor_name,
        org_id=stored.org_id,
        action=stored.action,
        object_type=stored.object_type,
        object_id=stored.object_id,
        tier=stored.tier,
        payload=stored.payload,
        prev_hash=stored.prev_hash,
    )


def test_orm_refuses_update_and_delete():
    (entry,) = _append(1)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).delete()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(seq=entry.seq).action == "test.event"


def test_database_trigger_refuses_raw_update():
    (entry,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["forged", entry.seq]
        )
    assert AuditEntry.objects.get(seq=entry.seq).action == "test.event"


def test_database_trigger_refuses_raw_delete():
    (entry,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = %s", [entry.seq])
    assert AuditEntry.objects.filter(seq=entry.seq).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"ratio": 0.5},
        {"nested": {"when": datetime(2026, 11, 27, tzinfo=UTC)}},
        {"facts": "案情" * 101},
        {"list": ["x" * 201]},
        {"map": {1: "one"}},
    ],
    ids=["float", "datetime", "long-text", "long-text-in-list", "non-string-key"],
)
def test_payload_that_is_not_metadata_is_refused(payload):
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=None, action="test.event", payload=payload)
    assert not AuditEntry.objects.exists()


def test_payload_of_ids_codes_and_statuses_is_stored_as_given():
    payload = {"referral": 7, "status": "sent", "codes": ["A01", "E02"], "urgent": True, "x": None}
    with transaction.atomic():
        entry = audit_record(actor=None, action="test.event", payload=payload)
    assert AuditEntry.objects.get(seq=entry.seq).payload == payload
