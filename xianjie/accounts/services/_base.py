"""Helpers shared by the accounts services: error collection, permission checks, saving."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction

from xianjie.access.restrict import is_active_user
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted

from ..models import Role, User

REQUIRED = "此项必填。"


class Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise InvalidInput(errors=dict(self))


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def check_text(errors: Errors, field: str, value: str, max_length: int, required: bool) -> None:
    if required and not value:
        errors.add(field, REQUIRED)
    elif len(value) > max_length:
        errors.add(field, f"不能超过{max_length}个字。")


def require_role(actor: User | None, role: Role) -> None:
    if actor is not None and not (is_active_user(actor) and actor.has_role(role)):
        raise NotPermitted(f"此操作只能由{role.label}执行。")


def require_manageable(actor: User | None, queryset: Any, obj: models.Model) -> None:
    """The model's access policy decides; the object itself must be in the actor's manage set."""
    if actor is not None and not queryset.restrict(actor, "manage").filter(pk=obj.pk).exists():
        raise NotPermitted()


def insert(obj: models.Model) -> None:
    # A unique constraint can still lose a race after the checks; answer 409, not a crash.
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError:
        raise Conflict("记录已被他人同时创建或修改，请刷新后重试。") from None


def apply(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the changed fields and save only those; answers the names of the changed fields."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        extra = ["updated_at"] if hasattr(obj, "updated_at") else []
        obj.save(update_fields=[*changed, *extra])
    return changed


def only(changes: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := set(changes) - allowed:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
