"""How fast the shared-items library searches, and how fast a grant's download is watermarked.

    .venv/bin/python bench/sharing.py [--items 20000]
    bash scripts/with-postgres.sh .venv/bin/python bench/sharing.py

Fills a throwaway database (SQLite in a temporary data directory unless DATABASE_URL is set) with
published items of both tiers from the demo's orgs, indexed by the real jieba indexer, then times
the library's search for a reader (the restricted list's first page and its count, as the page
asks for them), and the watermarking of a 20-page PDF and a 2400×1800 JPEG.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PHRASES = (
    "行政执法案卷评查",
    "执法全过程记录制度",
    "重大执法决定法制审核",
    "行政处罚自由裁量权基准",
    "纪检监察机关问责处理",
    "联合法治督查发现问题整改",
    "罚没款收缴管理",
    "执法人员资格管理",
    "涉企行政检查",
    "双随机一公开监管",
    "群众投诉举报办理",
    "行政复议纠错案件",
)
QUERIES = ("案卷评查", "问责", "执法 记录", "自由裁量权基准", "双随机", "不存在的词语组合")


def generate(n: int) -> None:
    from django.utils import timezone

    from xianjie.accounts.models import Org, Role, User
    from xianjie.sharing.models import SharedItem
    from xianjie.sharing.search import index_text

    rng = random.Random(2026)
    orgs = list(Org.objects.order_by("id"))
    publishers = [o for o in orgs if User.objects.filter(org=o, memberships__role=Role.CLERK)]
    clerk = {o.pk: User.objects.filter(org=o).first() for o in publishers}
    now = timezone.now()
    rows, scopes = [], []
    for i in range(n):
        publisher = rng.choice(publishers)
        title = f"关于{rng.choice(PHRASES)}的通知（第{i}号）"
        body = "。".join(rng.choice(PHRASES) + "工作要求" for _ in range(12))
        tier = rng.choice((1, 1, 2))
        rows.append(
            SharedItem(
                tier=tier,
                category="requirement" if tier == 1 else "accountability",
                title=title,
                body=body,
                publisher_org=publisher,
                region_id=publisher.region_id,
                status="published",
                search_text=index_text(title, body),
                created_by=clerk[publisher.pk],
                published_by=clerk[publisher.pk],
                published_at=now,
            )
        )
        scopes.append(rng.sample(orgs, 2) if tier == 2 else [])
    created = SharedItem.objects.bulk_create(rows, batch_size=2_000)
    through = SharedItem.scope_orgs.through
    through.objects.bulk_create(
        [
            through(shareditem_id=item.pk, org_id=org.pk)
            for item, s in zip(created, scopes, strict=True)
            for org in s
        ],
        batch_size=5_000,
    )


def time_search(username: str, repeat: int = 5) -> None:
    from django.db import connection

    from xianjie.accounts.models import User
    from xianjie.sharing.selectors.items import shared_item_list

    user = User.objects.get(username=username)
    for query in QUERIES:
        samples, found = [], 0
        for _ in range(repeat):
            began = time.perf_counter()
            listing = shared_item_list(user, {"q": query})
            found = listing.count()
            list(listing[:20])
            samples.append(time.perf_counter() - began)
        print(
            f"{connection.vendor} search {query!r} as {username}: {found} found, "
            f"median {statistics.median(samples) * 1000:.1f} ms (count + first page of 20)"
        )


def time_watermarks() -> None:
    from PIL import Image
    from reportlab.pdfgen import canvas

    from xianjie.access.watermark import watermark

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in range(20):
        pdf.drawString(72, 720, f"Page {page + 1} of the case file")
        pdf.showPage()
    pdf.save()
    image = io.BytesIO()
    Image.new("RGB", (2400, 1800), (200, 210, 220)).save(image, "JPEG", quality=90)
    text = "周敏 jy.clerk 文水县教育局法制股 2026-11-28 10:00 授权调阅#1"
    for label, data, kind in (
        ("20-page PDF", buffer.getvalue(), "application/pdf"),
        ("2400×1800 JPEG", image.getvalue(), "image/jpeg"),
    ):
        samples = []
        for _ in range(3):
            began = time.perf_counter()
            watermark(data, kind, text)
            samples.append(time.perf_counter() - began)
        print(f"watermark {label}: median {statistics.median(samples) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["XIANJIE_DATA_DIR"] = tempfile.mkdtemp(prefix="xianjie-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianjie.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    began = time.perf_counter()
    generate(args.items)
    print(f"indexed and stored {args.items} items in {time.perf_counter() - began:.1f} s")
    time_search("sj.clerk")
    time_search("jw.leader")
    time_watermarks()


if __name__ == "__main__":
    main()
