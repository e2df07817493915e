"""第十一条 shared items: drafting, publishing to the audience (with notifications), withdrawal
(gone at once from every reader), deletion of drafts — who may do each, in which status, and
what is written (audit entries, nothing on refusal)."""

from __future__ import annotations

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.notifications.models import Notification
from xianjie.sharing.models import ItemStatus, SharedFile, SharedItem
from xianjie.sharing.selectors.items import (
    shared_item_list,
    shared_items_unread,
    shared_items_unread_count,
)
from xianjie.sharing.services.items import (
    shared_item_delete,
    shared_item_publish,
    shared_item_transition,
    shared_item_update,
    shared_item_withdraw,
)

from .items_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

REGION_READERS = {
    "jw.clerk",
    "jw.leader",
    "sj.clerk",
    "sj.leader",
    "jt.clerk",
    "jt.leader",
    "jy.clerk",
    "jy.leader",
}


def notified(title_part: str) -> set[str]:
    return set(
        Notification.objects.filter(title__contains=title_part).values_list(
            "recipient__username", flat=True
        )
    )


def actions(item: SharedItem) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="sharing.shareditem", object_id=str(item.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_draft_reaches_nobody_until_a_leader_publishes_it(
    make_item, sf_clerk, sf_leader, sj_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(status="draft", title="关于做好案卷评查工作的通知")
    assert item.status == ItemStatus.DRAFT and item.published_at is None
    assert shared_item_list(sj_clerk).count() == 0
    assert notified("案卷评查") == set()
    with django_capture_on_commit_callbacks(execute=True):
        shared_item_publish(item_id=item.pk, actor=sf_leader)
    item.refresh_from_db()
    assert (item.status, item.published_by) == (ItemStatus.PUBLISHED, sf_leader)
    assert item.published_at is not None
    assert [i.pk for i in shared_item_list(sj_clerk)] == [item.pk]
    assert actions(item) == ["shared_item.create", "shared_item.publish"]


def test_publishing_tier_1_notifies_the_whole_region_and_the_drafter(
    make_item, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_item(title="全区域共享的工作要求")
    # Everyone of the region's orgs but the publisher; the drafter hears it was published.
    assert notified("发布了共享信息《全区域共享的工作要求》") == REGION_READERS
    assert notified("您起草的共享信息《全区域共享的工作要求》已发布") == {"sf.clerk"}


def test_publishing_tier_2_notifies_only_its_scope(
    make_item, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_item(tier=2, scope=("sj", "jt"), title="问责情况通报甲")
        make_item(tier=2, scope=("sj", "jt"), leaders_only=True, title="问责情况通报乙")
    assert notified("《问责情况通报甲》") - {"sf.clerk"} == {
        "sj.clerk",
        "sj.leader",
        "jt.clerk",
        "jt.leader",
    }
    assert notified("发布了共享信息《问责情况通报乙》") == {"sj.leader", "jt.leader"}


@pytest.mark.parametrize("name", ["sf_clerk", "sj_leader", "jw_leader"])
def test_only_a_leader_of_the_publisher_publishes(request, make_item, name):
    item = make_item(status="draft")
    with pytest.raises((NotPermitted, NotFound)) as refused:
        shared_item_publish(item_id=item.pk, actor=request.getfixturevalue(name))
    # The publisher's clerk sees the draft (403); other orgs do not (404).
    assert refused.value.status == (403 if name == "sf_clerk" else 404)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_a_reader_who_may_see_the_item_is_refused_with_403(make_item, sj_leader):
    item = make_item()
    with pytest.raises(NotPermitted):
        shared_item_withdraw(item_id=item.pk, actor=sj_leader, reason="不需要了")
    with pytest.raises(NotPermitted):
        shared_item_update(item_id=item.pk, actor=sj_leader, title="改")


def test_publishing_twice_is_a_conflict(make_item, sf_leader):
    item = make_item()
    with pytest.raises(Conflict) as refused:
        shared_item_publish(item_id=item.pk, actor=sf_leader)
    assert "已发布" in refused.value.detail


def test_withdrawal_needs_a_reason_and_changes_nothing_without_one(make_item, sf_leader):
    item = make_item()
    audits = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        shared_item_withdraw(item_id=item.pk, actor=sf_leader, reason="  ")
    assert refused.value.errors == {"reason": ["请填写撤回理由。"]}
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert AuditEntry.objects.count() == audits


def test_a_withdrawn_item_leaves_every_reader_at_once(
    make_item, sf_leader, sj_clerk, jt_leader, django_capture_on_commit_callbacks
):
    item = make_item(title="将被撤回的案卷评查通知")
    assert shared_items_unread_count(sj_clerk) == 1
    assert shared_item_list(jt_leader, {"q": "案卷评查"}).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        shared_item_withdraw(item_id=item.pk, actor=sf_leader, reason="内容需要调整")
    item.refresh_from_db()
    assert (item.status, item.withdrawn_by, item.withdraw_reason) == (
        ItemStatus.WITHDRAWN,
        sf_leader,
        "内容需要调整",
    )
    for reader in (sj_clerk, jt_leader):
        assert shared_item_list(reader).count() == 0
        assert shared_item_list(reader, {"q": "案卷评查"}).count() == 0
        assert shared_items_unread_count(reader) == 0
    assert notified("已撤回") == {"sf.clerk"}
    # The publisher keeps it on record.
    assert shared_item_list(sf_leader, {"status": "withdrawn"}).get() == item
    with pytest.raises(Conflict):
        shared_item_withdraw(item_id=item.pk, actor=sf_leader, reason="再撤一次")


def test_only_drafts_are_edited(make_item, sf_clerk):
    item = make_item()
    with pytest.raises(Conflict):
        shared_item_update(item_id=item.pk, actor=sf_clerk, title="新标题")
    item.refresh_from_db()
    assert item.title != "新标题"


def test_editing_a_draft_keeps_what_is_not_given(make_item, county, sf_clerk):
    item = make_item(tier=2, scope=("sj",), status="draft", body="原正文")
    shared_item_update(item_id=item.pk, actor=sf_clerk, title="新标题", scope_orgs=[county["jt"]])
    item.refresh_from_db()
    assert (item.title, item.body, item.tier) == ("新标题", "原正文", 2)
    assert list(item.scope_orgs.all()) == [county["jt"]]
    assert actions(item)[-1] == "shared_item.update"
    entry = AuditEntry.objects.filter(action="shared_item.update").get()
    assert entry.payload["fields"] == ["title", "scope_orgs"]


def test_a_draft_is_deleted_with_its_files(
    make_item, pdf, sf_clerk, data_dir, django_capture_on_commit_callbacks
):
    item = make_item(status="draft", files=(pdf("一"), pdf("二")))
    names = item.files.values_list("blob_name", flat=True)
    blobs = [data_dir / "evidence" / name for name in names]
    assert len(blobs) == 2 and all(blob.exists() for blob in blobs)
    with django_capture_on_commit_callbacks(execute=True):
        shared_item_delete(item_id=item.pk, actor=sf_clerk)
    assert not SharedItem.objects.filter(pk=item.pk).exists()
    assert SharedFile.objects.count() == 0
    assert not any(blob.exists() for blob in blobs)
    assert AuditEntry.objects.filter(action="shared_item.delete").count() == 1


def test_a_published_item_is_withdrawn_not_deleted(make_item, sf_clerk, sj_clerk):
    item = make_item()
    with pytest.raises(Conflict):
        shared_item_delete(item_id=item.pk, actor=sf_clerk)
    with pytest.raises(NotPermitted):
        shared_item_delete(item_id=item.pk, actor=sj_clerk)
    assert SharedItem.objects.filter(pk=item.pk).exists()


def test_an_unknown_transition_is_not_found(make_item, sf_leader):
    item = make_item(status="draft")
    with pytest.raises(NotFound):
        shared_item_transition(item_id=item.pk, name="approve", actor=sf_leader)


def test_the_workbench_lists_unread_items_newest_first(make_item, sj_clerk, sf_clerk):
    older = make_item(title="较早的信息")
    newer = make_item(title="较新的信息")
    make_item(tier=2, scope=("jt",), title="不在范围内")
    assert [i.pk for i in shared_items_unread(sj_clerk, 5)] == [newer.pk, older.pk]
    assert shared_items_unread_count(sj_clerk) == 2
    assert shared_items_unread(sj_clerk, 1) == [newer]
    # The publisher's own items are never unread for its own people.
    assert shared_items_unread_count(sf_clerk) == 0


def test_the_system_administrators_draft_nothing(sysadmin, auditor):
    from xianjie.sharing.services.items import shared_item_create

    for user in (sysadmin, auditor):
        with pytest.raises(NotPermitted):
            shared_item_create(tier=1, category="policy", title="标题", body="正文", actor=user)
    assert SharedItem.objects.count() == 0


def test_a_draft_turned_into_tier_1_drops_its_scope(make_item, sf_clerk):
    item = make_item(
        tier=2, scope=("sj",), leaders_only=True, status="draft", category="experience"
    )
    shared_item_update(item_id=item.pk, actor=sf_clerk, tier=1)
    item.refresh_from_db()
    assert (item.tier, item.scope_orgs.count(), item.leaders_only) == (1, 0, False)
