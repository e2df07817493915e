"""The library pages (第十一条): drafting with files, the buttons each persona is offered, the
acts of publishing and withdrawing with their confirmations, filters kept in the URL."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from xianjie.sharing.models import ItemStatus, SharedFile, SharedItem

from .items_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(item) -> str:
    return reverse("sharing:item_detail", args=[item.pk])


def move(item, name: str) -> str:
    return reverse("sharing:item_transition", args=[item.pk, name])


def test_a_clerk_drafts_with_files_on_the_page(county, sf_clerk, pdf):
    answer = client_for(sf_clerk).post(
        reverse("sharing:item_new"),
        {
            "tier": "2",
            "category": "accountability",
            "title": "问责情况通报",
            "body": "通报内容",
            "scope_orgs": [county["sj"].pk, county["jt"].pk],
            "leaders_only": "on",
            "attachments": [pdf("一", "通报.pdf"), pdf("二", "附表.pdf")],
        },
    )
    item = SharedItem.objects.get()
    assert answer.status_code == 302 and answer["Location"] == detail(item)
    assert (item.tier, item.leaders_only, item.status) == (2, True, ItemStatus.DRAFT)
    assert set(item.scope_orgs.values_list("code", flat=True)) == {"文市监法", "文交法"}
    assert sorted(item.files.values_list("filename", flat=True)) == ["通报.pdf", "附表.pdf"]


def test_the_system_administrators_are_offered_no_drafting(sysadmin):
    client = client_for(sysadmin)
    assert client.get(reverse("sharing:item_new")).status_code == 403
    assert "起草共享信息" not in client.get(reverse("sharing:library")).content.decode()


def test_each_persona_is_offered_only_its_own_acts(make_item, sf_clerk, sf_leader, sj_leader):
    draft = make_item(status="draft")
    published = make_item()
    clerk_draft = client_for(sf_clerk).get(detail(draft)).content.decode()
    assert "修改草稿" in clerk_draft and "删除草稿" in clerk_draft
    assert move(draft, "publish") not in clerk_draft
    leader_draft = client_for(sf_leader).get(detail(draft)).content.decode()
    assert move(draft, "publish") in leader_draft
    assert "发布后本区域全部单位的登记员和审批领导即可阅读" in leader_draft
    leader_published = client_for(sf_leader).get(detail(published)).content.decode()
    assert (
        move(published, "withdraw") in leader_published and "撤回后所有阅读单位" in leader_published
    )
    assert "修改草稿" not in leader_published
    reader = client_for(sj_leader).get(detail(published)).content.decode()
    assert "transitions" not in reader and "修改草稿" not in reader and "阅读回执" not in reader


def test_a_leader_publishes_and_withdraws_on_the_page(make_item, sf_leader, sj_clerk):
    item = make_item(status="draft")
    leader = client_for(sf_leader)
    assert leader.post(move(item, "publish")).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert client_for(sj_clerk).get(detail(item)).status_code == 200
    refused = leader.post(move(item, "withdraw"), {"reason": ""})
    assert refused.status_code == 400 and "请填写撤回理由" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert leader.post(move(item, "withdraw"), {"reason": "已有新版本"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.withdraw_reason) == (ItemStatus.WITHDRAWN, "已有新版本")
    assert client_for(sj_clerk).get(detail(item)).status_code == 404
    assert "撤回理由：已有新版本" in leader.get(detail(item)).content.decode()
    again = leader.post(move(item, "withdraw"), {"reason": "再撤一次"})
    assert again.status_code == 409 and "已撤回" in again.content.decode()


def test_acts_not_theirs_are_403_and_invisible_items_404(make_item, sf_clerk, sj_leader, jt_leader):
    draft = make_item(status="draft")
    scoped = make_item(tier=2, scope=("sj",))
    assert client_for(sf_clerk).post(move(draft, "publish")).status_code == 403
    assert client_for(sj_leader).post(move(scoped, "withdraw"), {"reason": "x"}).status_code == 403
    assert client_for(jt_leader).post(move(scoped, "withdraw"), {"reason": "x"}).status_code == 404
    assert client_for(sj_leader).post(move(draft, "publish")).status_code == 404
    assert (
        client_for(sj_leader).get(reverse("sharing:item_edit", args=[scoped.pk])).status_code == 403
    )
    draft.refresh_from_db()
    scoped.refresh_from_db()
    assert (draft.status, scoped.status) == (ItemStatus.DRAFT, ItemStatus.PUBLISHED)


def test_a_draft_is_edited_and_its_files_managed_on_the_page(make_item, sf_clerk, pdf):
    item = make_item(status="draft", title="原标题", files=(pdf("旧"),))
    client = client_for(sf_clerk)
    form = client.get(reverse("sharing:item_edit", args=[item.pk])).content.decode()
    assert "原标题" in form and "通知.pdf" in form
    answer = client.post(
        reverse("sharing:item_edit", args=[item.pk]),
        {
            "tier": "1",
            "category": "requirement",
            "title": "新标题",
            "body": "新正文",
            "attachments": [pdf("新", "补充.pdf")],
        },
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.body, item.files.count()) == ("新标题", "新正文", 2)
    old = item.files.get(filename="通知.pdf")
    removed = client.post(reverse("sharing:item_file_delete", args=[item.pk, old.pk]))
    assert removed.status_code == 302
    assert list(item.files.values_list("filename", flat=True)) == ["补充.pdf"]


def test_a_published_item_is_not_edited_on_the_page(make_item, sf_clerk):
    item = make_item()
    answer = client_for(sf_clerk).get(reverse("sharing:item_edit", args=[item.pk]))
    assert answer.status_code == 302 and answer["Location"] == detail(item)


def test_a_draft_is_deleted_on_the_page(make_item, sf_clerk, pdf):
    item = make_item(status="draft", files=(pdf(),))
    answer = client_for(sf_clerk).post(reverse("sharing:item_delete", args=[item.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse("sharing:library")
    assert SharedItem.objects.count() == 0 and SharedFile.objects.count() == 0


def test_filters_stay_in_the_url_and_pages_keep_them(make_item, sj_clerk):
    for n in range(22):
        make_item(title=f"工作要求第{n}号")
    make_item(tier=2, scope=("sj",), title="问责通报XJ55")
    client = client_for(sj_clerk)
    first = client.get(reverse("sharing:library"), {"q": "工作要求", "tier": 1}).content.decode()
    assert "共 22 条，第 1 / 2 页" in first
    assert "?q=%E5%B7%A5%E4%BD%9C%E8%A6%81%E6%B1%82&amp;tier=1&amp;page=2" in first
    assert "问责通报XJ55" not in first
    second = client.get(reverse("sharing:library"), {"q": "工作要求", "tier": 1, "page": 2})
    assert second.content.decode().count("工作要求第") == 2
    important = client.get(reverse("sharing:library"), {"tier": 2}).content.decode()
    assert "问责通报XJ55" in important and "工作要求第" not in important
    by_category = client.get(reverse("sharing:library"), {"category": "accountability"})
    assert "问责通报XJ55" in by_category.content.decode()


def test_the_category_sidebar_counts_what_the_list_shows(make_item, sj_clerk, outsider):
    make_item(title="政策一", category="policy")
    make_item(title="政策二", category="policy")
    make_item(tier=2, scope=("sj",), title="通报")
    for user, accountability in ((sj_clerk, 1), (outsider, 0)):
        text = client_for(user).get(reverse("sharing:library")).content.decode()
        side = re.sub(r"<[^>]+>", " ", text.split("按类别")[1]).split()
        assert side[side.index("政策法规") + 1] == "2"
        assert side[side.index("问责处理情况") + 1] == str(accountability)


def test_a_bad_filter_shows_its_error_and_lists_everything(make_item, sj_clerk):
    make_item()
    answer = client_for(sj_clerk).get(reverse("sharing:library"), {"tier": "9"})
    assert answer.status_code == 200
    assert "筛选条件有误" in answer.content.decode()
