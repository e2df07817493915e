from typing import Any

from django.db.models import Q

from xianjie.access.restrict import Rule, register_policy

from .models import Notification


@register_policy(Notification)
def _notification_policy(user: Any, action: str) -> Rule:
    """Everyone reads and marks only their own messages."""
    return Q(recipient_id=user.pk) if action in ("view", "change") else False
