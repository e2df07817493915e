"""Org tree services (第二条): kinds, parents, 文号 codes, audit."""

from __future__ import annotations

import pytest

from xianjie.accounts.models import Org, OrgKind, Region
from xianjie.accounts.services import org_create, org_update, region_create
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import InvalidInput, NotPermitted

from ..factories import OfficerFactory, RegionFactory


def _create(actor, **overrides):
    values = {
        "name": "文水县应急管理局",
        "short_name": "县应急局",
        "code": "文应急",
        "kind": OrgKind.ENFORCEMENT,
        "region": Region.objects.get(code="141128"),
        "actor": actor,
    }
    return org_create(**(values | overrides))


def test_org_create_saves_and_audits(sysadmin):
    org = _create(sysadmin)
    stored = Org.objects.get(pk=org.pk)
    assert (stored.name, stored.code, stored.kind) == ("文水县应急管理局", "文应急", "enforcement")
    entry = AuditEntry.objects.get(action="org.create")
    assert entry.object_id == str(org.pk)
    assert entry.actor_id == sysadmin.pk
    assert entry.payload == {"code": "文应急", "kind": "enforcement", "parent": None}


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "sf_leader"])
def test_org_create_refused_to_anyone_but_sysadmin(persona, request):
    with pytest.raises(NotPermitted):
        _create(request.getfixturevalue(persona))
    assert not Org.objects.filter(code="文应急").exists()


def test_org_create_lists_every_bad_field_and_writes_nothing(sysadmin):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, name="  ", code="文 应", kind="ministry", region=None)
    assert set(refused.value.errors) == {"name", "code", "kind", "region"}
    assert refused.value.errors["name"] == ["此项必填。"]
    assert refused.value.errors["code"] == ["文号代字不能含空格。"]
    assert Org.objects.filter(code="文 应").count() == 0
    assert AuditEntry.objects.count() == before


def test_org_code_and_name_unique_within_region(sysadmin):
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, code="文司", name="文水县司法局")
    assert refused.value.errors["code"] == ["本行政区划内已有机构使用文号代字“文司”。"]
    assert refused.value.errors["name"] == ["本行政区划内已有同名机构。"]


def test_org_code_may_repeat_in_another_region(sysadmin):
    other = RegionFactory(code="141129", name="交城县")
    org = _create(sysadmin, code="文司", name="交城县某局", region=other)
    assert org.region == other


@pytest.mark.article(2)
def test_dept_supervision_needs_an_enforcement_parent(sysadmin, county):
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, kind=OrgKind.DEPT_SUPERVISION)
    assert "parent" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, kind=OrgKind.DEPT_SUPERVISION, parent=county["sf"])
    assert refused.value.errors["parent"] == ["上级机构须为行政执法机关。"]
    unit = _create(sysadmin, kind=OrgKind.DEPT_SUPERVISION, parent=county["jt_dept"])
    assert unit.parent == county["jt_dept"]


@pytest.mark.article(2)
def test_other_kinds_nest_only_within_their_kind(sysadmin, county):
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, kind=OrgKind.ENFORCEMENT, parent=county["jw"])
    assert refused.value.errors["parent"] == ["上级机构须为行政执法机关。"]
    dispatched = _create(sysadmin, name="文水县市场监管局城区所", parent=county["sj_dept"])
    assert dispatched.parent == county["sj_dept"]


def test_parent_must_be_in_the_same_region(sysadmin, county):
    other = RegionFactory(code="141129", name="交城县")
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, region=other, parent=county["sj_dept"])
    assert refused.value.errors["parent"] == ["上级机构须属于同一行政区划。"]


def test_org_update_changes_fields_and_audits_them(sysadmin, county):
    org = org_update(org=county["jt_dept"], short_name="县交通局", sort_order=5, actor=sysadmin)
    org.refresh_from_db()
    assert (org.short_name, org.sort_order) == ("县交通局", 5)
    entry = AuditEntry.objects.get(action="org.update")
    assert sorted(entry.payload["fields"]) == ["short_name", "sort_order"]


def test_org_update_without_change_writes_no_audit(sysadmin, county):
    org_update(org=county["jt_dept"], name="文水县交通运输局", actor=sysadmin)
    assert not AuditEntry.objects.filter(action="org.update").exists()


def test_org_update_refuses_a_cycle(sysadmin, county):
    with pytest.raises(InvalidInput) as refused:
        org_update(org=county["sj_dept"], parent=county["sj"], actor=sysadmin)
    # The legal unit is dept_supervision (wrong kind) and a child of the department (a cycle).
    assert "上级机构不能是本机构或其下级机构。" in refused.value.errors["parent"]
    county["sj_dept"].refresh_from_db()
    assert county["sj_dept"].parent is None


@pytest.mark.article(2)
def test_org_update_kind_must_fit_children_and_officers(sysadmin, county):
    OfficerFactory(org=county["jt_dept"])
    with pytest.raises(InvalidInput) as refused:
        org_update(org=county["jt_dept"], kind=OrgKind.JUSTICE, actor=sysadmin)
    assert refused.value.errors["kind"] == [
        "其下级机构的类别与此类别不相容，请先调整下级机构。",
        "该机构登记有执法人员，机构类别须为行政执法机关。",
    ]
    assert Org.objects.get(pk=county["jt_dept"].pk).kind == OrgKind.ENFORCEMENT


def test_org_update_refused_to_clerk(jt_clerk, county):
    with pytest.raises(NotPermitted):
        org_update(org=county["jt"], name="改名", actor=jt_clerk)
    assert Org.objects.get(pk=county["jt"].pk).name == "文水县交通运输局法制股"


def test_org_update_rejects_unknown_fields(sysadmin, county):
    with pytest.raises(TypeError):
        org_update(org=county["jt"], id=99, actor=sysadmin)


def test_region_create_checks_code(sysadmin):
    with pytest.raises(InvalidInput) as refused:
        region_create(code="14A", name="", level="village", actor=sysadmin)
    assert set(refused.value.errors) == {"code", "name", "level"}
    region = region_create(code="141100", name="吕梁市", level="city", actor=sysadmin)
    assert AuditEntry.objects.filter(action="region.create", object_id=str(region.pk)).exists()


def test_org_created_by_the_installation_is_audited_without_actor(county):
    org = _create(None)
    entry = AuditEntry.objects.get(action="org.create")
    assert (entry.actor_id, entry.actor_name, entry.object_id) == (None, "", str(org.pk))


def test_org_tree_lists_children_under_their_parent(sysadmin, county):
    from xianjie.accounts.selectors import org_tree

    rows = org_tree(user=sysadmin)
    names = [(row.org.code, row.depth) for row in rows]
    assert names.index(("文市监", 0)) + 1 == names.index(("文市监法", 1))
    assert len(rows) == Org.objects.count()
