"""`xianjie audit verify` (CONTRACT.md): exit 0 and print the entry count, or exit 1 and print
the first bad entry."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xianjie.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "审计链：verify 逐条校验哈希与链接，发现第一条异常记录即报告并以状态 1 退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("verify", help="校验整条审计链")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify(actor=None)
        if report.ok:
            self.stdout.write(report.message)
            return
        self.stderr.write(report.message)
        sys.exit(1)
