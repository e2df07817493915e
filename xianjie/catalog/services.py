"""Changes to the violation catalogue, made only by the system administrator.

Seeded codes (第十三条 A01–A11, 第十四条 P01–P10, 第六条 E01–E03 and E99) are never renumbered or
deleted; like local codes they can only be deactivated, so old records keep their meaning.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from xianjie.access.restrict import require_role
from xianjie.accounts.models import Role
from xianjie.audit.services import audit_record
from xianjie.core.errors import InvalidInput

from .models import CATEGORY_ARTICLE, CATEGORY_PREFIX, ViolationCategory, ViolationCode

CODE_PATTERN = re.compile(r"^[APE]\d{2,3}$")
TEXT_MAX_LENGTH = ViolationCode._meta.get_field("text").max_length or 200


def _validate_new_code(code: str, category: str, text: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if category not in ViolationCategory.values:
        errors["category"] = ["请选择类别。"]
    if not code:
        errors["code"] = ["请填写代码。"]
    elif not CODE_PATTERN.match(code):
        errors["code"] = ["代码格式为类别字母（A、P 或 E）加两到三位数字，例如 A12。"]
    elif category in CATEGORY_PREFIX and not code.startswith(CATEGORY_PREFIX[category]):
        label = ViolationCategory(category).label
        errors["code"] = [f"{label}类的代码应以 {CATEGORY_PREFIX[category]} 开头。"]
    elif ViolationCode.objects.filter(code=code).exists():
        errors["code"] = [f"代码 {code} 已被使用（含已停用的代码），请换一个。"]
    if not text:
        errors["text"] = ["请填写行为描述。"]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [f"行为描述不能超过 {TEXT_MAX_LENGTH} 个字（当前 {len(text)} 个）。"]
    return errors


def violation_code_create(*, code: str, category: str, text: str, actor: Any) -> ViolationCode:
    """Add a local code after the seeded ones of its category (第十三、十四、六条)."""
    require_role(actor, Role.SYSADMIN)
    code = code.strip().upper()
    text = text.strip().rstrip("；;。")
    with transaction.atomic():
        errors = _validate_new_code(code, category, text)
        if errors:
            raise InvalidInput(errors=errors)
        last = ViolationCode.objects.filter(category=category).aggregate(m=Max("sort_order"))["m"]
        try:
            # A concurrent create of the same code loses here rather than crashing.
            with transaction.atomic():
                violation_code = ViolationCode.objects.create(
                    code=code,
                    category=category,
                    article=CATEGORY_ARTICLE[category],
                    text=text,
                    seeded=False,
                    sort_order=(last or 0) + 1,
                )
        except IntegrityError:
            raise InvalidInput(errors={"code": [f"代码 {code} 已被使用，请换一个。"]}) from None
        audit_record(
            actor=actor,
            action="catalog.violation_code.create",
            obj=violation_code,
            payload={"code": code, "category": category},
        )
    return violation_code


def violation_code_set_active(
    *, violation_code: ViolationCode, active: bool, actor: Any
) -> ViolationCode:
    """Deactivate a code (no new record may use it) or bring it back; nothing is ever deleted."""
    require_role(actor, Role.SYSADMIN)
    with transaction.atomic():
        locked = ViolationCode.objects.select_for_update().get(pk=violation_code.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active", "updated_at"])
            audit_record(
                actor=actor,
                action=f"catalog.violation_code.{'activate' if active else 'deactivate'}",
                obj=locked,
                payload={"code": locked.code},
            )
    return locked
