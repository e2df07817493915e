"""Changing one's own password, including the forced change at first login (等保 2.0)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xianjie.accounts.models import User
from xianjie.audit.services import audit_record
from xianjie.core.errors import InvalidInput


def password_change(
    *, actor: Any, old_password: str, new_password: str, new_password_again: str
) -> User:
    """Set a new password after checking the current one and the password rules; clears the
    first-login obligation. Answers the updated user (the caller keeps its session with it)."""
    errors: dict[str, list[str]] = {}
    if not old_password or not actor.check_password(old_password):
        errors["old_password"] = ["当前密码不正确。"]
    if not new_password:
        errors["new_password1"] = ["请输入新密码。"]
    else:
        try:
            validate_password(new_password, user=actor)
        except ValidationError as exc:
            errors["new_password1"] = list(exc.messages)
        if new_password == old_password:
            errors.setdefault("new_password1", []).append("新密码不能与当前密码相同。")
        if new_password != new_password_again:
            errors["new_password2"] = ["两次输入的新密码不一致。"]
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        forced = user.must_change_password
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit_record(
            actor=user, action="user.password_change", obj=user, payload={"forced": forced}
        )
    return user
