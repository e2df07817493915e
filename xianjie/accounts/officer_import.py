"""Officer registry import from Excel (行政执法人员台账, 第四条: 姓名、职务、执法证编号).

Offices keep their officers in spreadsheets; this reads one sheet laid out like the template.
Every row and column is checked before anything is written, every problem is reported as
"第7行 执法证号：…" (row numbers as Excel shows them), and one bad cell imports nothing.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, FileTooLarge, FileTypeRefused, InvalidInput

from .models import CertStatus, Officer, Org, OrgKind, Role, User
from .selectors import enforcement_orgs
from .services import officer_problems
from .services._base import require_role

#: Template columns: header → field. The order is the template's; a sheet may reorder them.
COLUMNS = {
    "姓名": "name",
    "所在执法机关": "org",
    "职务": "post",
    "执法证号": "cert_no",
    "证件状态": "cert_status",
    "有效期起": "valid_from",
    "有效期至": "valid_until",
}
HEADER_OF = {field: header for header, field in COLUMNS.items()}
STATUS_BY_LABEL = {str(label): value for value, label in CertStatus.choices}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: Beyond this many problems the list stops growing; the first ones are enough to fix the sheet.
MAX_REPORTED = 200
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "执法人员导入模板.xlsx"


def officer_import_template() -> bytes:
    """The .xlsx to fill in: the headers, a drop-down for 证件状态, and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "执法人员"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDEFG", (12, 30, 16, 22, 10, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    statuses = DataValidation(type="list", formula1='"' + ",".join(STATUS_BY_LABEL) + '"')
    statuses.add(f"E2:E{MAX_ROWS + 1}")
    sheet.add_data_validation(statuses)
    for column in ("D", "F", "G"):
        for row in range(2, 202):
            sheet[f"{column}{row}"].number_format = "@" if column == "D" else "yyyy-mm-dd"
    notes = workbook.create_sheet("填写说明")
    for line in (
        ("栏目", "说明"),
        ("姓名", "必填，不超过50个字。"),
        ("所在执法机关", "必填，填写已登记的行政执法机关的全称或文号代字。"),
        ("职务", "选填，不超过50个字。"),
        ("执法证号", "必填，1至32位数字或大写字母，不得与已登记或本表其他行重复。"),
        ("证件状态", "必填，有效、暂扣、吊销或注销。"),
        ("有效期起、有效期至", "选填，日期格式如2026-01-01；有效期至不得早于有效期起。"),
        ("其他", f"每次最多导入{MAX_ROWS}行；任何一处有误则全部不导入，请按提示修改后重新上传。"),
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"file": [message]})


def _read_rows(upload: IO[bytes]) -> list[tuple[int, tuple[Any, ...]]]:
    """The sheet's data rows with their Excel row numbers; a malformed file is refused."""
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise _refuse("文件为空，请选择填好的模板。")
    if len(data) > MAX_BYTES:
        message = f"文件超过{MAX_BYTES // (1024 * 1024)}MB，请分批导入。"
        raise FileTooLarge(message, errors={"file": [message]})
    not_xlsx = "文件不是Excel（.xlsx）格式，请使用下载的模板。"
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileTypeRefused(not_xlsx, errors={"file": [not_xlsx]})
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged package
        raise FileTypeRefused(not_xlsx, errors={"file": [not_xlsx]}) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [_text(value) for value in next(rows, ())]
    while headers and not headers[-1]:
        headers.pop()
    if sorted(headers) != sorted(COLUMNS):
        raise _refuse("表头应为：" + "、".join(COLUMNS) + "（请使用下载的模板）。")
    data_rows = [
        (number, dict(zip(headers, values, strict=False)))
        for number, values in enumerate(rows, start=2)
        if any(_text(value) for value in values)
    ]
    if not data_rows:
        raise _refuse("表格中没有执法人员数据。")
    if len(data_rows) > MAX_ROWS:
        raise _refuse(f"每次最多导入{MAX_ROWS}行，请分批导入。")
    return [(number, tuple(row.get(h) for h in COLUMNS)) for number, row in data_rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A long number typed into a general cell comes back as a float: 14110012345.0.
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> tuple[date | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, str):
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), fmt).date(), None
            except ValueError:
                continue
    return None, "日期格式不正确，应如2026-01-01。"


class _OrgIndex:
    """Enforcement orgs found by full name or 文号代字; a name that fits two orgs is ambiguous."""

    def __init__(self, actor: User | None):
        orgs: QuerySet[Org] = (
            enforcement_orgs(user=actor)
            if actor is not None
            else Org.objects.filter(is_active=True, kind=OrgKind.ENFORCEMENT)
        )
        self.by_key: dict[str, list[Org]] = {}
        for org in orgs:
            for key in {org.name, org.code}:
                self.by_key.setdefault(key, []).append(org)

    def find(self, key: str) -> tuple[Org | None, str | None]:
        found = self.by_key.get(key, [])
        if len(found) == 1:
            return found[0], None
        if found:
            return None, "对应多个机构，请填写机构全称。"
        return None, f"未找到名为“{key}”的行政执法机关。"


def _parse(rows: list[tuple[int, tuple[Any, ...]]], actor: User | None) -> list[dict[str, Any]]:
    orgs = _OrgIndex(actor)
    problems: list[str] = []
    records: list[dict[str, Any]] = []
    first_row_of: dict[str, int] = {}

    def report(number: int, field: str, message: str) -> None:
        problems.append(f"第{number}行 {HEADER_OF[field]}：{message}")

    for number, cells in rows:
        raw = dict(zip(COLUMNS.values(), cells, strict=True))
        values: dict[str, Any] = {f: _text(raw[f]) for f in ("name", "post", "cert_no")}
        org_key, status_label = _text(raw["org"]), _text(raw["cert_status"])
        values["org"], org_problem = orgs.find(org_key) if org_key else (None, None)
        values["cert_status"] = STATUS_BY_LABEL.get(status_label, status_label)
        date_problems = {}
        for field in ("valid_from", "valid_until"):
            values[field], date_problems[field] = _date(raw[field])
        row_problems = officer_problems(values)
        if org_problem:
            row_problems["org"] = [org_problem]
        if not status_label:
            row_problems["cert_status"] = ["此项必填。"]
        for field, problem in date_problems.items():
            if problem:
                row_problems[field] = [problem]
        cert_no = values["cert_no"]
        if "cert_no" not in row_problems:
            if cert_no in first_row_of:
                row_problems["cert_no"] = [f"与第{first_row_of[cert_no]}行重复。"]
            else:
                first_row_of[cert_no] = number
        for field in COLUMNS.values():
            for message in row_problems.get(field, []):
                report(number, field, message)
        records.append(values)
    registered = set(
        Officer.objects.filter(cert_no__in=list(first_row_of)).values_list("cert_no", flat=True)
    )
    for cert_no in sorted(registered, key=first_row_of.__getitem__):
        report(first_row_of[cert_no], "cert_no", f"{cert_no}已登记，不能重复导入。")
    if problems:
        problems.sort(key=lambda text: int(text[1 : text.index("行")]))
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"……另有{len(problems) - MAX_REPORTED}处错误未列出。")
        raise InvalidInput(
            f"导入文件有{len(problems)}处错误，未导入任何数据。", errors={"file": shown}
        )
    return records


def officer_import(*, file: IO[bytes], actor: User | None) -> int:
    """Import every row or none; one audit entry records the count. Answers the count."""
    require_role(actor, Role.SYSADMIN)
    rows = _read_rows(file)
    with transaction.atomic():
        records = _parse(rows, actor)
        try:
            with transaction.atomic():
                created = Officer.objects.bulk_create(Officer(**values) for values in records)
        except IntegrityError:
            raise Conflict("导入期间有执法证号被他人登记，请重新上传。") from None
        audit_record(
            actor=actor,
            action="officer.import",
            object_type="accounts.officer",
            payload={"count": len(created)},
        )
    return len(created)
