"""Read receipts of shared items (已阅回执, 第十一条): a reader's first opening writes one row,
later openings none; the publishing org sees, per org of the audience, who has read it and when
— and who has not; readers never see that table."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from xianjie.sharing.models import ReadReceipt
from xianjie.sharing.selectors.items import shared_item_receipts

from .items_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_first_reading_writes_one_receipt_and_rereading_none(make_item, sj_clerk):
    item = make_item()
    reader = client_for(sj_clerk)
    with time_machine.travel("2026-11-27 09:30 +0800", tick=False):
        assert reader.get(reverse("sharing:item_detail", args=[item.pk])).status_code == 200
    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        reader.get(reverse("sharing:item_detail", args=[item.pk]))
        reader.get(f"/api/v1/shared-items/{item.pk}")
    receipt = ReadReceipt.objects.get()
    assert (receipt.item, receipt.user, receipt.org_id) == (item, sj_clerk, sj_clerk.org_id)
    assert receipt.read_at.isoformat().startswith("2026-11-27T01:30")


def test_the_api_detail_writes_the_receipt_too(make_item, jt_leader):
    item = make_item()
    assert client_for(jt_leader).get(f"/api/v1/shared-items/{item.pk}").status_code == 200
    assert ReadReceipt.objects.filter(item=item, user=jt_leader).count() == 1


def test_the_publishers_own_people_and_drafts_leave_no_receipt(make_item, sf_clerk, sf_leader):
    published = make_item()
    draft = make_item(status="draft")
    for user in (sf_clerk, sf_leader):
        for item in (published, draft):
            client_for(user).get(reverse("sharing:item_detail", args=[item.pk]))
    assert ReadReceipt.objects.count() == 0


def test_the_publisher_sees_who_read_a_tier_2_item_and_who_did_not(
    make_item, sf_clerk, sj_clerk, sj_leader, jt_clerk
):
    item = make_item(tier=2, scope=("sj", "jt", "jy"))
    client_for(sj_clerk).get(reverse("sharing:item_detail", args=[item.pk]))
    client_for(sj_leader).get(reverse("sharing:item_detail", args=[item.pk]))
    rows = {row.org.code: row for row in shared_item_receipts(sf_clerk, item)}
    assert list(rows) == ["文市监法", "文交法", "文教法"]
    assert [name for name, _ in rows["文市监法"].readers] == ["sj.clerk", "sj.leader"]
    assert not rows["文交法"].has_read and not rows["文教法"].has_read
    page = client_for(sf_clerk).get(reverse("sharing:item_detail", args=[item.pk]))
    text = page.content.decode()
    assert "阅读回执" in text and "1 / 3 个单位已阅" in text
    assert text.count("未阅") == 2 and "sj.leader" in text
    api = client_for(sf_clerk).get(f"/api/v1/shared-items/{item.pk}/receipts").json()
    assert (api["read_orgs"], api["total_orgs"]) == (1, 3)
    assert [r["name"] for r in api["orgs"][0]["readers"]] == ["sj.clerk", "sj.leader"]
    assert api["orgs"][1] == {
        "org": {"id": jt_clerk.org_id, "name": "文水县交通运输局法制股"},
        "has_read": False,
        "readers": [],
    }


def test_a_tier_1_item_is_owed_receipts_by_every_other_org_of_the_region(
    make_item, county, sf_leader, people
):
    item = make_item()
    rows = shared_item_receipts(sf_leader, item)
    assert {row.org.pk for row in rows} == {org.pk for key, org in county.items() if key != "sf"}


def test_readers_never_see_the_receipts(make_item, sj_clerk, sj_leader):
    item = make_item(tier=2, scope=("sj",))
    client_for(sj_leader).get(reverse("sharing:item_detail", args=[item.pk]))
    assert shared_item_receipts(sj_clerk, item) is None
    text = client_for(sj_clerk).get(reverse("sharing:item_detail", args=[item.pk])).content
    assert "阅读回执" not in text.decode() and b"sj.leader" not in text
    assert client_for(sj_clerk).get(f"/api/v1/shared-items/{item.pk}/receipts").status_code == 403


def test_a_draft_has_no_receipts_yet(make_item, sf_clerk):
    item = make_item(status="draft")
    assert shared_item_receipts(sf_clerk, item) is None
    answer = client_for(sf_clerk).get(f"/api/v1/shared-items/{item.pk}/receipts")
    assert answer.status_code == 409


def test_reading_clears_the_unread_marker(make_item, sj_clerk):
    item = make_item(title="未读标记测试")
    reader = client_for(sj_clerk)
    listed = reader.get(reverse("sharing:library")).content.decode()
    assert "未读" in listed.split("未读标记测试")[1][:80]
    assert reader.get("/api/v1/shared-items", {"unread": "true"}).json()["count"] == 1
    reader.get(reverse("sharing:item_detail", args=[item.pk]))
    listed = reader.get(reverse("sharing:library")).content.decode()
    assert "未读" not in listed.split("未读标记测试")[1][:80]
    assert reader.get("/api/v1/shared-items", {"unread": "true"}).json()["count"] == 0
