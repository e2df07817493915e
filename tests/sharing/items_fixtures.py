"""Fixtures of the shared-item tests: every persona, shared items in any tier, scope and status
made through the services, small real files."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xianjie.sharing.models import ItemStatus, SharedItem
from xianjie.sharing.services.items import (
    shared_item_create,
    shared_item_publish,
    shared_item_withdraw,
)

PERSONAS = (
    "jw_clerk",
    "jw_leader",
    "sf_clerk",
    "sf_leader",
    "sj_clerk",
    "sj_leader",
    "jt_clerk",
    "jt_leader",
    "outsider",
    "jy_leader",
    "sysadmin",
    "secadmin",
    "auditor",
)
SYSTEM = ("sysadmin", "secadmin", "auditor")
#: The org of each business persona (a key of the `county` fixture).
ORG_OF = {
    "jw_clerk": "jw",
    "jw_leader": "jw",
    "sf_clerk": "sf",
    "sf_leader": "sf",
    "sj_clerk": "sj",
    "sj_leader": "sj",
    "jt_clerk": "jt",
    "jt_leader": "jt",
    "outsider": "jy",
    "jy_leader": "jy",
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def people(request, county) -> dict[str, Any]:
    """Every persona, so that notifications and receipts have their real audience."""
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def pdf(sample_file):
    def build(text: str = "", name: str = "通知.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, sample_file("pdf", text), "application/pdf")

    return build


@pytest.fixture
def make_item(county, people, data_dir):
    """`make_item(tier=2, scope=("sj", "jt"), status="published", by="sf", ...)`: drafted by
    the clerk of org `by`, published and withdrawn by its leader as `status` asks."""

    def make(
        *,
        tier: int = 1,
        status: str = ItemStatus.PUBLISHED,
        by: str = "sf",
        scope: tuple[str, ...] = (),
        leaders_only: bool = False,
        category: str = "",
        title: str = "关于做好行政执法案卷评查工作的通知",
        body: str = "请各单位按要求开展行政执法案卷评查。",
        files: tuple[Any, ...] = (),
    ) -> SharedItem:
        item = shared_item_create(
            actor=people[f"{by}_clerk"],
            tier=tier,
            category=category or ("requirement" if tier == 1 else "accountability"),
            title=title,
            body=body,
            scope_orgs=[county[key].pk for key in scope],
            leaders_only=leaders_only,
            files=files,
        )
        if status != ItemStatus.DRAFT:
            shared_item_publish(item_id=item.pk, actor=people[f"{by}_leader"])
        if status == ItemStatus.WITHDRAWN:
            shared_item_withdraw(item_id=item.pk, actor=people[f"{by}_leader"], reason="内容有误")
        item.refresh_from_db()
        return item

    return make
