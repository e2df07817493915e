"""Time-limit parameters: seeded defaults with their basis, versioned changes."""

from datetime import date

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.calendar.models import TimeLimitParameter, TimeUnit
from xianjie.calendar.selectors import current_parameter, current_parameters, parameter_history
from xianjie.calendar.services import clock_start, time_limit_change
from xianjie.core.errors import InvalidInput, NotFound, NotPermitted

pytestmark = pytest.mark.django_db


def change(actor, key="referral.receive", **fields):
    values = {"amount": 2, "unit": TimeUnit.WORKDAYS, "basis": "县联席会议决定。", "reason": "提速"}
    values.update(fields)
    return time_limit_change(key=key, actor=actor, **values)


def test_defaults_of_domain_table_are_seeded_as_version_one():
    seeded = {p.key: (p.amount, p.unit, p.version) for p in current_parameters()}
    assert seeded == {
        "rectification": (30, "days", 1),
        "referral.disposal": (30, "days", 1),
        "referral.feedback": (30, "days", 1),
        "referral.receive": (3, "workdays", 1),
        "referral.return_or_forward": (5, "workdays", 1),
        "referral.verify_start": (1, "workdays", 1),
    }


@pytest.mark.article(7)
def test_verification_start_is_one_working_day_on_the_basis_of_article_7_immediately():
    parameter = current_parameter("referral.verify_start")
    assert parameter.display == "1个工作日"
    assert "第七条" in parameter.basis and "立即" in parameter.basis


@pytest.mark.article(5)
def test_feedback_and_return_limits_cite_article_5_and_their_outside_rules():
    assert "监察法实施条例" in current_parameter("referral.return_or_forward").basis
    assert "第五条" in current_parameter("referral.feedback").basis
    assert "监督执纪工作规则" in current_parameter("referral.disposal").basis
    assert "30日" in current_parameter("rectification").basis


def test_change_adds_a_version_and_the_latest_is_current(sysadmin):
    new = change(sysadmin)
    assert (new.version, new.amount, new.changed_by, new.label) == (2, 2, sysadmin, "接收移送线索")
    assert current_parameter("referral.receive") == new
    assert [p.version for p in parameter_history("referral.receive")] == [2, 1]
    old = TimeLimitParameter.objects.get(key="referral.receive", version=1)
    assert old.amount == 3  # never rewritten
    entry = AuditEntry.objects.get(action="time_limit.change")
    assert entry.payload == {
        "key": "referral.receive",
        "version": 2,
        "amount": 2,
        "unit": "workdays",
        "previous_version": 1,
    }


def test_clock_keeps_the_version_it_started_under(sysadmin, record, other_record):
    before = clock_start(obj=record, kind="referral.receive", start=date(2026, 3, 2), actor=None)
    change(sysadmin, amount=1)
    after = clock_start(
        obj=other_record, kind="referral.receive", start=date(2026, 3, 2), actor=None
    )
    before.refresh_from_db()
    assert (before.rule_version, before.due_date) == (1, date(2026, 3, 5))
    assert (after.rule_version, after.due_date) == (2, date(2026, 3, 3))


def test_change_lists_every_bad_field_in_chinese(sysadmin):
    with pytest.raises(InvalidInput) as exc:
        change(sysadmin, amount=0, basis=" ", reason="")
    assert exc.value.errors == {
        "amount": ["期限应为 1 至 365 之间的整数。"],
        "basis": ["请填写依据。"],
        "reason": ["请填写修改理由。"],
    }
    assert current_parameter("referral.receive").version == 1


def test_immediate_unit_takes_zero_and_falls_due_the_same_day(sysadmin, record):
    with pytest.raises(InvalidInput) as exc:
        change(sysadmin, key="referral.verify_start", amount=1, unit=TimeUnit.IMMEDIATE)
    assert exc.value.errors == {"amount": ["计算单位为“立即”时，期限应填 0。"]}
    change(sysadmin, key="referral.verify_start", amount=0, unit=TimeUnit.IMMEDIATE)
    clock = clock_start(
        obj=record, kind="referral.verify_start", start=date(2026, 10, 3), actor=None
    )
    assert clock.due_date == date(2026, 10, 3)


def test_change_identical_to_the_current_version_is_refused(sysadmin):
    current = current_parameter("referral.receive")
    with pytest.raises(InvalidInput) as exc:
        change(sysadmin, amount=current.amount, unit=current.unit, basis=current.basis)
    assert exc.value.errors == {"amount": ["与现行版本相同，无需修改。"]}


def test_change_of_an_unknown_key_is_not_found(sysadmin):
    with pytest.raises(NotFound):
        change(sysadmin, key="referral.nothing")


def test_change_refused_to_everyone_but_the_system_administrator(sf_leader, secadmin, auditor):
    for user in (sf_leader, secadmin, auditor):
        with pytest.raises(NotPermitted):
            change(user)
    assert current_parameter("referral.receive").version == 1
