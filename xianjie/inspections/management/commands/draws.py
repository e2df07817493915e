"""`xianjie draws verify <id>` (随机抽查, 第八条): re-run a random draw from its revealed seed and
frozen pools and check it against the commitment published before it ran. Prints each check in
Chinese; exit 0 when all pass, 1 otherwise. An operator's command: it reads the database
directly, as the operator can anyway, and shows no more than the draw's page does.

Arguments are read by hand rather than by argparse so that every mistake gets a Chinese message
on stderr and exit code 1.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from xianjie.inspections.models import Draw
from xianjie.inspections.verify_draw import draw_verify

USAGE = "用法：xianjie draws verify <抽取编号>"


class Command(BaseCommand):
    help = (
        "随机抽取。verify：以公开的种子和冻结的单位库、人员库重新运行抽取，逐项核对种子摘要、"
        "库摘要、抽取前公布的记录和抽取结果；全部一致时以状态 0 退出，否则以状态 1 退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", metavar="verify 抽取编号")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"错误：{message}")
        raise SystemExit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["words"]
        if len(words) != 2 or words[0] != "verify":
            self._fail(USAGE)
        text = words[1].strip()
        draw = (
            Draw.objects.select_related("inspection").filter(pk=int(text)).first()
            if text.isascii() and text.isdigit()
            else None
        )
        if draw is None:
            self._fail(f"没有编号为 {text} 的随机抽取。")
        report = draw_verify(draw)
        self.stdout.write(
            f"随机抽取 #{draw.pk}：{draw.inspection.title} 第{draw.sequence}次"
            f"（{draw.get_status_display()}）"
        )
        for check in report.checks:
            mark = "✓" if check.ok else "✗"
            self.stdout.write(f"{mark} {check.label}：{check.detail}")
        for note in report.notes:
            self.stdout.write(f"注意：{note}")
        if report.ok:
            self.stdout.write(report.summary)
            return
        self.stderr.write(report.summary)
        raise SystemExit(1)
