"""GET /referrals: filters, overdue clocks, certificate search, who sees what, query count."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xianjie.calendar.services import clocks_refresh
from xianjie.referrals.services import clocks

from .test_api_support import CERT_NO, api_fixture, create, fault_body, lead_body, send  # noqa: F401

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CONTENT_WORDS = ("facts", "subjects", "summary", "norms", "violation_codes", "王某某", CERT_NO)


def ids(answer):
    return sorted(item["id"] for item in answer["items"])


def person(cert_no):
    return [{"kind": "person", "name": "赵某", "post": "科员", "cert_no": cert_no}]


def test_list_items_carry_status_and_clocks_but_no_content(
    api, county, sf_clerk, sf_leader, jw_clerk, data_dir, sample_file
):
    referral_id = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
    response = api.get(jw_clerk, "/referrals")
    answer = api.ok(response)
    assert answer["count"] == 1
    item = answer["items"][0]
    assert item["id"] == referral_id
    assert item["number"].startswith("文司移〔")
    assert (item["status"], item["status_label"]) == ("sent", "已移送")
    assert item["content_visible"] is True
    assert item["source"] == "supervision_check"
    assert [(d["kind"], d["state"]) for d in item["deadlines"]] == [("referral.receive", "running")]
    assert set(item["deadlines"][0]) == {"kind", "label", "due_date", "state"}
    text = response.content.decode()
    for word in CONTENT_WORDS:
        assert word not in text


def test_list_filters_by_direction_status_source_code_and_date(
    api, county, sf_clerk, sf_leader, jw_clerk, data_dir, sample_file
):
    pdf = sample_file("pdf")
    first = send(api, sf_clerk, sf_leader, lead_body(county), pdf)
    second = send(
        api,
        sf_clerk,
        sf_leader,
        lead_body(county, source="complaint", violation_codes=["P01"], subjects=person("X1")),
        pdf,
    )
    fault = create(api, jw_clerk, fault_body(county))

    def listed(**params):
        return ids(api.ok(api.get(jw_clerk, "/referrals", **params)))

    assert listed() == sorted([first, second, fault])
    assert listed(direction="to_supervision") == [fault]
    assert listed(status="sent") == sorted([first, second])
    assert listed(source="complaint") == [second]
    assert listed(code="P08") == [first]
    assert listed(code="e01") == [fault]
    assert listed(direction="to_discipline", code="P01") == [second]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert listed(date_from=tomorrow) == []
    assert api.ok(api.get(jw_clerk, "/referrals", page_size=2, page=2))["count"] == 3


def test_overdue_true_lists_referrals_with_a_missed_deadline(
    api, county, sf_clerk, sf_leader, jw_clerk, jw_leader, data_dir, sample_file
):
    with time_machine.travel(MONDAY):
        late = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
        prompt = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
        api.ok(api.move(jw_clerk, prompt, "receive"))
        api.ok(api.move(jw_leader, prompt, "dispose", method="hold"))
        assert api.ok(api.get(jw_clerk, "/referrals", overdue="true"))["count"] == 0

    # The receipt was due 2026-11-05 (3 working days); a week later the sweep marks it.
    with time_machine.travel(MONDAY + dt.timedelta(days=7)):
        assert clocks_refresh() == 1
        api.forget_tokens()
        answer = api.ok(api.get(jw_clerk, "/referrals", overdue="true"))
        assert ids(answer) == [late]
        assert answer["items"][0]["deadlines"][0]["state"] == "overdue"
        assert api.ok(api.get(jw_clerk, "/referrals"))["count"] == 2
        detail = api.ok(api.get(sf_clerk, f"/referrals/{late}"))
        assert detail["deadlines"][0]["light"] == "red"


@pytest.mark.article(11)
def test_q_finds_an_exact_certificate_number_or_a_number_fragment(
    api, county, sf_clerk, sf_leader, sj_clerk, sj_leader, jw_clerk, data_dir, sample_file
):
    pdf = sample_file("pdf")
    named = send(api, sf_clerk, sf_leader, lead_body(county), pdf)
    other = send(api, sf_clerk, sf_leader, lead_body(county, subjects=person("X2")), pdf)
    from_unit = send(api, sj_clerk, sj_leader, lead_body(county), pdf)

    def found(user, q):
        return ids(api.ok(api.get(user, "/referrals", q=q)))

    assert found(jw_clerk, CERT_NO) == sorted([named, from_unit])
    assert found(jw_clerk, CERT_NO.lower()) == sorted([named, from_unit])
    assert found(jw_clerk, CERT_NO[:-1]) == []
    assert found(jw_clerk, "文司移") == sorted([named, other])
    # The justice bureau sees the unit's referral in its list (status only) but a search by
    # certificate number never matches content it may not read.
    assert from_unit in ids(api.ok(api.get(sf_clerk, "/referrals")))
    assert found(sf_clerk, CERT_NO) == [named]
    assert found(sf_clerk, "文市监法移") == [from_unit]


PERSONAS = [
    "sj_clerk",
    "sj_leader",
    "jw_clerk",
    "jw_leader",
    "sf_clerk",
    "sf_leader",
    "jt_clerk",
    "jt_leader",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
]


@pytest.mark.article(11)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_and_opens_only_what_it_may(
    api, county, make_referral, request, persona
):
    user = request.getfixturevalue(persona)
    rows = {
        "unit_lead": make_referral(sender="sj", receiver="jw", status="sent"),
        "fault_to_unit": make_referral(sender="jw", receiver="jt", status="received"),
        "justice_draft": make_referral(sender="sf", receiver="jw", status="draft"),
        "fault_to_justice": make_referral(sender="jw", receiver="sf", status="handling"),
    }
    org = persona.split("_")[0]
    readable = {
        "sj": {"unit_lead"},
        "jw": {"unit_lead", "fault_to_unit", "fault_to_justice"},
        "sf": {"justice_draft", "fault_to_justice"},
        "jt": {"fault_to_unit"},
    }.get(org, set())
    # 司法局: the status of referrals involving departmental legal units, never their content.
    status_only = {"unit_lead", "fault_to_unit"} if org == "sf" else set()

    answer = api.ok(api.get(user, "/referrals"))
    listed = {item["id"]: item for item in answer["items"]}
    expected = {rows[key].pk for key in readable | status_only}
    assert answer["count"] == len(expected)
    assert set(listed) == expected
    for key, referral in rows.items():
        if referral.pk in listed:
            assert listed[referral.pk]["content_visible"] is (key in readable)
            assert (listed[referral.pk]["source"] is None) is (key not in readable)
        response = api.get(user, f"/referrals/{referral.pk}")
        assert response.status_code == (200 if key in readable else 404), key


def test_a_page_of_twenty_costs_the_same_few_queries_as_a_page_of_two(
    api, county, sf_clerk, jw_clerk, make_referral
):
    for _ in range(22):
        referral = make_referral(sender="sf", receiver="jw", status="received")
        clocks.start(referral, clocks.RETURN_OR_FORWARD, jw_clerk)
        clocks.start(referral, clocks.DISPOSAL, jw_clerk)
    api.ok(api.get(jw_clerk, "/referrals", page_size=1))  # the token is issued and touched

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            answer = api.ok(api.get(jw_clerk, "/referrals", page_size=page_size))
        assert len(answer["items"]) == page_size
        assert all(len(item["deadlines"]) == 2 for item in answer["items"])
        return len(captured)

    assert queries(20) == queries(2)


def test_a_page_of_twenty_stays_within_the_query_budget(
    api, county, sf_clerk, jw_clerk, make_referral, django_assert_max_num_queries
):
    for _ in range(20):
        referral = make_referral(sender="sf", receiver="jw", status="sent")
        clocks.start(referral, clocks.RECEIVE, jw_clerk)
    api.ok(api.get(jw_clerk, "/referrals", page_size=1))
    with django_assert_max_num_queries(8):
        answer = api.ok(api.get(jw_clerk, "/referrals", page_size=20))
    assert len(answer["items"]) == 20
