"""The pages of access requests (第十一条 严格审批共享): the list with tabs, filters in the URL
and pages; the request form (prefilled, keeping what was typed, refusals on their fields); the
detail with its timeline, the moves and the link to the grant; the owner's reader log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xianjie.access.grants import grant_open, grant_use_record
from xianjie.access.models import AccessRequest

from .grantable_fixtures import *  # noqa: F403
from .grantable_fixtures import KIND, PURPOSE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

NEW = "/access/requests/new/"


def login(client, user):
    client.force_login(user)
    return client


def test_the_list_pages_and_keeps_its_filters_in_the_links(make_request, outsider, client):
    for _ in range(21):
        make_request("pending_own")
    page = login(client, outsider).get(
        reverse("access:request_list"), {"scope": "mine", "status": "pending_own"}
    )
    html = page.content.decode()
    assert (page.context["page_obj"].paginator.count, len(page.context["rows"])) == (21, 20)
    assert "共 21 条，第 1 / 2 页" in html
    assert "?scope=mine&amp;status=pending_own&amp;page=2" in html
    second = client.get(
        reverse("access:request_list"), {"scope": "mine", "status": "pending_own", "page": 2}
    )
    assert len(second.context["rows"]) == 1
    # The tabs keep the filters too.
    assert "?scope=to_approve&amp;status=pending_own" in html


def test_a_bad_filter_is_shown_and_the_tab_still_lists(make_request, outsider, client):
    make_request("pending_own")
    page = login(client, outsider).get(reverse("access:request_list"), {"status": "nonsense"})
    assert page.status_code == 200
    assert "筛选条件有误" in page.content.decode()
    assert len(page.context["rows"]) == 1


def test_the_form_is_prefilled_from_the_link_of_an_item(test_grantable, outsider, client):
    page = login(client, outsider).get(NEW, {"kind": KIND, "reference": "文司移〔2026〕7号"})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{KIND}" selected>移送线索（测试）</option>' in html
    assert 'value="文司移〔2026〕7号"' in html
    assert 'name="period_days" value="7"' in html
    assert "移送线索（测试）填写移送文号" in html


def test_filing_from_the_page_leads_to_the_request(test_grantable, referral, outsider, client):
    response = login(client, outsider).post(
        NEW, {"kind": KIND, "reference": referral.number, "purpose": PURPOSE, "period_days": "5"}
    )
    filed = AccessRequest.objects.get()
    assert response["Location"] == reverse("access:request_detail", args=[filed.pk])
    assert (filed.period_days, filed.requester) == (5, outsider)
    detail = client.get(response["Location"]).content.decode()
    assert "调阅申请已提交，待本单位领导审批。" in detail
    assert PURPOSE in detail and "待本单位领导审批" in detail


@pytest.mark.parametrize("days", ["0", "31", "x"])
def test_bad_input_keeps_what_was_typed_and_names_each_field(
    test_grantable, referral, outsider, client, days
):
    response = login(client, outsider).post(
        NEW, {"kind": KIND, "reference": referral.number, "purpose": "查阅", "period_days": days}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["period_days"] == ["调阅期限应为1至30之间的整数（日）。"]
    assert errors["purpose"] == ["请说明调阅的目的和用途，调阅事由不少于10个字。"]
    html = response.content.decode()
    assert f'value="{referral.number}"' in html and ">\n查阅</textarea>" in html
    assert not AccessRequest.objects.exists()


def test_the_services_refusals_come_back_on_their_fields(
    test_grantable, referral, make_request, jw_clerk, outsider, client
):
    typed = {"kind": KIND, "reference": referral.number, "purpose": PURPOSE, "period_days": "7"}
    party = login(client, jw_clerk).post(NEW, typed)
    assert party.status_code == 400
    assert party.context["form"].errors["reference"] == [
        "您所在单位是该案件的当事方，可直接查阅，无需申请。"
    ]
    unknown = client.post(NEW, {**typed, "reference": "文司移〔2026〕404号"})
    assert unknown.context["form"].errors["reference"] == [
        "未找到移送文号为“文司移〔2026〕404号”的移送线索（测试）。"
    ]
    first = make_request("pending_owner", item=referral)
    again = login(client, outsider).post(NEW, typed)
    assert again.status_code == 409
    assert f"调阅申请#{first.pk}" in again.context["form"].non_field_errors()[0]
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_the_three_administrators_get_no_form_and_no_reader_log(people, client, persona):
    login(client, people[persona])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"kind": KIND}).status_code == 403
    assert client.get(reverse("access:readers")).status_code == 403
    assert client.get(reverse("access:request_list")).context["rows"] == []


def test_a_refusal_without_a_reason_reopens_its_form(make_request, jy_leader, client):
    waiting = make_request("pending_own")
    url = reverse("access:request_transition", args=[waiting.pk, "reject"])
    response = login(client, jy_leader).post(url, {"reject-reason": " "})
    assert response.status_code == 400
    (move,) = [m for m in response.context["moves"] if m["name"] == "reject"]
    assert move["open"] and move["form"].errors["reason"] == ["请填写不予批准的理由。"]
    assert AccessRequest.objects.get(pk=waiting.pk).status == "pending_own"
    done = client.post(url, {"reject-reason": "与本单位职责无关"}, follow=True)
    html = done.content.decode()
    assert "已办理：不予批准。" in html and "与本单位职责无关" in html


def test_the_detail_shows_the_timeline_and_confirms_irreversible_moves(
    make_request, jw_leader, client
):
    waiting = make_request("pending_owner")
    html = login(client, jw_leader).get(reverse("access:request_detail", args=[waiting.pk]))
    text = html.content.decode()
    assert "提出申请" in text and "待数据所属单位领导审批" in text
    assert "确认后即授权申请人在7日内只读查阅该对象" in text
    assert "确认后本申请即终结" in text
    assert "涉案保密" in text


def test_the_requester_of_a_live_grant_gets_the_read_only_link(grant, outsider, client):
    html = login(client, outsider).get(reverse("access:request_detail", args=[grant.pk]))
    assert f'href="{reverse("access:granted", args=[grant.pk])}"' in html.content.decode()
    assert "查阅（只读）" in html.content.decode()
    with time_machine.travel(grant.expires_at + timedelta(seconds=1), tick=False):
        # A new login: the session of a week ago has timed out.
        later = (
            login(client, outsider)
            .get(reverse("access:request_detail", args=[grant.pk]))
            .content.decode()
        )
    assert "查阅（只读）" not in later and "授权期限已过" in later


@pytest.fixture
def readings(grant, make_request, outsider):
    """Two uses of the outsider's grant (one a day earlier) and one of another grant."""
    opened = grant_open(request_id=grant.pk, user=outsider)
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        grant_use_record(opened=opened, user=outsider, use="view", what=grant.reference)
    grant_use_record(opened=opened, user=outsider, use="download", what="附件：证据.pdf")
    other = make_request("granted")
    grant_use_record(
        opened=grant_open(request_id=other.pk, user=outsider),
        user=outsider,
        use="view",
        what=other.reference,
    )
    return grant, other


def test_the_owner_sees_who_read_what_under_which_grant(readings, jw_clerk, jy_leader, client):
    grant, other = readings
    page = login(client, jw_clerk).get(reverse("access:readers"))
    html = page.content.decode()
    assert page.context["page_obj"].paginator.count == 3
    assert "附件：证据.pdf" in html and "下载（加水印）" in html and "文水县教育局法制股" in html
    assert f"调阅申请#{grant.pk}" in html and f"调阅申请#{other.pk}" in html
    today = timezone.localdate().isoformat()
    narrowed = client.get(reverse("access:readers"), {"date_from": today, "date_to": today})
    assert narrowed.context["page_obj"].paginator.count == 2
    detail = client.get(reverse("access:request_detail", args=[grant.pk]))
    assert [u.what for u in detail.context["detail"].uses] == ["附件：证据.pdf", grant.reference]
    # The requester's own leader sees this grant's uses on its page, but owns no reader log.
    leader = login(client, jy_leader).get(reverse("access:request_detail", args=[grant.pk]))
    assert len(leader.context["detail"].uses) == 2
    assert client.get(reverse("access:readers")).context["page_obj"].paginator.count == 0


def test_the_reader_log_filters_by_reader_and_refuses_a_backwards_range(
    readings, jw_leader, outsider, client
):
    login(client, jw_leader)
    mine = client.get(reverse("access:readers"), {"reader": outsider.pk})
    assert mine.context["page_obj"].paginator.count == 3
    backwards = client.get(
        reverse("access:readers"), {"date_from": "2026-11-27", "date_to": "2026-11-01"}
    )
    assert backwards.context["form"].errors["date_to"] == ["截止日期不应早于起始日期。"]
    assert "筛选条件有误" in backwards.content.decode()
