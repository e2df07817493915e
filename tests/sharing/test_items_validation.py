"""Drafting a shared item with bad input (第十一条): every bad field is named at once in Chinese,
nothing is written, and the page keeps what was typed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xianjie.accounts.models import OrgKind
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import FileTypeRefused, InvalidInput
from xianjie.sharing.models import SharedFile, SharedItem
from xianjie.sharing.services.items import shared_item_create

from ..factories import OrgFactory, RegionFactory
from .items_fixtures import *  # noqa: F403
from .items_fixtures import EXE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]


def refusal(actor, **fields) -> dict[str, list[str]]:
    values = {"tier": 1, "category": "policy", "title": "标题", "body": "正文", **fields}
    with pytest.raises(InvalidInput) as refused:
        shared_item_create(actor=actor, **values)
    assert SharedItem.objects.count() == 0
    return refused.value.errors


def test_every_missing_field_is_named(sf_clerk):
    errors = refusal(sf_clerk, tier=None, category="", title=" ", body="")
    assert set(errors) == {"tier", "category", "title", "body"}
    assert errors["title"] == ["请填写标题。"] and errors["body"] == ["请填写正文。"]
    assert AuditEntry.objects.count() == 0


def test_bad_values_are_named(sf_clerk):
    errors = refusal(sf_clerk, tier=3, category="secret", title="长" * 201)
    assert set(errors) == {"tier", "category", "title"}
    assert errors["title"] == ["标题不应超过200个字。"]


def test_tier_2_needs_a_scope(sf_clerk):
    errors = refusal(sf_clerk, tier=2, category="accountability")
    assert errors == {"scope_orgs": ["重要信息须指定共享范围（至少一个单位）。"]}


def test_tier_1_names_no_scope_and_no_leaders_only(sf_clerk, county):
    errors = refusal(sf_clerk, tier=1, scope_orgs=[county["sj"].pk], leaders_only=True)
    assert set(errors) == {"scope_orgs", "leaders_only"}


def test_accountability_and_inspection_results_are_tier_2(sf_clerk):
    for category in ("accountability", "inspection_result"):
        errors = refusal(sf_clerk, tier=1, category=category)
        assert list(errors) == ["category"] and "重要信息" in errors["category"][0]


def test_the_scope_stays_in_the_region_and_leaves_out_the_publisher(sf_clerk, county):
    city = RegionFactory(code="141100", name="吕梁市")
    elsewhere = OrgFactory(name="吕梁市司法局", code="吕司", kind=OrgKind.JUSTICE, region=city)
    for scope in ([elsewhere.pk], ["abc"], [999999]):
        errors = refusal(sf_clerk, tier=2, category="accountability", scope_orgs=scope)
        assert errors == {"scope_orgs": ["共享范围中有单位不存在、已停用或不属于本区域。"]}
    errors = refusal(sf_clerk, tier=2, category="accountability", scope_orgs=[county["sf"].pk])
    assert errors == {"scope_orgs": ["本单位无需列入共享范围。"]}


def test_a_bad_file_alone_is_refused_by_its_type(data_dir, sf_clerk):
    exe = SimpleUploadedFile("通知.pdf", EXE, "application/pdf")
    with pytest.raises(FileTypeRefused) as refused:
        shared_item_create(
            actor=sf_clerk, tier=1, category="policy", title="标题", body="正文", files=[exe]
        )
    assert refused.value.status == 415 and list(refused.value.errors) == ["files"]
    assert SharedItem.objects.count() == 0 and SharedFile.objects.count() == 0


def test_a_bad_file_is_named_with_the_other_bad_fields(data_dir, sf_clerk):
    exe = SimpleUploadedFile("通知.pdf", EXE, "application/pdf")
    errors = refusal(sf_clerk, title="", files=[exe])
    assert set(errors) == {"title", "files"}
    # The file was refused by its first bytes, before anything was written.
    assert not (data_dir / "evidence").exists() or not any((data_dir / "evidence").iterdir())


def test_the_form_keeps_what_was_typed_and_names_every_bad_field(county, sf_clerk):
    client = Client()
    client.force_login(sf_clerk)
    answer = client.post(
        reverse("sharing:item_new"),
        {
            "tier": "2",
            "category": "",
            "title": "保留的标题XJ77",
            "body": "",
            "scope_orgs": [],
        },
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "保留的标题XJ77" in text
    for message in ("请选择类别", "请填写正文", "重要信息须指定共享范围"):
        assert message in text
    assert re.search(r'name="tier" value="2"[^>]*checked', text)
    assert SharedItem.objects.count() == 0


def test_the_form_ignores_a_hidden_scope_for_tier_1(county, sf_clerk):
    client = Client()
    client.force_login(sf_clerk)
    answer = client.post(
        reverse("sharing:item_new"),
        {
            "tier": "1",
            "category": "policy",
            "title": "全面共享的政策",
            "body": "正文",
            "scope_orgs": [county["sj"].pk],
            "leaders_only": "on",
        },
    )
    item = SharedItem.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/sharing/{item.pk}/")
    assert (item.tier, item.scope_orgs.count(), item.leaders_only) == (1, 0, False)


def test_the_api_names_every_bad_field(sf_clerk):
    client = Client()
    client.force_login(sf_clerk)
    answer = client.post(
        "/api/v1/shared-items", {"tier": 2, "title": ""}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"category", "title", "body", "scope_orgs"}
