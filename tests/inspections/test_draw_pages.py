"""The random draw pages (随机抽查, 第八条): the list with the form that prepares a draw, the draw
with its seed digest before and its seed only after, the run, the verification — and who may see
them at all (第十一条: a spot check stays unannounced, so everyone else gets 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xianjie.inspections.models import Draw, InspectionUnit
from xianjie.inspections.sealing import unseal

from .draw_fixtures import (  # noqa: F401
    drawn_fixture,
    pool_fixture,
    prepare_fixture,
    random_plan_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]


def page(client, user, name, *args, method="get", data=None):
    client.force_login(user)
    url = reverse(f"inspections:{name}", args=args)
    return client.post(url, data or {}) if method == "post" else client.get(url)


def test_list_offers_the_form_with_every_candidate_ticked(client, random_plan, jw_clerk, county):
    response = page(client, jw_clerk, "draw_list", random_plan.pk)
    assert response.status_code == 200
    text = response.content.decode()
    assert "准备抽取" in text and "尚未进行随机抽取" in text
    for key in ("sj_dept", "jt_dept", "jy_dept"):
        assert f'name="units" value="{county[key].pk}" id="unit_{county[key].pk}" checked' in text
    assert f'name="inspectors" value="{jw_clerk.pk}"' in text
    assert 'name="reason"' not in text  # no draw yet, no redraw reason


def test_prepare_from_the_page_publishes_and_shows_the_hash(
    client, random_plan, jw_clerk, sf_clerk, sj_clerk, county
):
    data = {
        "units": [county["sj_dept"].pk, county["jt_dept"].pk],
        f"weight_{county['sj_dept'].pk}": "3",
        f"weight_{county['jt_dept'].pk}": "1",
        "inspectors": [jw_clerk.pk, sf_clerk.pk, sj_clerk.pk],
        "unit_count": "1",
        "team_size": "2",
    }
    response = page(client, jw_clerk, "draw_list", random_plan.pk, method="post", data=data)
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "inspections:draw_detail", args=[random_plan.pk, draw.pk]
    )
    assert [county["sj_dept"].pk, 3] in draw.pools["units"]
    listing = page(client, jw_clerk, "draw_list", random_plan.pk).content.decode()
    assert draw.seed_hash[:16] in listing and 'name="reason"' in listing


def test_bad_input_comes_back_with_messages_and_typed_values(client, random_plan, jw_clerk, county):
    data = {
        "units": [county["sj_dept"].pk],
        f"weight_{county['sj_dept'].pk}": "12",
        "inspectors": [jw_clerk.pk],
        "unit_count": "5",
        "team_size": "1",
    }
    response = page(client, jw_clerk, "draw_list", random_plan.pk, method="post", data=data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "权重应为1至10之间的整数" in text
    assert "同时包括纪检监察机关和行政执法监督机构的人员" in text
    assert "抽取单位数应为1至1之间的整数" in text
    assert "每组检查人员数应为2至10之间的整数" in text
    assert 'value="12"' in text and 'value="5"' in text
    assert not Draw.objects.exists()


def test_hash_before_the_draw_and_seed_only_after(client, prepare, jw_clerk, random_plan):
    draw = prepare()
    seed = unseal(draw, "seed", draw.seed_enc)
    before = page(client, jw_clerk, "draw_detail", random_plan.pk, draw.pk).content.decode()
    assert draw.seed_hash in before and "抽取前公布种子的SM3摘要" in before
    assert "开始抽取" in before and "data-confirm" in before
    assert seed not in before
    assert "文水县市场监督管理局" in before  # the pools, by name

    response = page(client, jw_clerk, "draw_run", random_plan.pk, draw.pk, method="post")
    assert response.status_code == 302
    after = page(client, jw_clerk, "draw_detail", random_plan.pk, draw.pk).content.decode()
    draw.refresh_from_db()
    assert seed in after and draw.seed_hash in after
    assert "抽取结果" in after and "验证抽取结果" in after
    team = InspectionUnit.objects.filter(draw=draw).first()
    assert team.org.name in after
    assert (
        'action="{}"'.format(reverse("inspections:draw_run", args=[random_plan.pk, draw.pk]))
        not in after
    )


def test_second_run_from_the_page_is_refused(client, drawn, random_plan, sf_leader):
    response = page(client, sf_leader, "draw_run", random_plan.pk, drawn.pk, method="post")
    assert response.status_code == 409
    assert "不能重复抽取" in response.content.decode()


def test_verify_page_shows_each_check(client, drawn, random_plan, jw_clerk):
    text = page(client, jw_clerk, "draw_verify", random_plan.pk, drawn.pk).content.decode()
    assert text.count("✓ 一致") == 6 and "✗" not in text
    Draw.objects.filter(pk=drawn.pk).update(result=[])
    text = page(client, jw_clerk, "draw_verify", random_plan.pk, drawn.pk).content.decode()
    assert "✗ 不一致" in text and "校验未通过" in text


# --- Who sees the draws: organisers and inspectors; never the units, outsiders or the 三员.


@pytest.fixture
def under_way(prepare, random_plan, jw_clerk):
    """All three departments drawn, then the inspection started: the units now see the plan."""
    from xianjie.inspections.services.draws import draw_run

    draw = draw_run(draw_id=prepare(unit_count=3).pk, actor=jw_clerk)
    random_plan.status = "under_way"
    random_plan.save(update_fields=["status"])
    return draw


VIEWS = ("draw_list", "draw_detail", "draw_verify")


@pytest.mark.parametrize("persona", ["jw_clerk", "jw_leader", "sf_clerk", "sf_leader"])
@pytest.mark.parametrize("view", VIEWS)
def test_organisers_see_the_draws(request, client, under_way, random_plan, persona, view):
    args = (random_plan.pk,) if view == "draw_list" else (random_plan.pk, under_way.pk)
    user = request.getfixturevalue(persona)
    assert page(client, user, view, *args).status_code == 200


@pytest.mark.parametrize("view", VIEWS)
def test_inspectors_see_the_draws_but_may_not_run(
    client, prepare, random_plan, county, sj_clerk, view
):
    draw = prepare()
    InspectionUnit.objects.create(inspection=random_plan, org=county["jy_dept"]).inspectors.set(
        [sj_clerk]
    )
    args = (random_plan.pk,) if view == "draw_list" else (random_plan.pk, draw.pk)
    response = page(client, sj_clerk, view, *args)
    assert response.status_code == 200
    assert "开始抽取</button>" not in response.content.decode()
    assert 'name="units"' not in response.content.decode()
    assert (
        page(client, sj_clerk, "draw_run", random_plan.pk, draw.pk, method="post").status_code
        == 403
    )


@pytest.mark.parametrize(
    "persona", ["sj_leader", "jt_leader", "outsider", "sysadmin", "secadmin", "auditor"]
)
@pytest.mark.parametrize("view", VIEWS)
def test_units_outsiders_and_admins_get_404(request, client, under_way, random_plan, persona, view):
    user = request.getfixturevalue(persona)
    members = {u for item in under_way.result for u in item["inspectors"]}
    assert user.pk not in members
    args = (random_plan.pk,) if view == "draw_list" else (random_plan.pk, under_way.pk)
    assert page(client, user, view, *args).status_code == 404


def test_units_cannot_run_a_draw(client, prepare, random_plan, sj_leader):
    draw = prepare()
    response = page(client, sj_leader, "draw_run", random_plan.pk, draw.pk, method="post")
    assert response.status_code == 404
    assert Draw.objects.get(pk=draw.pk).status == "committed"


def test_a_draw_of_another_inspection_is_404(client, drawn, make_inspection, jw_clerk):
    other = make_inspection(title="另一次督查")
    assert page(client, jw_clerk, "draw_detail", other.pk, drawn.pk).status_code == 404
