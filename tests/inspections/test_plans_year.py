"""第八条 "每年至少开展一次": a year's record counts the joint inspections held (under way,
reported or closed); from 1 October of a year with none held the record warns, and the sweep
tells the leaders of the commission and the justice bureau once per region and year."""

from __future__ import annotations

import datetime

import pytest

from xianjie.inspections.selectors.plans import inspection_year_record, inspection_years
from xianjie.inspections.services.plans import warn_missing_inspection
from xianjie.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.article(8)]

SEPT_30 = datetime.date(2026, 9, 30)
OCT_1 = datetime.date(2026, 10, 1)


def record(county, year=2026, today=OCT_1, user=None):
    return inspection_year_record(region=county["jw"].region, year=year, today=today, user=user)


def test_a_year_without_inspections_is_not_met_and_warns_from_1_october(county):
    before = record(county, today=SEPT_30)
    assert (before.held, before.met, before.warning) == (0, False, False)
    on = record(county, today=OCT_1)
    assert (on.held, on.met, on.warning) == (0, False, True)
    assert record(county, today=datetime.date(2026, 12, 31)).warning


@pytest.mark.parametrize(
    ("status", "held"),
    [("planned", 0), ("cancelled", 0), ("under_way", 1), ("reported", 1), ("closed", 1)],
)
def test_only_started_inspections_count_as_held(county, make_inspection, status, held):
    plan = make_inspection(status=status)
    result = record(county)
    assert (result.held, result.met, result.warning) == (held, bool(held), not held)
    assert result.inspections == [plan]


def test_a_past_year_never_warns_and_another_year_does_not_count(county, make_inspection):
    make_inspection(status="closed", year=2025)
    past = record(county, year=2025, today=OCT_1)
    assert (past.held, past.met, past.warning) == (1, True, False)
    assert record(county, year=2024, today=OCT_1).warning is False
    assert record(county, year=2026, today=OCT_1).held == 0


def test_another_regions_inspection_does_not_count(county, make_inspection):
    from tests.factories import RegionFactory

    plan = make_inspection(status="closed")
    plan.region = RegionFactory(code="141102", name="离石区")
    plan.save(update_fields=["region"])
    assert record(county).held == 0


def test_the_page_record_counts_what_the_user_may_see(
    county, make_inspection, jw_clerk, outsider, sj_clerk, jw_leader, sf_clerk
):
    make_inspection(status="under_way", units={"jt_dept": [jw_leader, sf_clerk]})
    assert record(county, user=jw_clerk).held == 1
    assert record(county, user=outsider).held == 0
    assert record(county, user=outsider).inspections == []
    assert record(county, user=sj_clerk).held == 0


def test_years_run_from_the_first_visible_plan_to_this_year(county, make_inspection, jw_clerk):
    make_inspection(status="closed", year=2024)
    records = inspection_years(user=jw_clerk, today=OCT_1)
    assert [(r.year, r.held, r.met, r.warning) for r in records] == [
        (2026, 0, False, True),
        (2025, 0, False, False),
        (2024, 1, True, False),
    ]


def test_the_three_admins_have_no_years(county, auditor):
    assert inspection_years(user=auditor, today=OCT_1) == []


def titles() -> set[tuple[str, str]]:
    return set(Notification.objects.values_list("recipient__username", "title"))


WARNING = "第八条提醒：2026年度尚未开展联合法治督查（每年至少开展一次）"


def test_the_sweep_waits_until_1_october(county, jw_leader, sf_leader):
    assert warn_missing_inspection(today=SEPT_30) == 0
    assert not Notification.objects.exists()


def test_the_sweep_tells_the_leaders_of_the_commission_and_the_justice_bureau_once(
    county, jw_leader, sf_leader, jw_clerk, sj_leader, make_inspection
):
    make_inspection(status="planned")
    assert warn_missing_inspection(today=OCT_1) == 2
    assert titles() == {("jw.leader", WARNING), ("sf.leader", WARNING)}
    assert Notification.objects.filter(url="/inspections/years/").count() == 2
    # Run again, the next day, or after a crash: nothing is sent twice in the year.
    assert warn_missing_inspection(today=OCT_1) == 0
    assert warn_missing_inspection(today=datetime.date(2026, 11, 2)) == 0
    assert Notification.objects.count() == 2


def test_the_sweep_is_silent_once_an_inspection_is_held(
    county, jw_leader, sf_leader, make_inspection
):
    make_inspection(status="under_way")
    assert warn_missing_inspection(today=OCT_1) == 0
    assert not Notification.objects.exists()


def test_the_sweep_warns_each_region_on_its_own_and_again_next_year(
    county, jw_leader, sf_leader, make_inspection
):
    from tests.factories import OrgFactory, RegionFactory, make_user

    city = RegionFactory(code="141100", name="吕梁市")
    commission = OrgFactory(name="吕梁市纪委监委", code="吕纪", kind="discipline", region=city)
    city_leader = make_user("city.leader", commission, "leader")
    make_inspection(status="closed")
    assert warn_missing_inspection(today=OCT_1) == 1
    assert titles() == {("city.leader", WARNING)}
    assert warn_missing_inspection(today=datetime.date(2027, 10, 1)) == 3
    assert Notification.objects.filter(recipient=city_leader).count() == 2
