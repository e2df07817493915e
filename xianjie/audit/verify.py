"""`xianjie audit verify`: walk the whole chain and name the first entry that is wrong.

An entry is wrong when its hash does not match its own fields (changed), when its previous hash
is not the hash of the entry before it (replaced), when its sequence number skips (deleted), or
when the chain does not end where the head row says it does (tail cut off, or entries appended
without going through `audit_record`).

The walk reads plain tuples in chunks and lets the database spell the time as it was hashed, so no
model instance or datetime is built per entry: the pace is set by reading rows and by SM3.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import NotSupportedError, connections, router
from django.db.models import CharField, Func, TextField, Value
from django.db.models.functions import Cast, Coalesce

from .chain import GENESIS_HASH, canonical_payload, fields_hash
from .models import AuditEntry, AuditHead

CHUNK_SIZE = 10_000


@dataclass(frozen=True)
class ChainReport:
    """The outcome of one walk. `count` is the number of entries found intact."""

    count: int
    bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_seq is None

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计链校验通过：共 {self.count} 条记录。"
        return f"审计链校验失败：第 {self.bad_seq} 条记录{self.problem}。"


class _UtcIsoformat(Func):
    """The entry time exactly as `chain.utc_isoformat` spells it, computed by the database."""

    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"audit verification does not support {connection.vendor}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Stored as UTC text by `str(datetime)`, which drops the fraction when it is zero.
        template = (
            "replace(%(expressions)s, ' ', 'T') || CASE WHEN length(%(expressions)s) = 19 "
            "THEN '.000000+00:00' ELSE '+00:00' END"
        )
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
        )
        return super().as_sql(compiler, connection, template=template, **extra)


def _text(field: str) -> Coalesce:
    """An integer column as `entry_hash` spells it: decimal digits, or "" for NULL."""
    return Coalesce(Cast(field, TextField()), Value(""), output_field=TextField())


def _next_seq(alias: str, start: int) -> int | None:
    later = AuditEntry.objects.using(alias).filter(seq__gte=start).order_by("seq")
    return later.values_list("seq", flat=True).first()


def _read_head(alias: str) -> tuple[int, str]:
    head = AuditHead.objects.using(alias).filter(id=1).values_list("seq", "hash").first()
    return head if head is not None else (0, GENESIS_HASH)


def _rehashes_decoded(fields: tuple[str, ...], stored: str) -> bool:
    """Whether an entry whose payload text is not in canonical spelling (written before the
    canonical encoder, or re-spelt by a dump and reload) still matches once decoded."""
    payload_json = canonical_payload(json.loads(fields[_PAYLOAD]))
    return fields_hash((*fields[:_PAYLOAD], payload_json, fields[_PREV])) == stored


#: The hashed fields in `entry_hash`'s order, spelt by the database (annotations `h_*`);
#: each row read is (seq, *these, stored hash).
_HASHED = (
    "h_seq",
    "h_at",
    "h_actor",
    "actor_name",
    "h_org",
    "action",
    "object_type",
    "object_id",
    "h_tier",
    "h_payload",
    "prev_hash",
)
_PAYLOAD, _PREV = _HASHED.index("h_payload"), _HASHED.index("prev_hash")


def verify_chain(chunk_size: int = CHUNK_SIZE) -> ChainReport:
    """Walk the chain in sequence order and report the first wrong entry, or the count.

    A system check, not a user's read: callers decide who may run it (`audit_chain_verify`).
    The head is read before and after the walk, so entries appended meanwhile by `audit_record`
    are neither missed as a cut tail nor taken for forged ones. Chunks are fetched by key
    range, one short query each: no cursor or snapshot stays open across the walk, so writers
    are never blocked and PostgreSQL materialises nothing.
    """
    alias = router.db_for_read(AuditEntry)
    head_seq, head_hash = _read_head(alias)
    # SQLite keeps the JSON text as written, which is the canonical spelling; PostgreSQL's jsonb
    # re-spells it, so there each payload is decoded and re-encoded.
    stored_canonical = connections[alias].vendor == "sqlite"
    rows = (
        AuditEntry.objects.using(alias)
        .order_by("seq")
        .annotate(
            h_seq=_text("seq"),
            h_at=_UtcIsoformat("at"),
            h_actor=_text("actor_id"),
            h_org=_text("org_id"),
            h_tier=_text("tier"),
            h_payload=Cast("payload", TextField()),
        )
        .values_list("seq", *_HASHED, "hash")
    )
    expected = 1
    prev = GENESIS_HASH
    rehash, canonical, loads = fields_hash, canonical_payload, json.loads
    while True:
        # Bounded on both sides, so the plan is an index range scan even before PostgreSQL
        # has statistics for the table (with LIMIT alone it may sort the whole table each time).
        chunk = list(rows.filter(seq__gte=expected, seq__lt=expected + chunk_size))
        if not chunk:
            following = _next_seq(alias, expected)
            if following is None:
                break
            return ChainReport(expected - 1, expected, _missing(expected, following))
        for row in chunk:
            seq, fields, stored = row[0], row[1:-1], row[-1]
            if seq != expected:
                return ChainReport(expected - 1, expected, _missing(expected, seq))
            if fields[_PREV] != prev:
                return ChainReport(expected - 1, seq, _broken_link(seq))
            if not stored_canonical:
                fields = (*fields[:_PAYLOAD], canonical(loads(fields[_PAYLOAD])), fields[_PREV])
            if rehash(fields) != stored and not (
                stored_canonical and _rehashes_decoded(fields, stored)
            ):
                return ChainReport(expected - 1, seq, "的哈希与其内容不符，记录已被改动")
            if seq == head_seq and stored != head_hash:
                return ChainReport(expected - 1, seq, "的哈希与链头登记的不符，链尾已被替换")
            prev = stored
            expected += 1
    last = expected - 1
    if last < head_seq:
        return ChainReport(
            last, last + 1, f"缺失：链头登记共 {head_seq} 条，实际只到第 {last} 条，链尾已被截断"
        )
    final_seq, final_hash = _read_head(alias)
    if last > final_seq:
        return ChainReport(
            final_seq,
            final_seq + 1,
            f"不在链头登记的范围内（链头登记至第 {final_seq} 条），未经审计服务写入",
        )
    if last == final_seq and prev != final_hash:
        return ChainReport(last - 1, last, "的哈希与链头登记的不符，链尾已被替换")
    return ChainReport(last)


def _missing(expected: int, found: int) -> str:
    if expected == 1:
        return f"缺失：链首应为第 1 条，实际从第 {found} 条开始，之前的记录已被删除"
    return f"缺失：第 {expected - 1} 条之后直接是第 {found} 条，中间的记录已被删除"


def _broken_link(seq: int) -> str:
    if seq == 1:
        return "的前序哈希不是链首的初始值，记录已被替换"
    return f"的前序哈希与第 {seq - 1} 条记录的哈希不符，前一条记录已被替换"
