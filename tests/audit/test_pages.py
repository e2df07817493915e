"""The auditor's pages: the audit log and the login log, filters in the URL, pagination, and the
chain verification button (SCENARIOS.md story 7)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianjie.audit import labels
from xianjie.audit.models import AuditEntry, LoginEvent

from .conftest import append_only_off, record_at

pytestmark = pytest.mark.django_db


def _login_event(when: datetime, **fields) -> LoginEvent:
    fields = {"username": "jw.clerk", "success": True, "ip_address": "10.1.2.3"} | fields
    event = LoginEvent.objects.create(**fields)
    LoginEvent.objects.filter(pk=event.pk).update(at=when)  # `at` is auto_now_add
    return event


@pytest.fixture
def log(jw_clerk, sysadmin):
    """Three days of entries; in Asia/Shanghai local time, 26 Nov 23:30 UTC is 27 Nov 07:30."""
    return [
        record_at(
            datetime(2026, 11, 25, 2, 0, tzinfo=UTC),
            actor=jw_clerk,
            action="referral.submit",
            object_type="accounts.user",
            object_id="7",
            tier=3,
            payload={"status": "sent"},
        ),
        record_at(
            datetime(2026, 11, 26, 23, 30, tzinfo=UTC),
            actor=sysadmin,
            action="officer.import",
            object_type="accounts.officer",
            object_id="12",
        ),
        record_at(
            datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
            actor=jw_clerk,
            action="referral.approve",
            object_type="accounts.user",
            object_id="8",
            tier=2,
        ),
    ]


def _get(client, name, **params):
    return client.get(reverse(name) + ("?" + urlencode(params) if params else ""))


def _shown_seqs(response) -> list[int]:
    return [row["entry"].seq for row in response.context["rows"]]


def test_auditor_reads_the_audit_log_newest_first(client, auditor, log):
    client.force_login(auditor)
    response = _get(client, "audit:entries")
    assert response.status_code == 200
    assert _shown_seqs(response) == [3, 2, 1]
    page = response.content.decode()
    assert "审计日志" in page and "校验审计链" in page and "导出电子表格" in page
    assert "涉案类保密信息" in page
    assert "2026-11-27 07:30:00" in page  # shown in local time


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2026-11-27"}, [3, 2]),
        ({"date_to": "2026-11-26"}, [1]),
        ({"date_from": "2026-11-27", "date_to": "2026-11-27"}, [3, 2]),
        ({"actor": "jw."}, [3, 1]),
        ({"action": "referral"}, [3, 1]),
        ({"action": "referral.approve"}, [3]),
        ({"object_type": "accounts.officer"}, [2]),
        ({"object_type": "accounts.user", "object_id": "7"}, [1]),
        ({"tier": "3"}, [1]),
        ({"actor": "jw.clerk", "tier": "2"}, [3]),
    ],
)
def test_audit_log_filters_apply(client, auditor, log, params, expected):
    client.force_login(auditor)
    response = _get(client, "audit:entries", **params)
    assert response.status_code == 200
    assert _shown_seqs(response) == expected


def test_audit_log_bad_filter_is_explained_and_keeps_the_typed_values(client, auditor, log):
    client.force_login(auditor)
    response = _get(
        client,
        "audit:entries",
        date_from="2026-11-28",
        date_to="2026-11-01",
        actor="jw.clerk",
        tier="9",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "筛选条件有误，请按提示修改。" in page
    assert "截止日期不能早于起始日期。" in page
    assert 'value="jw.clerk"' in page
    assert response.context["form"].errors.keys() == {"date_to", "tier"}
    assert response.context["rows"] == []


def test_audit_log_paginates_and_keeps_the_filters(client, auditor):
    for n in range(55):
        record_at(datetime(2026, 11, 27, 1, 0, n, tzinfo=UTC), action="test.event")
    client.force_login(auditor)
    response = _get(client, "audit:entries", action="test", page="2")
    assert _shown_seqs(response) == [5, 4, 3, 2, 1]
    page = response.content.decode()
    assert "第 2 / 2 页" in page
    assert "?action=test&amp;page=1" in page
    assert 'href="/audit/export?action=test"' in page  # the export takes the filters, not the page


def test_login_log_filters_apply(client, auditor):
    _login_event(datetime(2026, 11, 26, 1, 0, tzinfo=UTC), username="jw.clerk")
    _login_event(
        datetime(2026, 11, 27, 2, 0, tzinfo=UTC),
        username="jw.clerk",
        success=False,
        reason="用户名或密码错误",
        ip_address="192.168.9.9",
    )
    _login_event(
        datetime(2026, 11, 27, 3, 0, tzinfo=UTC), username="sf.leader", ip_address="10.1.7.7"
    )
    client.force_login(auditor)

    def usernames_and_addresses(**params):
        response = _get(client, "audit:login_events", **params)
        assert response.status_code == 200
        return [(r["event"].username, r["event"].ip_address) for r in response.context["rows"]]

    assert len(usernames_and_addresses()) == 3
    assert usernames_and_addresses(outcome="failure") == [("jw.clerk", "192.168.9.9")]
    assert usernames_and_addresses(outcome="success", username="jw") == [("jw.clerk", "10.1.2.3")]
    assert usernames_and_addresses(address="10.1.") == [
        ("sf.leader", "10.1.7.7"),
        ("jw.clerk", "10.1.2.3"),
    ]
    assert usernames_and_addresses(date_from="2026-11-27") == [
        ("sf.leader", "10.1.7.7"),
        ("jw.clerk", "192.168.9.9"),
    ]
    page = _get(client, "audit:login_events", outcome="failure").content.decode()
    assert "用户名或密码错误" in page and "失败" in page


def test_verify_button_reports_an_intact_chain_and_is_audited(client, auditor, log):
    client.force_login(auditor)
    back = reverse("audit:entries") + "?tier=3"
    response = client.post(reverse("audit:verify"), {"next": back}, follow=True)
    assert response.redirect_chain == [(back, 302)]
    assert "审计链校验通过：共 3 条记录。" in response.content.decode()
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None
    assert (entry.action, entry.actor_id) == ("audit.verify", auditor.pk)


def test_verify_button_names_the_first_bad_entry(client, auditor, log):
    with append_only_off() as raw:
        raw.filter(seq=2).update(object_id="99")
    client.force_login(auditor)
    response = client.post(reverse("audit:verify"), follow=True)
    assert "审计链校验失败：第 2 条记录的哈希与其内容不符" in response.content.decode()


def test_verify_button_never_redirects_off_site(client, auditor):
    client.force_login(auditor)
    response = client.post(reverse("audit:verify"), {"next": "https://example.com/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:entries")


def test_verify_needs_post(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("audit:verify")).status_code == 405


@pytest.mark.parametrize(
    "name",
    ["audit:entries", "audit:login_events", "audit:entries_export", "audit:login_events_export"],
)
def test_anonymous_visitor_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_actions_are_shown_by_their_registered_chinese_label(client, auditor, log, monkeypatch):
    monkeypatch.setattr(labels, "_action_labels", dict(labels._action_labels))
    labels.register_action_labels({"officer.import": "导入执法人员"})
    client.force_login(auditor)
    page = _get(client, "audit:entries").content.decode()
    assert "导入执法人员" in page
    assert "referral.submit" in page  # no label registered: the code itself


@pytest.mark.parametrize("name", ["audit:entries", "audit:login_events"])
def test_log_pages_query_count_does_not_grow_with_rows(client, auditor, jw_clerk, name):
    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    client.force_login(auditor)
    record_at(datetime(2026, 11, 27, 1, 0, tzinfo=UTC), actor=jw_clerk)
    _login_event(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))
    few = queries_for_a_page()
    for minute in range(1, 30):
        record_at(datetime(2026, 11, 27, 1, minute, tzinfo=UTC), actor=jw_clerk)
        _login_event(datetime(2026, 11, 27, 1, minute, tzinfo=UTC))
    assert queries_for_a_page() == few
