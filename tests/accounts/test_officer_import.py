"""Officer import from Excel: every row checked first, one bad cell imports nothing."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from xianjie.accounts.models import Officer
from xianjie.accounts.officer_import import COLUMNS, officer_import, officer_import_template
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import FileTooLarge, FileTypeRefused, InvalidInput, NotPermitted

from ..factories import OfficerFactory

HEADERS = list(COLUMNS)


def _row(n, **overrides):
    row = {
        "姓名": f"执法员{n}",
        "所在执法机关": "文水县市场监督管理局",
        "职务": "执法队员",
        "执法证号": f"1411009{n:04d}",
        "证件状态": "有效",
        "有效期起": date(2024, 1, 1),
        "有效期至": "2028-12-31",
    }
    return [(row | overrides)[h] for h in HEADERS]


def _xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _errors(refused):
    return refused.value.errors["file"]


@pytest.mark.article(4)
def test_good_sheet_imports_every_row_with_one_audit_entry(sysadmin, county):
    rows = [_row(n) for n in range(1, 9)]
    rows[3] = _row(4, 所在执法机关="文交", 证件状态="暂扣", 有效期起="2025/3/1", 有效期至=None)
    assert officer_import(file=_xlsx(rows), actor=sysadmin) == 8
    assert Officer.objects.count() == 8
    fourth = Officer.objects.get(cert_no="14110090004")
    assert (fourth.org, fourth.cert_status) == (county["jt_dept"], "suspended")
    assert (fourth.valid_from, fourth.valid_until) == (date(2025, 3, 1), None)
    entry = AuditEntry.objects.get(action="officer.import")
    assert entry.payload == {"count": 8}
    assert entry.actor_id == sysadmin.pk


def test_long_number_typed_as_a_number_is_read_as_text(sysadmin, county):
    rows = [_row(1, 执法证号=14110012345), _row(2, 执法证号=14110012346.0)]
    officer_import(file=_xlsx(rows), actor=sysadmin)
    assert set(Officer.objects.values_list("cert_no", flat=True)) == {"14110012345", "14110012346"}


def test_bad_cert_no_in_row_7_refused_and_nothing_imported(sysadmin, county):
    rows = [_row(n) for n in range(1, 9)]
    rows[5] = _row(6, 执法证号="1411-00abc")  # the sixth data row is Excel row 7
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        officer_import(file=_xlsx(rows), actor=sysadmin)
    assert _errors(refused) == ["第7行 执法证号：格式不正确，应为1至32位数字或大写字母。"]
    assert "未导入任何数据" in refused.value.detail
    assert not Officer.objects.exists()
    assert AuditEntry.objects.count() == before


def test_every_problem_reported_with_row_and_column(sysadmin, county):
    OfficerFactory(org=county["sj_dept"], cert_no="14110090003")
    rows = [
        _row(1, 姓名="", 职务="科" * 51),
        _row(2, 所在执法机关="文水县司法局"),
        _row(3),
        _row(4, 执法证号="14110090002"),
        _row(5, 证件状态="过期", 有效期起="2026-13-01"),
        _row(6, 证件状态=None, 有效期起=datetime(2027, 1, 1), 有效期至=date(2026, 1, 1)),
        _row(7, 所在执法机关=""),
    ]
    with pytest.raises(InvalidInput) as refused:
        officer_import(file=_xlsx(rows), actor=sysadmin)
    assert _errors(refused) == [
        "第2行 姓名：此项必填。",
        "第2行 职务：不能超过50个字。",
        "第3行 所在执法机关：未找到名为“文水县司法局”的行政执法机关。",
        "第4行 执法证号：14110090003已登记，不能重复导入。",
        "第5行 执法证号：与第3行重复。",
        "第6行 证件状态：应为有效、暂扣、吊销或注销。",
        "第6行 有效期起：日期格式不正确，应如2026-01-01。",
        "第7行 证件状态：此项必填。",
        "第7行 有效期至：不得早于有效期起。",
        "第8行 所在执法机关：此项必填。",
    ]
    assert Officer.objects.count() == 1


def test_blank_rows_are_skipped_but_row_numbers_kept(sysadmin, county):
    rows = [_row(1), [None] * 7, _row(3, 执法证号="bad")]
    with pytest.raises(InvalidInput) as refused:
        officer_import(file=_xlsx(rows), actor=sysadmin)
    assert _errors(refused) == ["第4行 执法证号：格式不正确，应为1至32位数字或大写字母。"]


def test_columns_may_come_in_another_order(sysadmin, county):
    headers = list(reversed(HEADERS))
    officer_import(file=_xlsx([list(reversed(_row(1)))], headers=headers), actor=sysadmin)
    assert Officer.objects.get().name == "执法员1"


def test_wrong_headers_refused(sysadmin, county):
    with pytest.raises(InvalidInput) as refused:
        officer_import(
            file=_xlsx([_row(1)], headers=["姓名", "单位", *HEADERS[2:]]), actor=sysadmin
        )
    assert _errors(refused) == ["表头应为：" + "、".join(HEADERS) + "（请使用下载的模板）。"]
    assert not Officer.objects.exists()


def test_sheet_without_data_refused(sysadmin, county):
    with pytest.raises(InvalidInput) as refused:
        officer_import(file=_xlsx([]), actor=sysadmin)
    assert _errors(refused) == ["表格中没有执法人员数据。"]


def test_not_an_xlsx_file_refused(sysadmin, county):
    with pytest.raises(FileTypeRefused) as refused:
        officer_import(file=io.BytesIO("姓名,执法证号\n王某某,1\n".encode()), actor=sysadmin)
    assert _errors(refused) == ["文件不是Excel（.xlsx）格式，请使用下载的模板。"]


def test_zip_that_is_not_a_workbook_refused(sysadmin, county):
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "不是表格")
    data.seek(0)
    with pytest.raises(FileTypeRefused):
        officer_import(file=data, actor=sysadmin)


def test_empty_file_refused(sysadmin, county):
    with pytest.raises(InvalidInput) as refused:
        officer_import(file=io.BytesIO(b""), actor=sysadmin)
    assert _errors(refused) == ["文件为空，请选择填好的模板。"]


def test_oversized_file_refused(sysadmin, county, monkeypatch):
    monkeypatch.setattr("xianjie.accounts.officer_import.MAX_BYTES", 100)
    with pytest.raises(FileTooLarge):
        officer_import(file=_xlsx([_row(1)]), actor=sysadmin)


def test_import_refused_to_anyone_but_sysadmin(secadmin, county):
    with pytest.raises(NotPermitted):
        officer_import(file=_xlsx([_row(1)]), actor=secadmin)
    assert not Officer.objects.exists()


def test_template_has_the_chinese_headers_and_imports_once_filled(sysadmin, county):
    workbook = load_workbook(io.BytesIO(officer_import_template()))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert workbook.sheetnames == ["执法人员", "填写说明"]
    sheet.append(_row(1, 执法证号="14110012345"))
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    assert officer_import(file=filled, actor=sysadmin) == 1
