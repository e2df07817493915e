"""`xianjie workdays add` / `check` (CONTRACT.md): exact output, Chinese errors, exit codes."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("workdays", *args, stdout=StringIO(), stderr=err)
    assert exc.value.code == 1
    return err.getvalue()


def test_add_prints_the_iso_date_after_national_day():
    assert run("add", "2026-09-29", "5") == ("2026-10-12\n", "")


def test_add_into_an_unconfirmed_year_notes_it_on_stderr():
    out, err = run("add", "2026-12-30", "3")
    assert out == "2027-01-04\n"
    assert "尚未录入官方节假日安排" in err


@pytest.mark.parametrize(
    ("day", "status"),
    [("2026-02-14", "workday"), ("2026-10-03", "restday"), ("2027-03-01", "unconfirmed")],
)
def test_check_prints_exactly_the_status(day, status):
    assert run("check", day) == (f"{status}\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "2026-02-30"), "错误：日期无效：2026-02-30 这一天不存在。"),
        (("check", "26-2-1"), "错误：日期格式应为 YYYY-MM-DD，例如 2026-10-08。"),
        (("check", "1899-12-31"), "错误：日期超出工作日历范围（1900年至2100年）。"),
        (("add", "2026-09-29", "五"), "错误：工作日数应为 0 至 3650 之间的整数。"),
        (("add", "2026-09-29", "-1"), "错误：工作日数应为 0 至 3650 之间的整数。"),
        (("add", "2026-09-29"), "错误：用法：xianjie workdays add YYYY-MM-DD N"),
        ((), "错误：用法："),
        (("count", "2026-09-29"), "错误：用法："),
    ],
)
def test_bad_input_exits_1_with_a_chinese_message(args, message):
    assert fails(*args).startswith(message)
