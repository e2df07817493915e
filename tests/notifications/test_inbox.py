"""The inbox page and the unread count in the header: each user reads and marks only their own
messages; opening one marks it read and follows its link on this site."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianjie.notifications.models import Notification
from xianjie.notifications.services import notify

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def send(user, title="待签收：文司移〔2026〕3号", url="/referrals/1/", kind="referral"):
    [note] = notify(recipients=[user], kind=kind, title=title, url=url)
    return note


def header(html):
    return html[html.index('<header class="topbar">') : html.index("</header>")]


def test_inbox_lists_own_messages_newest_first_with_kind_labels(client, jw_clerk, sf_clerk):
    send(jw_clerk, "待签收：文司移〔2026〕1号")
    send(jw_clerk, "时限即将到期：文司移〔2026〕1号", kind="clock.due_soon")
    send(sf_clerk, "别人的消息")
    client.force_login(jw_clerk)
    html = client.get(INBOX).content.decode()
    assert html.index("时限即将到期") < html.index("待签收：文司移")
    assert "线索移送" in html and "时限提醒" in html
    assert "别人的消息" not in html
    assert "2 条未读" in html


def test_header_shows_the_unread_count_and_links_the_inbox(client, jw_clerk):
    client.force_login(jw_clerk)
    assert "unread-count" not in header(client.get("/").content.decode())
    send(jw_clerk)
    send(jw_clerk)
    top = header(client.get("/").content.decode())
    assert f'href="{INBOX}"' in top
    assert '<span class="unread-count" title="2 条未读消息">2</span>' in top


def test_header_count_costs_one_query(client, jw_clerk):
    send(jw_clerk)
    client.force_login(jw_clerk)
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    counts = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
    assert counts[0].startswith("SELECT COUNT(*)")


def test_opening_a_message_marks_it_read_and_follows_its_link(client, jw_clerk):
    note = send(jw_clerk, url="/referrals/7/")
    client.force_login(jw_clerk)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/referrals/7/"
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_message_link_off_this_site_is_not_followed(client, jw_clerk):
    note = send(jw_clerk, url="https://example.com/phish")
    client.force_login(jw_clerk)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == INBOX


def test_someone_elses_message_is_404_and_stays_unread(client, jw_clerk, sf_clerk):
    note = send(sf_clerk)
    client.force_login(jw_clerk)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    client.post(reverse("notifications:mark_read"), {"id": [note.pk]})
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_mark_selected_read_keeps_the_others_unread(client, jw_clerk):
    first, second = send(jw_clerk), send(jw_clerk)
    client.force_login(jw_clerk)
    response = client.post(
        reverse("notifications:mark_read"), {"id": [first.pk], "next": INBOX + "?show=unread"}
    )
    assert response["Location"] == INBOX + "?show=unread"
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None
    html = client.get(INBOX + "?show=unread").content.decode()
    assert "已将 1 条消息标为已读。" in html


def test_mark_all_read_clears_the_header_count(client, jw_clerk, sf_clerk):
    send(jw_clerk), send(jw_clerk)
    theirs = send(sf_clerk)
    client.force_login(jw_clerk)
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=jw_clerk, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert "unread-count" not in header(client.get(INBOX).content.decode())


def test_unread_filter_and_pagination(client, jw_clerk):
    for n in range(22):
        send(jw_clerk, f"消息{n}")
    read = send(jw_clerk, "已读的那条")
    client.force_login(jw_clerk)
    client.get(reverse("notifications:open", args=[read.pk]))
    html = client.get(INBOX + "?show=unread").content.decode()
    assert "共 22 条" in html and "已读的那条" not in html
    assert "?show=unread&amp;page=2" in html


def test_mark_read_needs_post_and_login(client, jw_clerk):
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302  # to login
    client.force_login(jw_clerk)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
