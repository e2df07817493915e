"""The workbench's inspection work beyond the rectification tasks: drafts of supervision acts
awaiting the leader's signature and open A10 flags (第十三条（十）), plans to start, draws to run
and inspections under way (第八条) — for the right people only, gone once the step is taken —
and the acts signed and flags handled as 已办."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xianjie.accounts.models import User
from xianjie.dashboards import sources_inspections as sources
from xianjie.dashboards.workbench import DONE, TODO, work_items
from xianjie.inspections.models import ComplianceFlag, Inspection
from xianjie.inspections.services.draws import draw_run
from xianjie.inspections.services.flags import flag_dismiss, flag_refer, flags_raise
from xianjie.inspections.services.plans import inspection_transition
from xianjie.inspections.services.supervision import act_issue

from .draw_fixtures import pool_fixture, prepare_fixture, random_plan_fixture
from .plans_fixtures import MOVE_FIELDS, planned_fixture, staffed_fixture
from .supervision_fixtures import *  # noqa: F403
from .supervision_fixtures import PROBLEM, lapse

__all__ = [
    "planned_fixture",
    "pool_fixture",
    "prepare_fixture",
    "random_plan_fixture",
    "staffed_fixture",
]

pytestmark = pytest.mark.django_db


def titles(user, which, kind):
    return [item.title for item in work_items(user, which) if item.kind == kind]


def seeing(people, which, kind, title):
    """The personas whose `which` list holds an item of `kind` titled `title`."""
    return {name for name, user in people.items() if title in titles(user, which, kind)}


# --- Supervision acts awaiting signature (第十三条（十）).


@pytest.mark.article(13)
def test_a_draft_waits_for_the_issuing_orgs_leader_only(make_act, people):
    act = make_act(issued=False)
    title = f"待签发：行政执法监督通知书 草稿#{act.pk}"
    assert seeing(people, TODO, "监督文书", title) == {"sf_leader"}
    (item,) = [i for i in work_items(people["sf_leader"], TODO) if i.title == title]
    assert item.url == reverse("inspections:act_detail", args=[act.pk])
    assert (item.when, item.light) == (None, "")


@pytest.mark.article(13)
def test_a_legal_units_draft_is_not_the_justice_bureaus_to_sign(make_act, people):
    act = make_act(issuer="jt", target="jt_dept", issued=False)
    title = f"待签发：行政执法监督通知书 草稿#{act.pk}"
    assert seeing(people, TODO, "监督文书", title) == {"jt_leader"}


@pytest.mark.article(13)
def test_signing_moves_the_act_to_the_signers_and_drafters_done(make_act, people):
    act = make_act(issued=False)
    act = act_issue(act_id=act.pk, actor=people["sf_leader"])
    assert not any(titles(user, TODO, "监督文书") for user in people.values())
    done = f"{act.number} 行政执法监督通知书 已签发"
    assert seeing(people, DONE, "监督文书", done) == {"sf_clerk", "sf_leader"}
    (item,) = [i for i in work_items(people["sf_clerk"], DONE) if i.title == done]
    assert item.when == timezone.localdate()


# --- A10 flags (第十三条（十）).


@pytest.fixture
def flag(make_act, data_dir):
    """An open A10 flag on a notice of the justice bureau to the market regulator."""
    lapse(make_act())
    flags_raise()
    return ComplianceFlag.objects.select_related("act").get()


@pytest.mark.article(13)
def test_an_open_flag_waits_for_the_issuing_orgs_clerk_and_leader(flag, people):
    title = f"A10标记待处理：{flag.act.number}"
    assert seeing(people, TODO, "A10标记", title) == {"sf_clerk", "sf_leader"}
    (item,) = [i for i in work_items(people["sf_clerk"], TODO) if i.title == title]
    assert item.url == reverse("inspections:flag_detail", args=[flag.pk])
    assert item.when == flag.due_date


@pytest.mark.article(13)
def test_a_legal_units_flag_is_not_the_justice_bureaus_to_handle(make_act, people):
    act = make_act(issuer="jt", target="jt_dept")
    lapse(act)
    flags_raise()
    title = f"A10标记待处理：{act.number}"
    assert seeing(people, TODO, "A10标记", title) == {"jt_clerk", "jt_leader"}


@pytest.mark.article(13)
def test_dismissing_a_flag_clears_it_and_marks_it_done(flag, people):
    flag_dismiss(flag_id=flag.pk, actor=people["sf_leader"], reason="已补报，延误有正当理由。")
    assert not any(titles(user, TODO, "A10标记") for user in people.values())
    done = f"A10标记已撤销：{flag.act.number}"
    assert seeing(people, DONE, "A10标记", done) == {"sf_leader"}


@pytest.mark.article(13)
def test_referring_a_flag_clears_it_and_marks_it_done(flag, people):
    flag_refer(flag_id=flag.pk, actor=people["sf_clerk"])
    assert not any(titles(user, TODO, "A10标记") for user in people.values())
    done = f"A10标记已移送：{flag.act.number}"
    assert seeing(people, DONE, "A10标记", done) == {"sf_clerk"}


# --- Joint inspections (第八条).

ORGANISERS = {"jw_clerk", "jw_leader", "sf_clerk", "sf_leader"}


def starting_in(inspection, days):
    Inspection.objects.filter(pk=inspection.pk).update(
        planned_start=timezone.localdate() + timedelta(days=days)
    )


@pytest.mark.article(8)
def test_a_plan_due_to_start_waits_for_its_organisers(make_inspection, people):
    # jt.clerk inspects and sj's people are inspected: neither organises.
    plan = make_inspection(
        method="special", units={"sj_dept": [people["jw_clerk"], people["jt_clerk"]]}
    )
    starting_in(plan, 5)
    title = f"待开始：{plan.title}"
    assert seeing(people, TODO, "联合法治督查", title) == ORGANISERS
    (item,) = [i for i in work_items(people["jw_clerk"], TODO) if i.title == title]
    assert item.url == reverse("inspections:plan_detail", args=[plan.pk])
    assert item.when == timezone.localdate() + timedelta(days=5)


@pytest.mark.article(8)
def test_a_plan_starting_later_is_not_yet_work(make_inspection, jw_clerk):
    plan = make_inspection(method="special")
    starting_in(plan, 6)
    assert titles(jw_clerk, TODO, "联合法治督查") == []


@pytest.mark.article(8)
def test_starting_turns_the_plan_into_an_inspection_under_way(staffed, people):
    inspection_transition(inspection_id=staffed.pk, actor=people["jw_clerk"], name="start")
    assert seeing(people, TODO, "联合法治督查", f"待开始：{staffed.title}") == set()
    under_way = f"检查中：{staffed.title}"
    assert seeing(people, TODO, "联合法治督查", under_way) == ORGANISERS
    (item,) = [i for i in work_items(people["sf_leader"], TODO) if i.title == under_way]
    assert item.when == staffed.planned_end
    inspection_transition(
        inspection_id=staffed.pk, actor=people["jw_clerk"], name="report", **MOVE_FIELDS["report"]
    )
    assert not any(titles(user, TODO, "联合法治督查") for user in people.values())


@pytest.mark.article(8)
def test_a_committed_draw_waits_for_the_organisers_until_it_is_run(prepare, random_plan, people):
    draw = prepare()
    title = f"待抽取：{random_plan.title} 第1次"
    # The pool's inspectors (sj.clerk, jt.clerk among them) see the draw but do not run it.
    assert seeing(people, TODO, "联合法治督查", title) == ORGANISERS
    (item,) = [i for i in work_items(people["jw_leader"], TODO) if i.title == title]
    assert item.url == reverse("inspections:draw_detail", args=[random_plan.pk, draw.pk])
    assert item.when == random_plan.planned_start
    draw_run(draw_id=draw.pk, actor=people["sf_clerk"])
    assert seeing(people, TODO, "联合法治督查", title) == set()


# --- Few queries; the page.

NEW_SOURCES = (
    sources.acts_to_sign,
    sources.flags_to_handle,
    sources.inspections_to_do,
    sources.acts_done,
    sources.flags_done,
)


def lots_of_work(make_act, make_inspection, prepare, people, n):
    """`n` drafts, `n` signed acts with a flag each (one flag dismissed), `n` inspections under
    way, and a random plan due to start with a committed draw — all of the justice bureau."""
    for _ in range(n):
        make_act(issued=False)
        lapse(make_act())
        make_inspection(method="special", status="under_way")
    flags_raise()
    flag_dismiss(
        flag_id=ComplianceFlag.objects.first().pk, actor=people["sf_leader"], reason="已补报。"
    )
    prepare(actor=people["sf_clerk"])


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize(
    ("persona", "per_set", "fixed"),
    # Per set: a draft to sign (the leader), an act drafted or signed, a flag, an inspection
    # under way. Besides: 待开始 and 待抽取, less the dismissed flag, plus it as the leader's 已办.
    [("sf_leader", 4, 2), ("sf_clerk", 3, 1)],
)
def test_the_sources_read_a_fixed_number_of_queries(
    make_act,
    make_inspection,
    prepare,
    people,
    n,
    persona,
    per_set,
    fixed,
    django_assert_max_num_queries,
):
    lots_of_work(make_act, make_inspection, prepare, people, n)
    user = User.objects.get(pk=people[persona].pk)  # nothing cached: org and roles are read too
    with django_assert_max_num_queries(8):
        items = [item for source in NEW_SOURCES for item in source(user)]
    assert len(items) == per_set * n + fixed


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor", "outsider"])
def test_people_outside_have_no_inspection_work(
    make_act, make_inspection, prepare, people, persona
):
    lots_of_work(make_act, make_inspection, prepare, people, 1)
    user = people[persona]
    assert [item for source in NEW_SOURCES for item in source(user)] == []


def test_the_workbench_page_shows_the_items(client, flag, make_act, prepare, random_plan, people):
    draft = make_act(issued=False)
    prepare()
    client.force_login(people["sf_leader"])
    html = client.get(reverse("dashboards:workbench")).content.decode()
    assert f"待签发：行政执法监督通知书 草稿#{draft.pk}" in html
    assert f"A10标记待处理：{flag.act.number}" in html
    assert f"期限 {flag.due_date:%Y-%m-%d}" in html
    assert f"待抽取：{random_plan.title} 第1次" in html
    assert f"待开始：{random_plan.title}" in html
    assert PROBLEM not in html
