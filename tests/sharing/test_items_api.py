"""/api/v1/shared-items (第十一条): drafting, editing, publishing and withdrawing, filters and
pagination, files — with CONTRACT.md's answers (201, 204, 400, 403, 404, 409, 413, 415)."""

from __future__ import annotations

import pytest
from django.test import Client

from xianjie.sharing.models import ItemStatus, SharedItem

from .items_fixtures import *  # noqa: F403
from .items_fixtures import EXE

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]

API = "/api/v1/shared-items"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_draft_is_made_edited_published_and_withdrawn(county, sf_clerk, sf_leader, sj_clerk):
    clerk, leader = client_for(sf_clerk), client_for(sf_leader)
    created = post(
        clerk,
        API,
        {
            "tier": 2,
            "category": "inspection_result",
            "title": "监督检查结果通报",
            "body": "检查发现的问题",
            "scope_orgs": [county["sj"].pk],
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["tier_label"], body["actions"]) == (
        "draft",
        "重要信息",
        ["delete", "edit", "files"],
    )
    assert body["scope_orgs"] == [{"id": county["sj"].pk, "name": "文水县市场监督管理局法制股"}]
    item_url = f"{API}/{body['id']}"
    patched = clerk.patch(item_url, {"title": "监督检查结果通报（修订）"}, "application/json")
    assert patched.status_code == 200 and patched.json()["body"] == "检查发现的问题"
    assert post(clerk, f"{item_url}/transitions/publish").status_code == 403
    published = post(leader, f"{item_url}/transitions/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["actions"] == ["withdraw"]
    assert client_for(sj_clerk).get(item_url).json()["title"] == "监督检查结果通报（修订）"
    assert clerk.patch(item_url, {"title": "晚了"}, "application/json").status_code == 409
    refused = post(leader, f"{item_url}/transitions/withdraw", {"reason": ""})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["reason"]
    withdrawn = post(leader, f"{item_url}/transitions/withdraw", {"reason": "数据有误"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdraw_reason"] == "数据有误"
    assert client_for(sj_clerk).get(item_url).status_code == 404
    assert post(leader, f"{item_url}/transitions/publish").status_code == 409
    assert post(leader, f"{item_url}/transitions/approve").status_code == 404


def test_a_reader_may_not_act_on_what_it_sees(make_item, sj_leader, outsider):
    item = make_item(tier=2, scope=("sj",))
    url = f"{API}/{item.pk}"
    reader = client_for(sj_leader)
    assert reader.patch(url, {"title": "改"}, "application/json").status_code == 403
    assert post(reader, f"{url}/transitions/withdraw", {"reason": "x"}).status_code == 403
    assert reader.delete(url).status_code == 403
    assert client_for(outsider).patch(url, {"title": "改"}, "application/json").status_code == 404


def test_a_draft_is_deleted_with_204(make_item, sf_clerk):
    item = make_item(status="draft")
    assert client_for(sf_clerk).delete(f"{API}/{item.pk}").status_code == 204
    assert not SharedItem.objects.exists()


def test_the_list_filters_and_pages(make_item, sj_clerk):
    for n in range(3):
        make_item(title=f"政策{n}", category="policy")
    notice = make_item(tier=2, scope=("sj",), title="问责通报")
    client = client_for(sj_clerk)
    page = client.get(API, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    assert client.get(API, {"tier": 2}).json()["items"][0]["id"] == notice.pk
    assert client.get(API, {"category": "policy"}).json()["count"] == 3
    assert client.get(API, {"q": "问责"}).json()["count"] == 1
    row = client.get(API, {"q": "问责"}).json()["items"][0]
    assert row["unread"] is True and row["publisher_org"]["name"] == "文水县司法局"
    client.get(f"{API}/{notice.pk}")
    assert client.get(API, {"unread": "true"}).json()["count"] == 3
    assert client.get(API, {"tier": 3}).status_code == 422
    assert client.get(API, {"category": "secret"}).status_code == 422


def test_files_are_uploaded_to_a_draft_and_downloaded_by_readers(
    make_item, sf_leader, sf_clerk, sj_clerk, sample_file
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_item(status="draft")
    content = sample_file("png")
    clerk = client_for(sf_clerk)
    added = clerk.post(
        f"{API}/{item.pk}/files", {"file": SimpleUploadedFile("现场照片.png", content)}
    )
    assert added.status_code == 201
    body = added.json()
    assert (body["filename"], body["content_type"], body["size"]) == (
        "现场照片.png",
        "image/png",
        len(content),
    )
    exe = clerk.post(f"{API}/{item.pk}/files", {"file": SimpleUploadedFile("照片.png", EXE)})
    assert exe.status_code == 415
    post(client_for(sf_leader), f"{API}/{item.pk}/transitions/publish")
    download = client_for(sj_clerk).get(body["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    late = clerk.post(f"{API}/{item.pk}/files", {"file": SimpleUploadedFile("晚.png", content)})
    assert late.status_code == 409
    reader = client_for(sj_clerk).post(
        f"{API}/{item.pk}/files", {"file": SimpleUploadedFile("读者.png", content)}
    )
    assert reader.status_code == 403
    assert clerk.delete(f"{API}/{item.pk}/files/{body['id']}").status_code == 409


def test_a_file_of_a_draft_is_deleted_with_204(make_item, sf_clerk, pdf):
    item = make_item(status="draft", files=(pdf(),))
    file_id = item.files.get().pk
    client = client_for(sf_clerk)
    assert client.delete(f"{API}/{item.pk}/files/{file_id}").status_code == 204
    assert item.files.count() == 0
    assert client.delete(f"{API}/{item.pk}/files/{file_id}").status_code == 404


def test_a_file_is_found_only_under_its_own_item(make_item, sj_clerk, pdf):
    first = make_item(files=(pdf(),))
    second = make_item()
    file_id = first.files.get().pk
    client = client_for(sj_clerk)
    assert client.get(f"{API}/{second.pk}/files/{file_id}").status_code == 404
    assert client.get(f"{API}/{first.pk}/files/{file_id}").status_code == 200


def test_the_status_filter_shows_a_reader_nothing_but_published(make_item, sj_clerk, sf_clerk):
    make_item(status="draft")
    make_item(status="withdrawn")
    assert client_for(sj_clerk).get(API, {"status": "draft"}).json()["count"] == 0
    assert client_for(sj_clerk).get(API, {"status": "withdrawn"}).json()["count"] == 0
    assert client_for(sf_clerk).get(API, {"status": "draft"}).json()["count"] == 1
    assert ItemStatus.WITHDRAWN in {
        row["status"] for row in client_for(sf_clerk).get(API).json()["items"]
    }
