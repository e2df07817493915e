"""Helpers for the audit tests: entries at chosen times, and tampering as an intruder would."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import time_machine
from django.db import connection, transaction
from django.db.models import QuerySet

from xianjie.audit.models import AuditEntry
from xianjie.audit.services import audit_record

_triggers = importlib.import_module("xianjie.audit.migrations.0002_append_only_trigger")


def record_at(when: datetime, **kwargs: Any) -> AuditEntry:
    """`audit_record` at a chosen moment; the chain stays valid."""
    kwargs.setdefault("actor", None)
    kwargs.setdefault("action", "test.event")
    with time_machine.travel(when, tick=False), transaction.atomic():
        return audit_record(**kwargs)


@contextmanager
def append_only_off() -> Iterator[QuerySet[AuditEntry]]:
    """Switch the append-only triggers off, as someone with database access could, and hand out
    a plain queryset that does not refuse updates and deletes like the model's manager does."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            for statement in _triggers.SQLITE_DOWN:
                cursor.execute(statement)
    try:
        yield QuerySet(AuditEntry)
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
            else:
                for statement in _triggers.SQLITE_UP:
                    cursor.execute(statement)
