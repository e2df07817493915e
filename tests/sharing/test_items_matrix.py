"""第十一条: who opens which shared item — persona × tier (tier 2 with a scope, and leaders only)
× status (draft, published, withdrawn) × every way of reading: the library list, its count and
category counts, search, the pages, the API list and detail, file downloads.

The expectation is written here from the article, independently of the policy: the publishing
org sees its own items in every status; everyone else in the region sees published tier 1 items,
and published tier 2 items whose scope names their org (their leaders only, when so marked);
the 三员 see nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xianjie.core.errors import NotFound
from xianjie.sharing.models import SharedItem
from xianjie.sharing.selectors.items import (
    get_shared_item_for_user,
    shared_item_category_counts,
    shared_item_list,
)

from .items_fixtures import *  # noqa: F403
from .items_fixtures import ORG_OF, PERSONAS, SYSTEM

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

#: key → (publisher, tier, status, scope, leaders only)
ITEMS = {
    "t1_draft": ("sf", 1, "draft", (), False),
    "t1_published": ("sf", 1, "published", (), False),
    "t1_withdrawn": ("sf", 1, "withdrawn", (), False),
    "t2_published": ("sf", 2, "published", ("sj", "jt"), False),
    "t2_leaders": ("sf", 2, "published", ("sj", "jt"), True),
    "t2_draft": ("sf", 2, "draft", ("sj",), False),
    "t2_withdrawn": ("sf", 2, "withdrawn", ("sj",), False),
    "jw_draft": ("jw", 1, "draft", (), False),
}


def opens(name: str, key: str) -> bool:
    by, tier, status, scope, leaders_only = ITEMS[key]
    if name in SYSTEM:
        return False
    org = ORG_OF[name]
    if org == by:
        return True
    if status != "published":
        return False
    if tier == 1:
        return True
    return org in scope and (not leaders_only or name.endswith("_leader"))


def marker(key: str) -> str:
    return f"XJ{list(ITEMS).index(key) + 1001}"


@pytest.fixture
def library(make_item, pdf) -> dict[str, SharedItem]:
    return {
        key: make_item(
            by=by,
            tier=tier,
            status=status,
            scope=scope,
            leaders_only=leaders_only,
            title=f"行政执法案卷评查通知 {marker(key)}",
            files=(pdf(key),),
        )
        for key, (by, tier, status, scope, leaders_only) in ITEMS.items()
    }


def expected(name: str, library: dict[str, SharedItem]) -> set[int]:
    return {item.pk for key, item in library.items() if opens(name, key)}


def test_the_matrix_covers_every_case():
    """Each persona group meets a visible and an invisible item (the matrix can fail)."""
    assert {opens("sj_clerk", k) for k in ITEMS} == {True, False}
    assert opens("sj_leader", "t2_leaders") and not opens("sj_clerk", "t2_leaders")
    assert not opens("outsider", "t2_published") and opens("outsider", "t1_published")
    assert opens("sf_clerk", "t2_draft") and not opens("jw_clerk", "t2_draft")
    assert not any(opens("auditor", k) for k in ITEMS)


@pytest.mark.parametrize("name", PERSONAS)
def test_list_counts_and_search_follow_the_matrix(request, library, name):
    user = request.getfixturevalue(name)
    wanted = expected(name, library)
    assert {item.pk for item in shared_item_list(user)} == wanted
    assert shared_item_list(user).count() == len(wanted)
    assert SharedItem.objects.restrict(user, "view").count() == len(wanted)
    assert sum(count for _, _, count in shared_item_category_counts(user)) == len(wanted)
    found = shared_item_list(user, {"q": "案卷评查"})
    assert {item.pk for item in found} == wanted
    assert sum(c for _, _, c in shared_item_category_counts(user, {"q": "案卷评查"})) == len(wanted)
    for key, item in library.items():
        by_marker = shared_item_list(user, {"q": marker(key)})
        assert by_marker.count() == (1 if item.pk in wanted else 0)
        if item.pk in wanted:
            assert get_shared_item_for_user(user, item.pk) == item
        else:
            with pytest.raises(NotFound):
                get_shared_item_for_user(user, item.pk)


@pytest.mark.parametrize("name", PERSONAS)
def test_pages_follow_the_matrix(request, library, name):
    client = Client()
    client.force_login(request.getfixturevalue(name))
    wanted = expected(name, library)
    page = client.get(reverse("sharing:library"))
    assert page.status_code == 200
    text = page.content.decode()
    assert (f"共 {len(wanted)} 条" if wanted else "没有符合条件的共享信息") in text
    searched = client.get(reverse("sharing:library"), {"q": "评查"}).content.decode()
    for key, item in library.items():
        visible = item.pk in wanted
        assert (marker(key) in text) is visible
        assert (marker(key) in searched) is visible
        detail = client.get(reverse("sharing:item_detail", args=[item.pk]))
        assert detail.status_code == (200 if visible else 404)
        file_id = item.files.get().pk
        download = client.get(reverse("sharing:item_file_download", args=[item.pk, file_id]))
        assert download.status_code == (200 if visible else 404)
        if visible:
            assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("name", PERSONAS)
def test_the_api_follows_the_matrix(request, library, name):
    client = Client()
    client.force_login(request.getfixturevalue(name))
    wanted = expected(name, library)
    listed = client.get("/api/v1/shared-items", {"page_size": 50}).json()
    assert {row["id"] for row in listed["items"]} == wanted
    assert listed["count"] == len(wanted)
    searched = client.get("/api/v1/shared-items", {"q": "评查 通知"}).json()
    assert searched["count"] == len(wanted)
    for item in library.values():
        visible = item.pk in wanted
        detail = client.get(f"/api/v1/shared-items/{item.pk}")
        assert detail.status_code == (200 if visible else 404)
        file_id = item.files.get().pk
        download = client.get(f"/api/v1/shared-items/{item.pk}/files/{file_id}")
        assert download.status_code == (200 if visible else 404)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_publishing_org_manages_and_sees_receipts(request, library, name):
    user = request.getfixturevalue(name)
    client = Client()
    client.force_login(user)
    own = {
        item.pk
        for key, item in library.items()
        if name not in SYSTEM and ITEMS[key][0] == ORG_OF[name]
    }
    assert set(SharedItem.objects.restrict(user, "change").values_list("pk", flat=True)) == own
    wanted = expected(name, library)
    for key, item in library.items():
        answer = client.get(f"/api/v1/shared-items/{item.pk}/receipts")
        if item.pk not in wanted:
            assert answer.status_code == 404
        elif item.pk not in own:
            assert answer.status_code == 403
        else:
            assert answer.status_code == (409 if ITEMS[key][2] == "draft" else 200)
