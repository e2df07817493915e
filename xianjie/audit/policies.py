"""Who reads the audit trail and the login log: the 审计管理员 alone.

等保 2.0 level 3 separates the 三员: the 系统管理员 and the 安全管理员 act, the 审计管理员 reviews
what they (and everyone else) did, so neither of the first two may read the record of their own
acts; clerks and leaders read no logs at all. Nobody changes an entry (the chain is append-only).
"""

from __future__ import annotations

from typing import Any

from xianjie.access.restrict import Rule, register_policy
from xianjie.access.tiers import Action
from xianjie.accounts.models import Role

from .models import AuditEntry, LoginEvent

_READ_ACTIONS = frozenset({Action.VIEW, Action.EXPORT})


@register_policy(AuditEntry)
@register_policy(LoginEvent)
def auditor_only(user: Any, action: str) -> Rule:
    return action in _READ_ACTIONS and user.has_role(Role.AUDITOR)
