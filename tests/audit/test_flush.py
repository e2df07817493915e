"""`flush` (and so the end of every transactional test) empties the audit tables on both
databases, and leaves the append-only triggers in place."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from xianjie.audit.models import AuditEntry
from xianjie.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_flush_empties_the_chain_and_keeps_the_triggers():
    with transaction.atomic():
        audit_record(actor=None, action="test.event")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()

    with transaction.atomic():
        entry = audit_record(actor=None, action="test.event")
    assert entry.seq == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = %s", [entry.seq])
    assert AuditEntry.objects.filter(seq=1).exists()
