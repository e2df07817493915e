"""The workbench's sources over the other apps' selectors (imported once, by DashboardsConfig).

Referrals (第三至七条): 待办 is every referral waiting for the user's own act — drafts to submit,
referrals to approve, to receive, to dispose of or answer, supplements asked for, returned or
answered referrals to close — each with its nearest deadline and light; 已办 is what the user
took part in that has since been answered or closed. Titles name a referral by number (or draft
number), status and the other party only, never by content (第十一条).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from xianjie.referrals.worklists import WorkEntry, referral_done, referral_todo

from .workbench import DONE, TODO, WorkItem, workbench_source

KIND = "线索移送"


def _name(entry: WorkEntry) -> str:
    return entry.referral.number or f"草稿#{entry.referral.pk}"


@workbench_source(TODO)
def referrals_to_do(user: Any) -> Iterable[WorkItem]:
    for entry in referral_todo(user):
        yield WorkItem(
            title=f"{_name(entry)} {entry.label}（{entry.counterpart}）",
            url=reverse("referrals:detail", args=[entry.referral.pk]),
            kind=KIND,
            when=entry.due,
            light=entry.badge.light if entry.badge else "",
        )


@workbench_source(DONE)
def referrals_done(user: Any) -> Iterable[WorkItem]:
    for entry in referral_done(user):
        finished = entry.finished_at
        yield WorkItem(
            title=f"{_name(entry)} {entry.label}（{entry.counterpart}）",
            url=reverse("referrals:detail", args=[entry.referral.pk]),
            kind=KIND,
            when=timezone.localdate(finished) if finished else None,
        )
