"""The deadline clocks of a referral (DOMAIN.md "Time limits"), moved by its transitions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xianjie.calendar.models import ACTIVE_STATES, ClockState
from xianjie.calendar.selectors import clocks_of
from xianjie.calendar.services import (
    clock_cancel,
    clock_finish,
    clock_pause,
    clock_resume,
    clock_start,
)

from ..models import Referral

RECEIVE = "referral.receive"
#: 第七条 立即: a fault sent to a supervision body is to be received (and so verified) within a day.
VERIFY_START = "referral.verify_start"
RETURN_OR_FORWARD = "referral.return_or_forward"
DISPOSAL = "referral.disposal"
FEEDBACK = "referral.feedback"


def _active(referral: Referral, kinds: tuple[str, ...] = ()) -> list[Any]:
    clocks = clocks_of(referral).filter(state__in=ACTIVE_STATES)
    if kinds:
        clocks = clocks.filter(kind__in=kinds)
    return list(clocks)


def start(referral: Referral, kind: str, actor: Any) -> None:
    clock_start(obj=referral, kind=kind, start=timezone.localdate(), actor=actor)


def finish(referral: Referral, actor: Any, *kinds: str) -> None:
    """Met when done by the due date, missed after it; a met clock stays met (DOMAIN.md)."""
    for clock in _active(referral, kinds):
        clock_finish(clock=clock, on=timezone.localdate(), actor=actor)


def cancel(referral: Referral, actor: Any, reason: str, *kinds: str) -> None:
    for clock in _active(referral, kinds):
        clock_cancel(clock=clock, reason=reason, actor=actor)


def pause_all(referral: Referral, actor: Any, reason: str) -> None:
    """A request for supplementary material stops every running clock (DOMAIN.md)."""
    for clock in _active(referral):
        if clock.state != ClockState.PAUSED:
            clock_pause(clock=clock, reason=reason, actor=actor)


def resume_all(referral: Referral, actor: Any, reason: str) -> None:
    for clock in _active(referral):
        if clock.state == ClockState.PAUSED:
            clock_resume(clock=clock, reason=reason, actor=actor)
