"""Opening a referral's page is itself recorded (第十一条: every view of tier 3 is audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import Referral
from ._support import audit


def referral_view_record(*, referral: Referral, actor: Any) -> None:
    """One audit entry `referral.view` (tier 3) for a referral the caller has already fetched
    through the access policy; the payload holds its status and number, never its content."""
    with transaction.atomic():
        audit(referral, actor, "view")
