"""What templates/base.html needs on every page rendered with a request: the menu, the header's
identity line and the number of unread messages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xianjie.notifications.services import unread_count

from .navigation import menu_for, role_labels


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "user_roles": [], "unread_notifications": 0}
    return {
        "nav_sections": menu_for(user, request.path),
        "user_roles": role_labels(user),
        # One COUNT over the (recipient, read_at) index per page.
        "unread_notifications": unread_count(user),
    }
