"""The audit and login logs as Excel workbooks (openpyxl, streamed row by row).

Times are real Excel dates in local time (Asia/Shanghai); the header row stays frozen. Text that
came from outside — a typed username, a browser's user agent — is written as text, never as a
formula, and loses the control characters a workbook cannot hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .labels import action_label, channel_label, object_type_label, tier_label
from .models import AuditEntry, LoginEvent

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_BOLD = Font(bold=True)

AUDIT_COLUMNS = (
    ("序号", 10),
    ("时间", 20),
    ("操作人", 16),
    ("所在机构", 28),
    ("操作", 20),
    ("操作代码", 28),
    ("对象类型", 18),
    ("对象编号", 12),
    ("密级层次", 16),
    ("内容", 40),
    ("哈希", 66),
)
LOGIN_COLUMNS = (
    ("时间", 20),
    ("用户名", 16),
    ("结果", 8),
    ("说明", 24),
    ("地址", 18),
    ("渠道", 8),
    ("浏览器", 60),
)


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # "=..." typed at the login form stays text, not a formula
        return cell
    return value


def _workbook(
    title: str, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]]
) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def audit_entries_workbook(entries: QuerySet[AuditEntry]) -> bytes:
    return _workbook(
        "审计日志",
        AUDIT_COLUMNS,
        (
            (
                e.seq,
                e.at,
                e.actor_name,
                e.org.name if e.org else "",
                action_label(e.action),
                e.action,
                object_type_label(e.object_type),
                e.object_id,
                tier_label(e.tier),
                json.dumps(e.payload, ensure_ascii=False, sort_keys=True) if e.payload else "",
                e.hash,
            )
            for e in entries.iterator(chunk_size=2_000)
        ),
    )


def login_events_workbook(events: QuerySet[LoginEvent]) -> bytes:
    return _workbook(
        "登录日志",
        LOGIN_COLUMNS,
        (
            (
                e.at,
                e.username,
                "成功" if e.success else "失败",
                e.reason,
                e.ip_address or "",
                channel_label(e.channel),
                e.user_agent,
            )
            for e in events.iterator(chunk_size=2_000)
        ),
    )
