"""第十一条 for rectification tasks (tier 2, 指定范围共享): the unit and its overseers see a task,
its reports and its files; everyone else — another inspected unit, an outsider, the 三员 — sees
nothing of them in any list, count, board, workbench, page or API path, and a refused request
changes nothing."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.dashboards.workbench import DONE, TODO, work_items
from xianjie.inspections.models import Attachment, Rectification, RectificationReport
from xianjie.inspections.selectors.rectifications import (
    rectification_board,
    rectification_done,
    rectification_list,
    rectification_mine,
    rectification_todo,
)
from xianjie.inspections.services.rectifications import rectification_report

from .rectification_fixtures import *  # noqa: F403

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.article(9),
    pytest.mark.article(11),
    pytest.mark.usefixtures("data_dir"),
]

TITLE = "整改MARK-TITLE-5521"
REPORT = "MARK-REPORT-7730 已整改"
PARTIES = ("sj_clerk", "sj_leader", "jw_clerk", "jw_leader", "sf_clerk", "sf_leader")
OTHERS = ("jt_clerk", "jt_leader", "outsider", "sysadmin", "secadmin", "auditor")


@pytest.fixture
def secret(make_task, people, pdf):
    """A task of the market regulator with a progress report and a file; every persona exists."""
    for name in PERSONAS:  # noqa: F405
        people[name]
    task = make_task(title=TITLE)
    report = rectification_report(
        task_id=task.pk, actor=people["sj_clerk"], text=REPORT, files=[pdf()]
    )
    return task, report.attachments.get()


def snapshot(task):
    return (
        Rectification.objects.filter(pk=task.pk).values_list("status", "updated_at").get(),
        task.events.count(),
        RectificationReport.objects.count(),
        Attachment.objects.count(),
        AuditEntry.objects.count(),
    )


def requests_of(task, attachment):
    pk = task.pk
    api = f"/api/v1/rectifications/{pk}"
    return [
        ("get", reverse("inspections:rectification_detail", args=[pk]), None),
        ("post", reverse("inspections:rectification_move", args=[pk, "report"]), "page"),
        ("post", reverse("inspections:rectification_move", args=[pk, "cancel"]), "page"),
        ("get", reverse("inspections:attachment_download", args=[attachment.pk]), None),
        ("get", api, None),
        ("post", f"{api}/reports", "page"),
        ("post", f"{api}/transitions/cancel", "json"),
        ("get", f"{api}/attachments/{attachment.pk}", None),
    ]


def send(client, method, url, kind):
    if method == "get":
        return client.get(url)
    if kind == "json":
        return client.post(url, json.dumps({"reason": "越权"}), content_type="application/json")
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n")
    return client.post(url, {"report-text": "越权", "text": "越权", "files": [upload]})


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("persona", OTHERS)
def test_no_list_count_board_or_workbench_shows_anything(secret, people, persona):
    user = people[persona]
    for model in (Rectification, RectificationReport, Attachment):
        for action in ("view", "status", "download", "change"):
            assert model.objects.restrict(user, action).count() == 0
    assert rectification_list(user).count() == 0
    assert rectification_list(user, {"q": TITLE}).count() == 0
    assert rectification_mine(user).count() == 0
    assert rectification_board(user) == []
    assert rectification_todo(user) == [] and rectification_done(user) == []
    assert not [i for kind in (TODO, DONE) for i in work_items(user, kind) if TITLE in i.title]


@pytest.mark.parametrize("persona", OTHERS)
def test_every_page_and_api_path_is_404_and_changes_nothing(secret, people, persona):
    task, attachment = secret
    before = snapshot(task)
    client = Client()
    client.force_login(people[persona])
    for method, url, kind in requests_of(task, attachment):
        response = send(client, method, url, kind)
        allowed = {403, 404} if persona in ("sysadmin", "secadmin", "auditor") else {404}
        assert response.status_code in allowed, (url, response.status_code)
        assert TITLE not in body(response) and "MARK-REPORT" not in body(response)
    assert snapshot(task) == before


@pytest.mark.parametrize("persona", OTHERS)
def test_list_pages_and_api_lists_show_nothing(secret, people, persona):
    client = Client()
    client.force_login(people[persona])
    for name in ("rectification_list", "rectification_board", "rectification_mine"):
        # The query is echoed in its box: search by a part of the title, look for the whole.
        response = client.get(reverse(f"inspections:{name}"), {"q": "MARK-TITLE"})
        assert response.status_code == 200
        assert TITLE not in body(response)
        assert "文水县市场监督管理局" not in body(response)
    assert TITLE not in body(client.get(reverse("dashboards:workbench")))
    for query in ({}, {"q": TITLE}, {"overdue": "true"}, {"unit": secret[0].unit_id}):
        listed = client.get("/api/v1/rectifications", query)
        assert listed.json() == {"items": [], "count": 0}


@pytest.mark.parametrize("persona", PARTIES)
def test_the_parties_see_it_everywhere(secret, people, persona):
    task, attachment = secret
    user = people[persona]
    client = Client()
    client.force_login(user)
    assert [t.pk for t in rectification_list(user)] == [task.pk]
    (row,) = rectification_board(user)
    assert (row.unit.name, row.total) == ("文水县市场监督管理局", 1)
    detail = client.get(reverse("inspections:rectification_detail", args=[task.pk]))
    assert REPORT in body(detail) and TITLE in body(detail)
    assert TITLE in body(client.get(reverse("inspections:rectification_list")))
    assert "文水县市场监督管理局" in body(client.get(reverse("inspections:rectification_board")))
    api = client.get(f"/api/v1/rectifications/{task.pk}").json()
    assert api["reports"][0]["text"] == REPORT
    download = client.get(f"/api/v1/rectifications/{task.pk}/attachments/{attachment.pk}")
    assert download.status_code == 200
    assert Attachment.objects.restrict(user, "download").count() == 1
