"""The officer registry (行政执法人员, 第四条: 姓名、职务、执法证编号)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction

from xianjie.audit.services import audit_record

from ..models import CertStatus, Officer, Org, OrgKind, Role, User
from ._base import (
    REQUIRED,
    Errors,
    apply,
    check_text,
    insert,
    only,
    require_manageable,
    require_role,
    text,
)

#: 执法证号: 1–32 digits or uppercase letters (national and provincial certificates both fit).
CERT_NO_RE = re.compile(r"[0-9A-Z]{1,32}")
OFFICER_FIELDS = frozenset(
    {"name", "org", "post", "cert_no", "cert_status", "valid_from", "valid_until"}
)


def cert_no_problem(cert_no: str) -> str | None:
    """The format rule of 执法证号, shared with the Excel import."""
    if not cert_no:
        return REQUIRED
    if not CERT_NO_RE.fullmatch(cert_no):
        return "格式不正确，应为1至32位数字或大写字母。"
    return None


def officer_problems(values: dict[str, Any]) -> dict[str, list[str]]:
    """Every rule of one officer record that needs no look-up of other officers; cleans `values`."""
    errors = Errors()
    for field in ("name", "post", "cert_no"):
        values[field] = text(values.get(field))
    check_text(errors, "name", values["name"], 50, required=True)
    check_text(errors, "post", values["post"], 50, required=False)
    if problem := cert_no_problem(values["cert_no"]):
        errors.add("cert_no", problem)
    org = values.get("org")
    if org is None:
        errors.add("org", REQUIRED)
    elif org.kind != OrgKind.ENFORCEMENT:
        errors.add("org", "须为行政执法机关。")
    if values.get("cert_status") not in CertStatus.values:
        errors.add("cert_status", "应为有效、暂扣、吊销或注销。")
    start: date | None = values.get("valid_from")
    end: date | None = values.get("valid_until")
    if start is not None and end is not None and end < start:
        errors.add("valid_until", "不得早于有效期起。")
    return errors


def officer_create(
    *,
    name: str,
    org: Org,
    cert_no: str,
    post: str = "",
    cert_status: str = CertStatus.VALID,
    valid_from: date | None = None,
    valid_until: date | None = None,
    actor: User | None,
) -> Officer:
    require_role(actor, Role.SYSADMIN)
    values: dict[str, Any] = {
        "name": name,
        "org": org,
        "post": post,
        "cert_no": cert_no,
        "cert_status": cert_status,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    errors = Errors(officer_problems(values))
    with transaction.atomic():
        if "cert_no" not in errors and Officer.objects.filter(cert_no=values["cert_no"]).exists():
            errors.add("cert_no", "该执法证号已登记。")
        errors.raise_if_any()
        officer = Officer(**values)
        insert(officer)
        audit_record(
            actor=actor,
            action="officer.create",
            obj=officer,
            payload={"org": officer.org_id, "cert_status": officer.cert_status},
        )
    return officer


def officer_update(*, officer: Officer, actor: User | None, **changes: Any) -> Officer:
    """Change any of OFFICER_FIELDS, e.g. record a certificate 暂扣 or 吊销."""
    only(changes, OFFICER_FIELDS)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        require_manageable(actor, Officer.objects, officer)
        values = {field: getattr(officer, field) for field in OFFICER_FIELDS} | changes
        errors = Errors(officer_problems(values))
        taken = Officer.objects.filter(cert_no=values["cert_no"]).exclude(pk=officer.pk)
        if "cert_no" not in errors and taken.exists():
            errors.add("cert_no", "该执法证号已登记。")
        errors.raise_if_any()
        changed = apply(officer, values)
        if changed:
            audit_record(
                actor=actor,
                action="officer.update",
                obj=officer,
                payload={"fields": changed, "cert_status": officer.cert_status},
            )
    return officer
