"""resolve_codes: what referrals use to check the codes a lead or a fault is tagged with."""

import pytest

from xianjie.catalog.models import ViolationCategory, ViolationCode
from xianjie.catalog.selectors import resolve_codes
from xianjie.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

LEAD = [ViolationCategory.AGENCY, ViolationCategory.PERSONNEL]


@pytest.mark.article(4)
def test_resolve_codes_returns_entries_in_given_order_once_each():
    found = resolve_codes(["P08", "a01", " P08 "], categories=LEAD)
    assert [vc.code for vc in found] == ["P08", "A01"]
    assert found[0].text == "未按要求对行政执法行为进行全过程记录"


def test_resolve_codes_names_every_unknown_code():
    with pytest.raises(InvalidInput) as exc:
        resolve_codes(["A01", "X99", "A12"])
    assert exc.value.errors == {
        "violation_codes": ["未知的违法违纪行为代码：X99", "未知的违法违纪行为代码：A12"]
    }


@pytest.mark.article(6)
def test_resolve_codes_refuses_fault_codes_on_a_lead():
    with pytest.raises(InvalidInput) as exc:
        resolve_codes(["A01", "E01"], categories=LEAD)
    (message,) = exc.value.errors["violation_codes"]
    assert "E01" in message and "不适用" in message


@pytest.mark.article(6)
def test_resolve_codes_refuses_lead_codes_on_a_fault():
    with pytest.raises(InvalidInput) as exc:
        resolve_codes(["E02", "P02", "Q1"], categories=[ViolationCategory.FAULT])
    messages = exc.value.errors["violation_codes"]
    assert len(messages) == 2
    assert "P02" in messages[0] and "执法过错" in messages[0]
    assert messages[1] == "未知的违法违纪行为代码：Q1"


def test_resolve_codes_refuses_a_deactivated_code():
    ViolationCode.objects.filter(code="A03").update(is_active=False)
    with pytest.raises(InvalidInput) as exc:
        resolve_codes(["A03"])
    assert exc.value.errors == {"violation_codes": ["违法违纪行为代码 A03 已停用"]}


def test_resolve_codes_of_nothing_is_empty():
    assert resolve_codes([]) == []
