"""The workbench's referral lists (待办/已办) per persona, and the referral menu entries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianjie.calendar.models import Clock
from xianjie.dashboards.navigation import menu_for
from xianjie.dashboards.workbench import DONE, TODO, work_items
from xianjie.referrals.models import Referral

pytestmark = pytest.mark.django_db


def titles(user, kind=TODO):
    return [item.title for item in work_items(user, kind) if item.kind == "线索移送"]


def name(referral):
    referral = Referral.objects.get(pk=referral.pk)
    return referral.number or f"草稿#{referral.pk}"


@pytest.mark.parametrize(
    ("status", "persona", "label"),
    [
        pytest.param("draft", "sf_clerk", "待提交审批", marks=pytest.mark.article(4)),
        pytest.param("pending_approval", "sf_leader", "待审批", marks=pytest.mark.article(4)),
        pytest.param("sent", "jw_clerk", "待签收", marks=pytest.mark.article(5)),
        pytest.param("received", "jw_leader", "待处置", marks=pytest.mark.article(5)),
        pytest.param("handling", "jw_leader", "待书面反馈", marks=pytest.mark.article(5)),
        pytest.param("awaiting_supplement", "sf_clerk", "待补充材料", marks=pytest.mark.article(5)),
        pytest.param("returned", "sf_clerk", "已退回，待修改或办结", marks=pytest.mark.article(5)),
        pytest.param("fed_back", "sf_clerk", "已反馈，待阅办结", marks=pytest.mark.article(5)),
    ],
)
def test_todo_lists_the_referral_for_the_one_whose_act_it_waits_for(
    request, flow, status, persona, label
):
    referral = flow.to_status(status)
    others = {"sf_clerk", "sf_leader", "jw_clerk", "jw_leader", "sj_clerk", "outsider"} - {persona}
    counterpart = "中共文水县纪委 文水县监委" if persona.startswith("sf") else "文水县司法局"
    assert titles(request.getfixturevalue(persona)) == [
        f"{name(referral)} {label}（{counterpart}）"
    ]
    for other in others:
        assert titles(request.getfixturevalue(other)) == [], other


@pytest.mark.article(7)
def test_fault_under_verification_waits_for_the_receiving_leader(flow, jt_leader, jt_clerk):
    referral = flow.to_status("handling", direction="to_supervision")
    assert titles(jt_leader) == [
        f"{name(referral)} 核查中，待书面反馈（中共文水县纪委 文水县监委）"
    ]
    assert titles(jt_clerk) == []


def test_todo_item_carries_the_nearest_due_date_and_light(flow, jw_clerk):
    referral = flow.to_status("sent")
    [item] = [i for i in work_items(jw_clerk, TODO) if i.kind == "线索移送"]
    receipt = Clock.objects.get(object_id=referral.pk, kind="referral.receive")
    assert item.when == receipt.due_date
    assert item.light == "green"
    assert item.url == reverse("referrals:detail", args=[referral.pk])


def test_done_lists_what_the_user_answered_or_closed(flow, jw_leader, sf_clerk):
    referral = flow.to_status("closed")
    assert titles(jw_leader, DONE) == [f"{name(referral)} 已办结（文水县司法局）"]
    assert titles(sf_clerk, DONE) == [f"{name(referral)} 已办结（中共文水县纪委 文水县监委）"]
    assert titles(sf_clerk) == []


def test_fed_back_is_done_for_the_answering_leader_and_todo_for_the_sender(
    flow, jw_leader, sf_clerk
):
    referral = flow.to_status("fed_back")
    assert titles(jw_leader, DONE) == [f"{name(referral)} 已反馈（文水县司法局）"]
    assert titles(sf_clerk, DONE) == []


@pytest.mark.article(11)
@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor", "sj_clerk", "outsider"])
def test_workbench_of_non_parties_shows_no_referral(client, request, flow, persona):
    referral = flow.to_status("sent")
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/").content.decode()
    assert name(referral) not in html


def test_workbench_page_shows_the_item_with_its_light(client, flow, jw_clerk):
    referral = flow.to_status("sent")
    client.force_login(jw_clerk)
    html = client.get("/").content.decode()
    assert f"{name(referral)} 待签收（文水县司法局）" in html
    assert '<span class="light-green">正常</span>' in html


def test_workbench_queries_do_not_grow_with_the_items(client, flow, jw_leader):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    client.force_login(jw_leader)
    flow.to_status("received")
    few = queries()
    for _ in range(4):
        flow.to_status("received")
    flow.to_status("closed")
    many = queries()
    assert many <= few + 2  # 已办 appears: nothing per item


# --- Menu


def menu(user):
    return {item["label"] for section in menu_for(user, "/") for item in section["items"]}


REFERRAL_ENTRIES = {"线索移送", "新建移送", "移送监督概览", "消息"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("sf_clerk", {"线索移送", "新建移送", "移送监督概览", "消息"}),
        ("sf_leader", {"线索移送", "移送监督概览", "消息"}),
        ("jw_clerk", {"线索移送", "新建移送", "消息"}),
        ("jw_leader", {"线索移送", "消息"}),
        ("sj_clerk", {"线索移送", "新建移送", "消息"}),
        ("sysadmin", set()),
        ("secadmin", set()),
        ("auditor", set()),
    ],
)
def test_referral_menu_entries_by_role_and_org(request, persona, expected):
    assert menu(request.getfixturevalue(persona)) & REFERRAL_ENTRIES == expected
