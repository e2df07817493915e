"""Shared pieces of the plan tests (第八条): plans made through the real services, request bodies,
and the personas of the secrecy matrix. Test modules import the fixtures they use."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

#: Every persona of tests/conftest.py, by fixture name.
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
    "sysadmin",
    "secadmin",
    "auditor",
)
STATUSES = ("planned", "under_way", "reported", "closed", "cancelled")
MOVES = ("start", "report", "close", "cancel")
#: The valid fields of each move.
MOVE_FIELDS: dict[str, dict[str, str]] = {
    "start": {},
    "report": {"report_summary": "共检查案卷30件，发现问题5个。"},
    "close": {},
    "cancel": {"comment": "因机构改革推迟至下一年度。"},
}


def plan_data(county: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A valid special inspection organised by the commission and the justice bureau."""
    data: dict[str, Any] = {
        "year": 2026,
        "title": "2026年度行政处罚案卷专项检查",
        "method": "special",
        "topic": "行政处罚案卷评查",
        "organisers": [county["jw"].pk, county["sf"].pk],
        "planned_start": datetime.date(2026, 3, 2),
        "planned_end": datetime.date(2026, 3, 31),
    }
    data.update(changes)
    return data


def teams(county: dict[str, Any], spec: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """`{"sj_dept": [user, user]}` → the `units` argument of inspection_units_set."""
    return [
        {"org": county[key].pk, "inspectors": [user.pk for user in users]}
        for key, users in spec.items()
    ]


@pytest.fixture(name="planned")
def planned_fixture(county, jw_clerk):
    """A special inspection planned by jw.clerk with the justice bureau, no units yet."""
    from xianjie.inspections.services.plans import inspection_create

    return inspection_create(actor=jw_clerk, **plan_data(county))


@pytest.fixture(name="staffed")
def staffed_fixture(planned, county, jw_clerk, jw_leader, sf_clerk):
    """`planned` with two units: the market regulator (team jw.leader, sf.clerk) and the
    transport bureau (team jw.leader, sf.clerk)."""
    from xianjie.inspections.services.teams import inspection_units_set

    spec = {"sj_dept": [jw_leader, sf_clerk], "jt_dept": [jw_leader, sf_clerk]}
    return inspection_units_set(inspection_id=planned.pk, actor=jw_clerk, units=teams(county, spec))


@pytest.fixture(name="matrix")
def matrix_fixture(make_inspection, jw_leader, sf_clerk, jt_clerk):
    """A plan in every status, organised by the commission and the justice bureau, inspecting
    the market regulator (team jw.leader, jt.clerk) and the transport bureau (jw.leader,
    sf.clerk): jt.clerk is an inspector of one unit and a person of the other."""
    return {
        status: make_inspection(
            method="special",
            status=status,
            title=f"督查（{status}）",
            units={"sj_dept": [jw_leader, jt_clerk], "jt_dept": [jw_leader, sf_clerk]},
        )
        for status in STATUSES
    }


ORGANISERS = {"jw_clerk", "jw_leader", "sf_clerk", "sf_leader"}
INSPECTORS = {"jt_clerk"}
#: The people of each inspected unit: its own users and those of its legal unit (法制股).
UNIT_PEOPLE = {"sj_dept": {"sj_clerk", "sj_leader"}, "jt_dept": {"jt_clerk", "jt_leader"}}


def may_see_plan(persona: str, status: str, action: str = "view") -> bool:
    """The rule of the policy as the tests state it, independently of policies.py: organisers
    see and change; inspectors see; the units see once it is under way; nobody else."""
    if persona in ORGANISERS:
        return True
    if action == "change":
        return False
    announced = status not in ("planned", "cancelled")
    in_unit = any(persona in people for people in UNIT_PEOPLE.values())
    return persona in INSPECTORS or (announced and in_unit)


def may_see_unit(persona: str, status: str, unit: str, action: str = "view") -> bool:
    if persona in ORGANISERS:
        return True
    if action == "change":
        return False
    announced = status not in ("planned", "cancelled")
    return persona in INSPECTORS or (announced and persona in UNIT_PEOPLE[unit])
