"""The evidence document of an A10 flag (第十三条（十）): 监督文书及履行情况.

When a flag is turned into a referral, the commission receives — as the referral's evidence —
the act's full text and what became of it: the report deadline, every step of the task and the
unit's reports (or the fact that there were none). Built with python-docx on A4 with the margins
of GB/T 9704-2012, in 仿宋 with 黑体 headings, dates written 2026年11月27日.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .models import ComplianceFlag, Rectification, SupervisionAct
from .selectors.supervision import TaskHistory

TITLE = "监督文书及履行情况"
FILENAME = f"{TITLE}.docx"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def cn_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_time(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{cn_date(local)} {local:%H:%M}"


def _font(run_or_style: Any, name: str, size: float | None = None) -> None:
    run_or_style.font.name = name
    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run_or_style.font.size = Pt(size)


def _document() -> Any:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _font(document.styles["Normal"], BODY_FONT, 16)
    return document


def _heading(document: Any, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    _font(run, HEADING_FONT, 16)


def _field(document: Any, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    label_run = paragraph.add_run(f"{label}：")
    label_run.bold = True
    paragraph.add_run(value or "—")


def _table(document: Any, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _act_text(document: Any, act: SupervisionAct, due: date | None) -> None:
    _heading(document, "一、监督文书")
    _field(document, "文号", act.number)
    kind = act.get_kind_display()
    if act.decision_type:
        kind = f"{kind}（{act.get_decision_type_display()}）"
    _field(document, "文书类别", kind)
    _field(document, "制发机关", act.issuer_org.name)
    _field(document, "主送（被监督单位）", act.target_org.name)
    issued_by = act.issued_by.display_name if act.issued_by else "—"
    _field(document, "签发", f"{issued_by}，{cn_date(act.issued_at)}")
    if act.notice_id and act.notice is not None:
        _field(document, "未履行的监督通知书", act.notice.number)
    _field(document, "存在的问题", act.problem)
    _field(document, "依据", act.basis)
    _field(document, "监督意见和要求", act.requirement)
    _field(
        document,
        "整改（履行）期限",
        f"{act.period_days}日，应于{cn_date(due)}前书面报告整改（履行）情况",
    )


def _history(document: Any, history: TaskHistory) -> None:
    _heading(document, "二、整改（履行）时限")
    _table(
        document,
        ("时限", "起算日期", "到期日期", "状态"),
        [
            (
                clock.parameter.label,
                cn_date(clock.start_date),
                cn_date(clock.due_date),
                clock.get_state_display(),
            )
            for clock in history.clocks
        ],
    )
    _heading(document, "三、办理记录")
    _table(
        document,
        ("时间", "操作", "操作人", "办理后状态"),
        [
            (
                cn_time(event.at),
                event.get_transition_display(),
                event.actor.display_name if event.actor else "系统",
                event.get_to_status_display(),
            )
            for event in history.events
        ],
    )
    _heading(document, "四、整改（履行）报告")
    if not history.reports:
        document.add_paragraph("被监督单位未报送任何整改进展或整改（履行）报告。")
        return
    _table(
        document,
        ("报告时间", "类别", "报告人", "内容"),
        [
            (cn_time(r.at), r.get_kind_display(), r.author.display_name, r.text)
            for r in history.reports
        ],
    )


def flag_evidence_docx(
    flag: ComplianceFlag, act: SupervisionAct, task: Rectification, history: TaskHistory
) -> bytes:
    """The .docx bytes of the evidence of `flag`."""
    document = _document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(TITLE), HEADING_FONT, 22)
    note = document.add_paragraph(
        f"（据衔接平台记录生成，{cn_date(timezone.localdate())}；整改任务：{task.title}）"
    )
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    due = history.clocks[0].due_date if history.clocks else flag.due_date
    _act_text(document, act, due)
    _history(document, history)
    _heading(document, "五、标记情况")
    document.add_paragraph(
        f"{act.target_org.name}未在{cn_date(flag.due_date)}前书面报告{act.number}的整改（履行）"
        f"情况，系统于{cn_time(flag.flagged_at)}依据《文水县行政执法监督与纪检监察监督工作衔接"
        "机制（试行）》第十三条第（十）项标记为A10（不执行或者不报告《行政执法监督通知书》和"
        "《行政执法监督决定书》）。"
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
