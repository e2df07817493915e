"""The officer registry (行政执法人员, 第四条: 姓名、职务、执法证编号)."""

from __future__ import annotations

from datetime import date

import pytest

from xianjie.accounts.models import CertStatus, Officer
from xianjie.accounts.services import officer_create, officer_update
from xianjie.audit.models import AuditEntry
from xianjie.core.errors import InvalidInput, NotPermitted

from ..factories import OfficerFactory


def _create(actor, org, **overrides):
    values = {
        "name": "王某某",
        "org": org,
        "post": "执法队员",
        "cert_no": "14110012345",
        "cert_status": CertStatus.VALID,
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2028, 12, 31),
        "actor": actor,
    }
    return officer_create(**(values | overrides))


@pytest.mark.article(4)
def test_officer_create_saves_and_audits(sysadmin, county):
    officer = _create(sysadmin, county["sj_dept"])
    stored = Officer.objects.get(cert_no="14110012345")
    assert (stored.name, stored.org, stored.post) == ("王某某", county["sj_dept"], "执法队员")
    entry = AuditEntry.objects.get(action="officer.create")
    assert entry.object_id == str(officer.pk)
    assert entry.payload == {"org": county["sj_dept"].pk, "cert_status": "valid"}
    assert "王某某" not in str(entry.payload)


def test_officer_create_lists_every_bad_field_and_writes_nothing(sysadmin, county):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _create(
            sysadmin,
            county["sf"],
            name="",
            cert_no="1411-abc",
            cert_status="lost",
            valid_from=date(2026, 5, 1),
            valid_until=date(2026, 4, 30),
        )
    assert refused.value.errors == {
        "name": ["此项必填。"],
        "cert_no": ["格式不正确，应为1至32位数字或大写字母。"],
        "org": ["须为行政执法机关。"],
        "cert_status": ["应为有效、暂扣、吊销或注销。"],
        "valid_until": ["不得早于有效期起。"],
    }
    assert not Officer.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("cert_no", ["A" * 33, "14110 12345", "京A1234", "abc123"])
def test_cert_no_format_refused(sysadmin, county, cert_no):
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, county["sj_dept"], cert_no=cert_no)
    assert list(refused.value.errors) == ["cert_no"]


@pytest.mark.parametrize("cert_no", ["1", "A" * 32, "SX14110012345"])
def test_cert_no_format_accepted(sysadmin, county, cert_no):
    assert _create(sysadmin, county["sj_dept"], cert_no=cert_no).cert_no == cert_no


def test_cert_no_unique(sysadmin, county):
    OfficerFactory(org=county["jt_dept"], cert_no="14110012345")
    with pytest.raises(InvalidInput) as refused:
        _create(sysadmin, county["sj_dept"])
    assert refused.value.errors == {"cert_no": ["该执法证号已登记。"]}
    assert Officer.objects.count() == 1


def test_same_validity_day_accepted(sysadmin, county):
    officer = _create(
        sysadmin, county["sj_dept"], valid_from=date(2026, 1, 1), valid_until=date(2026, 1, 1)
    )
    assert officer.valid_from == officer.valid_until


@pytest.mark.parametrize("persona", ["secadmin", "sf_clerk", "sj_leader"])
def test_officer_create_refused_to_anyone_but_sysadmin(persona, request, county):
    with pytest.raises(NotPermitted):
        _create(request.getfixturevalue(persona), county["sj_dept"])
    assert not Officer.objects.exists()


def test_officer_update_records_suspension(sysadmin, county):
    officer = _create(sysadmin, county["sj_dept"])
    officer_update(officer=officer, cert_status=CertStatus.SUSPENDED, actor=sysadmin)
    assert Officer.objects.get(pk=officer.pk).cert_status == "suspended"
    entry = AuditEntry.objects.get(action="officer.update")
    assert entry.payload == {"fields": ["cert_status"], "cert_status": "suspended"}


def test_officer_update_keeps_own_cert_no_but_refuses_anothers(sysadmin, county):
    officer = _create(sysadmin, county["sj_dept"])
    OfficerFactory(org=county["jt_dept"], cert_no="14110022001")
    officer_update(officer=officer, cert_no="14110012345", post="副所长", actor=sysadmin)
    with pytest.raises(InvalidInput) as refused:
        officer_update(officer=officer, cert_no="14110022001", actor=sysadmin)
    assert refused.value.errors == {"cert_no": ["该执法证号已登记。"]}
    officer.refresh_from_db()
    assert (officer.cert_no, officer.post) == ("14110012345", "副所长")


def test_officer_update_refused_to_clerk(sj_clerk, county):
    officer = OfficerFactory(org=county["sj_dept"])
    with pytest.raises(NotPermitted):
        officer_update(officer=officer, cert_status=CertStatus.REVOKED, actor=sj_clerk)
    assert Officer.objects.get(pk=officer.pk).cert_status == "valid"
