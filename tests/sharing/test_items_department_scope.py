"""A department named in a scope reads through its legal unit (法制股): the departments have no
users of their own, so sharing with 市场监管局 must reach 市场监管局法制股 — as rectification tasks
do (第十一条 指定范围共享, 第十二条 published cases)."""

from __future__ import annotations

import pytest

from xianjie.notifications.models import Notification
from xianjie.sharing.models import SharedItem
from xianjie.sharing.selectors.items import shared_item_receipts
from xianjie.sharing.services.items import shared_item_read

from .items_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.mark.article(11)
def test_tier_two_item_for_a_department_reaches_its_legal_unit_only(
    make_item, sj_clerk, jt_clerk, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(tier=2, scope=("sj_dept",))

    assert SharedItem.objects.restrict(sj_clerk, "view").filter(pk=item.pk).exists()
    assert not SharedItem.objects.restrict(jt_clerk, "view").filter(pk=item.pk).exists()
    assert not SharedItem.objects.restrict(outsider, "view").filter(pk=item.pk).exists()
    assert Notification.objects.filter(recipient=sj_clerk, kind="shared_item").exists()
    assert not Notification.objects.filter(recipient=jt_clerk, kind="shared_item").exists()


@pytest.mark.article(11)
def test_publisher_sees_the_legal_unit_reading_for_its_department(make_item, sj_clerk, sf_clerk):
    item = make_item(tier=2, scope=("sj_dept",))
    shared_item_read(item=item, actor=sj_clerk)

    rows = {row.org.name: row for row in shared_item_receipts(sf_clerk, item) or []}
    legal_unit = sj_clerk.org.name
    assert [name for name, _ in rows[legal_unit].readers] == [sj_clerk.display_name]
