"""Excel exports of the two logs: Chinese headers, frozen header row, local-time Excel dates,
the page's filters applied, and the export itself recorded in the audit chain."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xianjie.audit import services
from xianjie.audit.models import AuditEntry, LoginEvent
from xianjie.audit.verify import verify_chain

from .conftest import record_at

pytestmark = pytest.mark.django_db

AUDIT_HEADERS = [
    "序号",
    "时间",
    "操作人",
    "所在机构",
    "操作",
    "操作代码",
    "对象类型",
    "对象编号",
    "密级层次",
    "内容",
    "哈希",
]
LOGIN_HEADERS = ["时间", "用户名", "结果", "说明", "地址", "渠道", "浏览器"]


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.getvalue())).active


def _export(client, name, **params):
    return client.get(reverse(name) + ("?" + urlencode(params) if params else ""))


@pytest.fixture
def log(jw_clerk, sysadmin):
    return [
        record_at(
            datetime(2026, 11, 26, 23, 30, 5, tzinfo=UTC),
            actor=jw_clerk,
            action="referral.submit",
            object_type="accounts.user",
            object_id="7",
            tier=3,
            payload={"status": "sent", "文号": "文纪移〔2026〕3号"},
        ),
        record_at(
            datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
            actor=sysadmin,
            action="officer.import",
            object_type="accounts.officer",
            object_id="12",
        ),
    ]


def test_audit_log_export_has_chinese_headers_local_dates_and_a_frozen_header(
    client, auditor, log, county
):
    client.force_login(auditor)
    sheet = _sheet(_export(client, "audit:entries_export"))
    rows = list(sheet.values)
    assert list(rows[0]) == AUDIT_HEADERS
    assert sheet.freeze_panes == "A2"
    assert [row[0] for row in rows[1:]] == [2, 1]
    first = rows[2]
    assert first[1] == datetime(2026, 11, 27, 7, 30, 5)  # Asia/Shanghai, a real date cell
    assert sheet.cell(row=3, column=2).is_date
    assert first[2:4] == ("jw.clerk", county["jw"].name)
    assert first[5:9] == ("referral.submit", "用户", "7", "涉案类保密信息")
    assert "文纪移〔2026〕3号" in first[9]
    assert first[10] == log[0].hash


def test_audit_log_export_applies_the_filters(client, auditor, log):
    client.force_login(auditor)
    sheet = _sheet(
        _export(client, "audit:entries_export", actor="sysadmin", date_from="2026-11-27")
    )
    rows = list(sheet.values)[1:]
    assert [(row[0], row[5]) for row in rows] == [(2, "officer.import")]


def test_audit_log_export_is_recorded_in_the_chain(client, auditor, log):
    client.force_login(auditor)
    _export(client, "audit:entries_export", tier="3")
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None
    assert (entry.action, entry.actor_id, entry.object_type) == (
        "audit.export",
        auditor.pk,
        "audit.auditentry",
    )
    assert entry.payload == {"rows": 1, "filters": {"tier": 3}}
    assert verify_chain().ok


def test_login_log_export_has_the_rows_asked_for(client, auditor):
    LoginEvent.objects.create(
        username="jw.clerk",
        success=True,
        ip_address="10.1.2.3",
        user_agent="Mozilla/5.0",
        channel="web",
    )
    failure = LoginEvent.objects.create(
        username="nobody",
        success=False,
        reason="用户名或密码错误",
        ip_address="192.168.9.9",
        channel="api",
    )
    LoginEvent.objects.filter(pk=failure.pk).update(at=datetime(2026, 11, 27, 16, 5, tzinfo=UTC))
    client.force_login(auditor)
    sheet = _sheet(_export(client, "audit:login_events_export", outcome="failure"))
    rows = list(sheet.values)
    assert list(rows[0]) == LOGIN_HEADERS
    assert sheet.freeze_panes == "A2"
    assert rows[1:] == [
        (
            datetime(2026, 11, 28, 0, 5),
            "nobody",
            "失败",
            "用户名或密码错误",
            "192.168.9.9",
            "接口",
            None,
        ),
    ]
    entry = AuditEntry.objects.get(action="audit.export")
    assert entry.object_type == "audit.loginevent"
    assert entry.payload == {"rows": 1, "filters": {"outcome": "failure"}}


def test_text_typed_by_outsiders_stays_text_in_the_workbook(client, auditor):
    # A username or user agent is whatever a stranger typed: no formulas, no control characters.
    LoginEvent.objects.create(
        username='=HYPERLINK("http://x.invalid","点此")', success=False, user_agent="bot\x07\x1b[0m"
    )
    client.force_login(auditor)
    sheet = _sheet(_export(client, "audit:login_events_export"))
    username, agent = sheet.cell(row=2, column=2), sheet.cell(row=2, column=7)
    assert username.data_type == "s"
    assert username.value == '=HYPERLINK("http://x.invalid","点此")'
    assert agent.value == "bot[0m"


def test_export_with_a_bad_filter_writes_nothing(client, auditor, log):
    client.force_login(auditor)
    response = _export(client, "audit:entries_export", date_from="not-a-date")
    assert response.status_code == 400
    assert "输入一个有效的日期" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_export_over_the_limit_is_refused_and_not_recorded(client, auditor, log, monkeypatch):
    monkeypatch.setattr(services, "EXPORT_LIMIT", 1)
    client.force_login(auditor)
    response = _export(client, "audit:entries_export")
    assert response.status_code == 400
    assert "超过单次导出上限 1 条，请缩小筛选范围" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit.export").exists()
