"""Regions and the org tree (第二条)."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from xianjie.audit.services import audit_record

from ..models import Org, OrgKind, Region, RegionLevel, Role, User
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

REGION_CODE_RE = re.compile(r"[0-9]{6,12}")
ORG_FIELDS = frozenset(
    {"name", "short_name", "code", "kind", "parent", "region", "is_active", "sort_order"}
)


def region_create(*, code: str, name: str, level: str, actor: User | None) -> Region:
    require_role(actor, Role.SYSADMIN)
    code, name = text(code), text(name)
    errors = Errors()
    if not REGION_CODE_RE.fullmatch(code):
        errors.add("code", "区划代码应为6至12位数字。")
    check_text(errors, "name", name, 50, required=True)
    if level not in RegionLevel.values:
        errors.add("level", "请选择有效的层级。")
    with transaction.atomic():
        if code and Region.objects.filter(code=code).exists():
            errors.add("code", "该区划代码已存在。")
        errors.raise_if_any()
        region = Region(code=code, name=name, level=level)
        insert(region)
        audit_record(actor=actor, action="region.create", obj=region, payload={"code": code})
    return region


def _parent_fits(parent_kind: str, child_kind: str) -> bool:
    """第二条: a 法制机构 sits under its enforcement department; other orgs nest within their kind
    (e.g. a dispatched enforcement body under its department)."""
    if child_kind == OrgKind.DEPT_SUPERVISION:
        return parent_kind == OrgKind.ENFORCEMENT
    return parent_kind == child_kind


def _check_org(values: dict[str, Any], org: Org | None) -> None:
    errors = Errors()
    for field, max_length, required in (("name", 100, True), ("short_name", 50, False)):
        values[field] = text(values.get(field))
        check_text(errors, field, values[field], max_length, required)
    code = values["code"] = text(values.get("code"))
    check_text(errors, "code", code, 20, required=True)
    if code and re.search(r"\s", code):
        errors.add("code", "文号代字不能含空格。")
    kind, parent, region = values.get("kind"), values.get("parent"), values.get("region")
    if kind not in OrgKind.values:
        errors.add("kind", "请选择机构类别。")
    if region is None:
        errors.add("region", REQUIRED)
    if not isinstance(values.get("sort_order"), int) or values["sort_order"] < 0:
        errors.add("sort_order", "排序应为不小于0的整数。")
    if kind == OrgKind.DEPT_SUPERVISION and parent is None:
        errors.add("parent", "部门法制机构须设在其行政执法机关之下，请选择上级机构。")
    if parent is not None and kind in OrgKind.values:
        if not _parent_fits(parent.kind, kind):
            wanted = OrgKind.ENFORCEMENT if kind == OrgKind.DEPT_SUPERVISION else OrgKind(kind)
            errors.add("parent", f"上级机构须为{wanted.label}。")
        if region is not None and parent.region_id != region.pk:
            errors.add("parent", "上级机构须属于同一行政区划。")
        ancestor: Org | None = parent
        while org is not None and ancestor is not None:
            if ancestor.pk == org.pk:
                errors.add("parent", "上级机构不能是本机构或其下级机构。")
                break
            ancestor = ancestor.parent
    if region is not None:
        others = Org.objects.filter(region=region)
        if org is not None:
            others = others.exclude(pk=org.pk)
        if code and others.filter(code=code).exists():
            errors.add("code", f"本行政区划内已有机构使用文号代字“{code}”。")
        if values["name"] and others.filter(name=values["name"]).exists():
            errors.add("name", "本行政区划内已有同名机构。")
    if org is not None and kind in OrgKind.values:
        children = list(org.children.all())
        if any(not _parent_fits(kind, child.kind) for child in children):
            errors.add("kind", "其下级机构的类别与此类别不相容，请先调整下级机构。")
        if region is not None and any(child.region_id != region.pk for child in children):
            errors.add("region", "其下级机构属于原行政区划，不能单独更改。")
        if kind != OrgKind.ENFORCEMENT and org.officers.exists():
            errors.add("kind", "该机构登记有执法人员，机构类别须为行政执法机关。")
    errors.raise_if_any()


def org_create(
    *,
    name: str,
    code: str,
    kind: str,
    region: Region,
    parent: Org | None = None,
    short_name: str = "",
    sort_order: int = 0,
    actor: User | None,
) -> Org:
    require_role(actor, Role.SYSADMIN)
    values: dict[str, Any] = {
        "name": name,
        "short_name": short_name,
        "code": code,
        "kind": kind,
        "parent": parent,
        "region": region,
        "sort_order": sort_order,
    }
    with transaction.atomic():
        _check_org(values, None)
        org = Org(**values)
        insert(org)
        audit_record(
            actor=actor,
            action="org.create",
            obj=org,
            payload={"code": org.code, "kind": org.kind, "parent": org.parent_id},
        )
    return org


def org_update(*, org: Org, actor: User | None, **changes: Any) -> Org:
    """Change any of ORG_FIELDS; fields not given keep their value."""
    only(changes, ORG_FIELDS)
    with transaction.atomic():
        org = Org.objects.select_for_update().get(pk=org.pk)
        require_manageable(actor, Org.objects, org)
        values = {field: getattr(org, field) for field in ORG_FIELDS} | changes
        _check_org(values, org)
        changed = apply(org, values)
        if changed:
            audit_record(actor=actor, action="org.update", obj=org, payload={"fields": changed})
    return org
