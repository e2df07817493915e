"""`xianjie workdays add YYYY-MM-DD N` and `xianjie workdays check YYYY-MM-DD` (CONTRACT.md).

Arguments are read by hand rather than by argparse so that every mistake gets a Chinese message
on stderr and exit code 1, the same as a bad date.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xianjie.calendar import selectors
from xianjie.calendar.counting import parse_count, parse_date
from xianjie.core.errors import InvalidInput

USAGE = "用法：xianjie workdays add YYYY-MM-DD N ｜ xianjie workdays check YYYY-MM-DD"


class Command(BaseCommand):
    help = (
        "工作日计算。add：输出给定日期之后第 N 个工作日（起算日不计入）；"
        "check：输出该日是 workday（工作日）、restday（休息日）"
        "还是 unconfirmed（该年度官方安排未录入）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", metavar="add|check 日期 [N]")

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["words"]
        try:
            self._run(words)
        except InvalidInput as error:
            self._fail(error.detail)

    def _fail(self, message: str) -> None:
        self.stderr.write(f"错误：{message}")
        raise SystemExit(1)

    def _run(self, words: list[str]) -> None:
        calendar = selectors.work_calendar()
        if len(words) == 3 and words[0] == "add":
            start = parse_date(words[1])
            n = parse_count(words[2], label="工作日数")
            counted = calendar.add_workdays(start, n)
            self.stdout.write(counted.date.isoformat())
            if counted.unconfirmed:
                self.stderr.write(
                    "注意：计算经过尚未录入官方节假日安排的年份，已按星期一至星期五为工作日计算，"
                    "结果未经确认。"
                )
        elif len(words) == 2 and words[0] == "check":
            self.stdout.write(calendar.day_status(parse_date(words[1])))
        else:
            self._fail(USAGE)
