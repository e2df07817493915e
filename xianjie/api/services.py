"""Issuing and revoking API tokens (CONTRACT.md: POST/DELETE /api/v1/auth/token)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xianjie.audit.services import audit_record
from xianjie.core.errors import NotPermitted

from .models import ApiToken

#: last_used is refreshed at most this often, so reads do not each become a write.
TOUCH_INTERVAL = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(*, user: Any) -> tuple[str, ApiToken]:
    """A new token for `user`, who has just passed login_attempt; answers (token, record)."""
    if not user.is_active:
        raise NotPermitted("该账户已停用。")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            key_hash=token_hash(token),
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
        )
        audit_record(
            actor=user,
            action="api.token.issue",
            obj=record,
            payload={"expires_at": record.expires_at.isoformat()},
        )
    return token, record


def api_token_revoke(*, token: ApiToken, actor: Any) -> None:
    """Revoke a token; only its holder does this, through the token itself."""
    if token.user_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api.token.revoke", obj=locked)


def api_token_touch(*, token: ApiToken, at: datetime) -> None:
    """Record use. Bookkeeping only, not an audited change: a plain conditional update."""
    if token.last_used is None or at - token.last_used >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used=at)
        token.last_used = at
