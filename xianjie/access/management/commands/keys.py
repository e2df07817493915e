"""`xianjie keys rotate NEW_KEY_FILE`: re-wrap every data key under a new master key.

Run it with the service stopped (or read-only), then point XIANJIE_MASTER_KEY_FILE at the new
file and restart. It runs in one transaction: on any error nothing is changed and the old key
stays valid. `xianjie keys generate FILE` writes a fresh key file (0600).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xianjie.audit.services import audit_record
from xianjie.core import crypto


class Command(BaseCommand):
    help = "管理第三层级数据的主密钥：generate 生成新密钥文件，rotate 以新主密钥重新封装数据密钥。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="生成新的主密钥文件")
        generate.add_argument("key_file")
        rotate = sub.add_parser("rotate", help="以新的主密钥重新封装全部数据密钥")
        rotate.add_argument("new_key_file")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            path = Path(options["key_file"])
            if path.exists():
                raise CommandError(f"文件已存在，未覆盖：{path}")
            crypto.generate_master_key_file(path)
            self.stdout.write(f"已生成主密钥文件：{path}（权限 0600，请妥善保管并备份）")
            return
        new = crypto.MasterKey.from_file(Path(options["new_key_file"]))
        old = crypto.master_key()
        if new.kek_id == old.kek_id:
            raise CommandError("新密钥与当前主密钥相同。")
        try:
            with transaction.atomic():
                counts = {label: rewrap(old, new) for label, rewrap in crypto.key_holders()}
                audit_record(
                    actor=None,
                    action="keys.rotate",
                    payload={"from": old.kek_id, "to": new.kek_id, "counts": counts},
                )
        except crypto.DecryptionError as error:
            raise CommandError(f"重新封装失败，未作任何改动：{error}") from error
        summary = "，".join(f"{label} {n} 条" for label, n in counts.items()) or "无数据"
        self.stdout.write(f"已重新封装：{summary}。")
        self.stdout.write(
            "请将 XIANJIE_MASTER_KEY_FILE 指向新密钥文件后重启服务，并安全保存旧密钥备份。"
        )
