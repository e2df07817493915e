"""Where a referral came from — an inspection's finding (第九条), an A10 flag (第十三条（十）) —
and what came of it, told for the referral's page by the apps that make those records.

Those apps sit above this one and register a function at start-up (ARCHITECTURE.md: a lower app
never imports a higher one). Each function answers, for a referral and a user, the (label, url)
pairs of the records it made the referral of that the user may see — none for anyone else, so
the page never reveals a record through its referral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Referral

Origin = tuple[str, str]
OriginSource = Callable[[Referral, Any], list[Origin]]

_sources: list[OriginSource] = []


def register_referral_origin(source: OriginSource) -> OriginSource:
    """Register `source` once (registering it again changes nothing)."""
    if source not in _sources:
        _sources.append(source)
    return source


def referral_origins(referral: Referral, user: Any) -> list[Origin]:
    """The records `referral` was made of that `user` may see, as (label, url)."""
    return [origin for source in _sources for origin in source(referral, user)]


# What became of a referral afterwards — a typical case made of it (第十二条), or the offer to make
# one — told the same way by the apps above, and shown on the page as 后续.
_followups: list[OriginSource] = []


def register_referral_followup(source: OriginSource) -> OriginSource:
    """Register `source` once: a function answering (label, url) pairs for the referral page."""
    if source not in _followups:
        _followups.append(source)
    return source


def referral_followups(referral: Referral, user: Any) -> list[Origin]:
    return [link for source in _followups for link in source(referral, user)]
