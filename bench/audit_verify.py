"""How fast `xianjie audit verify` walks the chain.

    .venv/bin/python bench/audit_verify.py [--entries 200000]
    bash scripts/with-postgres.sh .venv/bin/python bench/audit_verify.py

Generates a chain of realistic entries in a throwaway database (SQLite in a temporary data
directory unless DATABASE_URL is set), verifies it and prints entries per second.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ACTIONS = ("referral.submit", "referral.approve", "referral.receive", "officer.import", "login")


def generate(n: int, batch: int = 5_000) -> None:
    from xianjie.audit.chain import GENESIS_HASH, entry_hash
    from xianjie.audit.models import AuditEntry, AuditHead

    rng = random.Random(2026)
    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    prev, rows = GENESIS_HASH, []
    for seq in range(1, n + 1):
        fields = {
            "seq": seq,
            "at": start + timedelta(seconds=seq * 7, microseconds=rng.randrange(1_000_000)),
            "actor_id": rng.randrange(1, 60),
            "actor_name": rng.choice(("jw.clerk", "sf.leader", "sj.clerk", "auditor")),
            "org_id": rng.randrange(1, 12),
            "action": rng.choice(ACTIONS),
            "object_type": "referrals.referral",
            "object_id": str(rng.randrange(1, 5_000)),
            "tier": rng.choice((1, 2, 3)),
            "payload": {
                "from": "draft",
                "to": "pending_approval",
                "referral": seq,
                "文号": "文纪移",
            },
            "prev_hash": prev,
        }
        prev = entry_hash(**fields)
        rows.append(AuditEntry(hash=prev, **fields))
        if len(rows) == batch:
            AuditEntry.objects.bulk_create(rows)
            rows = []
    AuditEntry.objects.bulk_create(rows)
    AuditHead.objects.update_or_create(id=1, defaults={"seq": n, "hash": prev})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--chunk-size", type=int, default=10_000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["XIANJIE_DATA_DIR"] = tempfile.mkdtemp(prefix="xianjie-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianjie.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xianjie.audit.models import AuditEntry
    from xianjie.audit.verify import verify_chain

    call_command("migrate", verbosity=0)
    if AuditEntry.objects.exists():
        sys.exit("the benchmark needs an empty audit chain")
    began = time.perf_counter()
    generate(args.entries)
    print(f"generated {args.entries} entries in {time.perf_counter() - began:.1f} s")

    # Best of three: the first walk also warms the database's cache. CPU time is shown beside
    # wall time because on a shared machine the two differ.
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        report = verify_chain(chunk_size=args.chunk_size)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{report.message} {connection.vendor}: {report.count / wall:,.0f} entries/s "
            f"({wall:.2f} s; this process's CPU {cpu:.2f} s)"
        )


if __name__ == "__main__":
    main()
