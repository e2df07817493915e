"""Who answers for a referral's clocks, for the calendar's reminder sweep."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from xianjie.accounts.models import Role
from xianjie.calendar.models import Clock

from .models import Referral
from .services._support import people
from .services.clocks import RECEIVE, VERIFY_START


def responsible(referral: Referral, clock: Clock) -> Iterable[Any]:
    """The receiving org answers every referral clock: its clerks for receipt, its clerks and
    leaders for the decisions and the feedback."""
    if clock.kind in (RECEIVE, VERIFY_START):
        return people(referral.receiver_org_id, Role.CLERK)
    return people(referral.receiver_org_id, Role.CLERK, Role.LEADER)


def describe(referral: Referral, clock: Clock) -> tuple[str, str]:
    title = (
        f"临期提醒：{referral.number}「{clock.parameter.label}」将于{clock.due_date:%Y-%m-%d}到期"
    )
    return title, reverse("referrals:detail", args=[referral.pk])
