"""Who may list clocks directly. A clock is read through the record it belongs to (a referral's
page shows its deadlines under the referral's own policy); only the system administrator, who
keeps the calendar and the time limits, may list all clocks — clocks hold dates, not case content.
"""

from __future__ import annotations

from typing import Any

from xianjie.access.restrict import Rule, register_policy
from xianjie.accounts.models import Role

from .models import Clock


@register_policy(Clock)
def clock_policy(user: Any, action: str) -> Rule:
    return action == "view" and user.has_role(Role.SYSADMIN)
