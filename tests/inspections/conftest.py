"""Fixtures of the inspection tests: plans built directly (no services), for the tests of what
sits on them — draws, findings, tasks. The services that create plans have their own tests."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def make_inspection(county, jw_clerk, sf_clerk):
    """Factory: `make_inspection(method="random", status="planned", organisers=("jw", "sf"),
    units={"sj_dept": [user, user], ...})` — organisers and units are `county` keys."""
    from xianjie.inspections.models import Inspection, InspectionUnit

    def make(
        *,
        method: str = "random",
        status: str = "planned",
        organisers: tuple[str, ...] = ("jw", "sf"),
        units: dict[str, list] | None = None,
        year: int = 2026,
        title: str = "2026年度行政执法联合法治督查",
    ) -> Inspection:
        inspection = Inspection.objects.create(
            region=county["jw"].region,
            year=year,
            title=title,
            method=method,
            topic="行政处罚案卷评查",
            planned_start=datetime.date(year, 3, 2),
            planned_end=datetime.date(year, 3, 31),
            status=status,
            created_by=jw_clerk,
        )
        inspection.organisers.set([county[key] for key in organisers])
        for position, (key, inspectors) in enumerate((units or {}).items()):
            unit = InspectionUnit.objects.create(
                inspection=inspection, org=county[key], position=position
            )
            unit.inspectors.set(inspectors)
        return inspection

    return make


@pytest.fixture
def inspection_under_way(make_inspection, jw_clerk, sf_clerk, jt_clerk):
    """A special inspection under way of the market regulator (team: jw.clerk, sf.clerk) and the
    transport bureau (team: jw.clerk, sf.clerk)."""
    return make_inspection(
        method="special",
        status="under_way",
        units={"sj_dept": [jw_clerk, sf_clerk], "jt_dept": [jw_clerk, sf_clerk]},
    )
