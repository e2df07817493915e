"""`xianjie sweep`: the periodic work — overdue marks, reminders, clean-up. Safe to run any number
of times; each message goes out once (CONTRACT.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xianjie.core.sweep import sweep_tasks


class Command(BaseCommand):
    help = "定时巡检：标记逾期时限、发送临期提醒、清理残留文件；可重复执行，提醒不会重复发送。"

    def handle(self, *args: Any, **options: Any) -> None:
        results = [f"{label} {task()}" for label, task in sweep_tasks()]
        self.stdout.write("巡检完成：" + "，".join(results) + "。")
