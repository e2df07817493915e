"""Who may read and manage the violation catalogue.

The catalogue is 第十一条's general information (一般基础性信息, tier 1): every active user
reads it. Only the system administrator manages it (ARCHITECTURE.md rule 2).
"""

from __future__ import annotations

from typing import Any

from xianjie.access.restrict import Rule, register_policy
from xianjie.accounts.models import Role

from .models import ViolationCode

_VIEW_ACTIONS = frozenset({"view", "export"})
_MANAGE_ACTIONS = frozenset({"manage", "change"})


@register_policy(ViolationCode)
def violation_code_policy(user: Any, action: str) -> Rule:
    if action in _VIEW_ACTIONS:
        return True
    if action in _MANAGE_ACTIONS:
        return user.has_role(Role.SYSADMIN)
    return False
