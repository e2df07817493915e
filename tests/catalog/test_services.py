"""Local codes: only the system administrator adds or deactivates; nothing is renumbered."""

import pytest

from xianjie.audit.models import AuditEntry
from xianjie.catalog.models import ViolationCode
from xianjie.catalog.services import violation_code_create, violation_code_set_active
from xianjie.core.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db


@pytest.mark.article(13)
def test_sysadmin_adds_local_code_after_the_seeded_ones(sysadmin):
    vc = violation_code_create(
        code="a12", category="agency", text="未按规定公示行政执法信息；", actor=sysadmin
    )
    assert (vc.code, vc.article, vc.item, vc.seeded, vc.is_active) == ("A12", 13, None, False, True)
    assert vc.text == "未按规定公示行政执法信息"
    agency = list(ViolationCode.objects.filter(category="agency").values_list("code", flat=True))
    assert agency[-1] == "A12"
    entry = AuditEntry.objects.get(action="catalog.violation_code.create")
    assert entry.actor_id == sysadmin.pk and entry.payload == {"code": "A12", "category": "agency"}


def test_local_code_lists_every_bad_field(sysadmin):
    with pytest.raises(InvalidInput) as exc:
        violation_code_create(code="Z1", category="nonsense", text="", actor=sysadmin)
    assert set(exc.value.errors) == {"code", "category", "text"}
    assert ViolationCode.objects.count() == 25


@pytest.mark.parametrize(
    ("code", "category", "fragment"),
    [
        ("A01", "agency", "已被使用"),
        ("P05", "agency", "应以 A 开头"),
        ("E1", "fault", "格式"),
    ],
)
def test_local_code_refuses_collision_and_wrong_prefix(sysadmin, code, category, fragment):
    with pytest.raises(InvalidInput) as exc:
        violation_code_create(code=code, category=category, text="某行为", actor=sysadmin)
    assert fragment in exc.value.errors["code"][0]
    assert ViolationCode.objects.get(code="A01").text == "不履行或者拖延履行法定职责"


def test_deactivated_code_still_blocks_its_number(sysadmin):
    violation_code_set_active(
        violation_code=ViolationCode.objects.get(code="E03"), active=False, actor=sysadmin
    )
    with pytest.raises(InvalidInput):
        violation_code_create(code="E03", category="fault", text="另一行为", actor=sysadmin)


@pytest.mark.article(14)
def test_sysadmin_deactivates_and_reactivates_a_seeded_code(sysadmin):
    p02 = ViolationCode.objects.get(code="P02")
    violation_code_set_active(violation_code=p02, active=False, actor=sysadmin)
    p02.refresh_from_db()
    assert not p02.is_active and p02.code == "P02" and p02.item == 2
    violation_code_set_active(violation_code=p02, active=True, actor=sysadmin)
    p02.refresh_from_db()
    assert p02.is_active
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["catalog.violation_code.deactivate", "catalog.violation_code.activate"]


@pytest.mark.parametrize("persona", ["jw_clerk", "sf_leader", "secadmin", "auditor"])
def test_only_sysadmin_changes_the_catalogue(request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotPermitted):
        violation_code_create(code="A12", category="agency", text="某行为", actor=user)
    with pytest.raises(NotPermitted):
        violation_code_set_active(
            violation_code=ViolationCode.objects.get(code="A01"), active=False, actor=user
        )
    assert ViolationCode.objects.filter(is_active=True).count() == 25
    assert not AuditEntry.objects.exists()


def test_everyone_active_reads_the_catalogue(jw_clerk, auditor, outsider):
    for user in (jw_clerk, auditor, outsider):
        assert ViolationCode.objects.restrict(user, "view").count() == 25
    jw_clerk.is_active = False
    assert ViolationCode.objects.restrict(jw_clerk, "view").count() == 0
