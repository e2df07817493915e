"""Changing a time limit. The seed says 及时 and 立即 without numbers, so each limit is a parameter
with its basis (DOMAIN.md "Time limits"); a change adds a version and never rewrites an old one,
because every clock keeps the version it started under."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from xianjie.access.restrict import require_role
from xianjie.accounts.models import Role
from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, InvalidInput, NotFound

from ..models import TimeLimitParameter, TimeUnit

MAX_AMOUNT = 365


def time_limit_change(
    *, key: str, amount: int, unit: str, basis: str, reason: str, actor: Any
) -> TimeLimitParameter:
    """Add a new version of the limit `key`; it governs clocks started from now on."""
    require_role(actor, Role.SYSADMIN)
    errors: dict[str, list[str]] = {}
    if unit not in TimeUnit.values:
        errors["unit"] = ["请选择计算单位。"]
    elif unit == TimeUnit.IMMEDIATE:
        if amount != 0:
            errors["amount"] = ["计算单位为“立即”时，期限应填 0。"]
    elif not 1 <= amount <= MAX_AMOUNT:
        errors["amount"] = [f"期限应为 1 至 {MAX_AMOUNT} 之间的整数。"]
    basis = (basis or "").strip()
    reason = (reason or "").strip()
    if not basis:
        errors["basis"] = ["请填写依据。"]
    elif len(basis) > 300:
        errors["basis"] = ["依据不应超过300个字。"]
    if not reason:
        errors["reason"] = ["请填写修改理由。"]
    elif len(reason) > 200:
        errors["reason"] = ["修改理由不应超过200个字。"]

    with transaction.atomic():
        # Locking the current version serialises two administrators changing the same limit.
        current = (
            TimeLimitParameter.objects.select_for_update().filter(key=key).order_by("-version")
        ).first()
        if current is None:
            raise NotFound("未找到该时限参数。")
        if not errors and (current.amount, current.unit, current.basis) == (amount, unit, basis):
            errors["amount"] = ["与现行版本相同，无需修改。"]
        if errors:
            raise InvalidInput(errors=errors)
        try:
            with transaction.atomic():
                parameter = TimeLimitParameter.objects.create(
                    key=key,
                    version=current.version + 1,
                    label=current.label,
                    amount=amount,
                    unit=unit,
                    basis=basis,
                    reason=reason,
                    changed_by=actor,
                )
        except IntegrityError:
            raise Conflict("该参数刚被他人修改，请刷新后重试。") from None
        audit_record(
            actor=actor,
            action="time_limit.change",
            obj=parameter,
            payload={
                "key": key,
                "version": parameter.version,
                "amount": amount,
                "unit": unit,
                "previous_version": current.version,
            },
        )
    return parameter
