"""Who sees access requests and the reader log (第十一条 严格审批共享).

- The requester sees their own requests.
- The leaders of the requester's org see their org's requests (they approve first).
- The clerks and leaders of the org that owns the item see every request for its items, and
  every use made under them (the reader log); its leaders approve second and may revoke.
- The 三员 and everyone else see nothing. Who may *act* is decided by the services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from xianjie.accounts.models import Role

from .models import AccessRequest, AccessUse
from .restrict import Rule, register_policy


def access_request_rule(user: Any, action: str, prefix: str = "") -> Rule:
    if user.org_id is None or not user.has_role(Role.CLERK, Role.LEADER):
        return False
    mine = Q(**{f"{prefix}requester_id": user.pk})
    owner = Q(**{f"{prefix}owner_org_id": user.org_id})
    if user.has_role(Role.LEADER):
        return mine | owner | Q(**{f"{prefix}requester_org_id": user.org_id})
    return mine | owner


@register_policy(AccessRequest)
def _request_policy(user: Any, action: str) -> Rule:
    return access_request_rule(user, action)


@register_policy(AccessUse)
def _use_policy(user: Any, action: str) -> Rule:
    return access_request_rule(user, action, prefix="request__")
