"""Django's `flush`, made to work on SQLite as it does on PostgreSQL.

`flush` empties every table. On PostgreSQL it does so with TRUNCATE, which the row triggers of
the audit chain (migration 0002) do not see; on SQLite it deletes row by row, which they refuse,
so `flush` — and the end of every transactional test — would fail there. Emptying the whole
database is its operator's act, not an edit of the record: for the length of the flush the
triggers are lifted, and put back even if the flush fails.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.commands import flush
from django.db import connections

from xianjie.audit.models import AuditEntry

_triggers = importlib.import_module("xianjie.audit.migrations.0002_append_only_trigger")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        guarded = AuditEntry._meta.db_table in connection.introspection.table_names()
        if connection.vendor != "sqlite" or not guarded:
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            for statement in _triggers.SQLITE_DOWN:
                cursor.execute(statement)
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for statement in _triggers.SQLITE_UP:
                    cursor.execute(statement)
