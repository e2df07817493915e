"""`xianjie audit verify`: an intact chain passes; every kind of tampering names the right entry.

Tampering goes around the append-only triggers on purpose (`append_only_off`), as an intruder
with database access would; the point is that verification still finds it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from xianjie.audit.chain import entry_hash
from xianjie.audit.models import AuditEntry, AuditHead
from xianjie.audit.services import audit_record
from xianjie.audit.verify import verify_chain

from .conftest import append_only_off, record_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit_record(actor=None, action="test.event", payload={"n": i, "状态": "已送达"})
            for i in range(5)
        ]


def _forge(seq: int, prev_hash: str, **fields) -> AuditEntry:
    """An entry whose own hash is right for its (forged) content."""
    values = {
        "seq": seq,
        "at": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        "actor_id": None,
        "actor_name": "intruder",
        "org_id": None,
        "action": "test.forged",
        "object_type": "",
        "object_id": "",
        "tier": 1,
        "payload": {},
        "prev_hash": prev_hash,
    } | fields
    entry = AuditEntry(hash=entry_hash(**values), **values)
    entry.save()
    return entry


def test_intact_chain_passes(chain):
    report = verify_chain()
    assert report.ok
    assert report.count == 5
    assert report.message == "审计链校验通过：共 5 条记录。"


def test_empty_chain_passes():
    report = verify_chain()
    assert report.ok
    assert report.count == 0


def test_chain_across_chunks_passes(chain):
    assert verify_chain(chunk_size=2).count == 5


def test_time_without_fraction_rehashes():
    # str(datetime) drops ".000000" on SQLite; the database must spell it back as hashed.
    record_at(datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC))
    record_at(datetime(2026, 11, 27, 8, 0, 0, 500, tzinfo=UTC))
    assert verify_chain().count == 2


def test_changed_field_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=3).update(action="test.innocent")
    report = verify_chain()
    assert not report.ok
    assert report.bad_seq == 3
    assert report.message == "审计链校验失败：第 3 条记录的哈希与其内容不符，记录已被改动。"


def test_changed_payload_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=2).update(payload={"n": 99, "状态": "已送达"})
    assert verify_chain().bad_seq == 2


def test_changed_time_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=4).update(at=datetime(2020, 1, 1, tzinfo=UTC))
    assert verify_chain().bad_seq == 4


def test_deleted_entry_in_the_middle_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=3).delete()
    report = verify_chain()
    assert report.bad_seq == 3
    assert "缺失" in report.message
    assert "第 2 条之后直接是第 4 条" in report.message


def test_deleted_first_entry_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=1).delete()
    assert verify_chain().bad_seq == 1


def test_deleted_tail_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq__gte=4).delete()
    report = verify_chain()
    assert report.bad_seq == 4
    assert "链尾已被截断" in report.message


def test_forged_replacement_with_its_own_hash_breaks_the_next_link(chain):
    with append_only_off() as raw:
        raw.filter(seq=3).delete()
        _forge(3, prev_hash=chain[1].hash)
    report = verify_chain()
    assert report.bad_seq == 4
    assert "前序哈希与第 3 条记录的哈希不符" in report.message


def test_forged_replacement_of_the_last_entry_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=5).delete()
        _forge(5, prev_hash=chain[3].hash)
    report = verify_chain()
    assert report.bad_seq == 5
    assert "链尾已被替换" in report.message


def test_forged_entry_appended_without_the_service_is_named(chain):
    _forge(6, prev_hash=chain[-1].hash)
    report = verify_chain()
    assert report.bad_seq == 6
    assert "未经审计服务写入" in report.message


def test_rewritten_link_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq=2).update(prev_hash="f" * 64)
    report = verify_chain()
    assert report.bad_seq == 2
    assert "前序哈希" in report.message


def test_head_moved_back_is_named(chain):
    AuditHead.objects.filter(id=1).update(seq=3, hash=chain[2].hash)
    assert verify_chain().bad_seq == 4


def test_payload_respelt_with_the_same_content_passes(chain):
    # Rows written before the canonical encoder (or re-spelt by a dump and reload) still verify.
    with append_only_off(), connection.cursor() as cursor:
        cursor.execute(
            'UPDATE audit_auditentry SET payload = \'{"状态": "已送达", "n": 0}\' WHERE seq = 1'
        )
    assert verify_chain().ok


def test_command_prints_the_count_and_exits_0(chain):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "审计链校验通过：共 5 条记录。"


def test_command_names_the_first_bad_entry_and_exits_1(chain):
    with append_only_off() as raw:
        raw.filter(seq=2).update(tier=3)
        raw.filter(seq=4).update(tier=3)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue().strip().startswith("审计链校验失败：第 2 条记录")


def test_command_run_is_itself_audited(chain):
    call_command("audit", "verify", stdout=StringIO())
    last = AuditEntry.objects.order_by("seq").last()
    assert last is not None
    assert (last.seq, last.action, last.actor_id) == (6, "audit.verify", None)
    assert last.payload == {"ok": True, "count": 5, "bad_seq": None}
    assert verify_chain().count == 6


def test_deleted_run_longer_than_a_chunk_is_named(chain):
    with append_only_off() as raw:
        raw.filter(seq__in=[2, 3, 4]).delete()
    report = verify_chain(chunk_size=2)
    assert report.bad_seq == 2
    assert "第 1 条之后直接是第 5 条" in report.message
