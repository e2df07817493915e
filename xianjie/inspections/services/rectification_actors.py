"""Who acts on a rectification task (第九条 整改 and 跟踪检查), and what each move takes.

The unit's clerks and leaders (its own org or its legal unit, 法制股) report progress and submit
the written report; the overseers' clerks and leaders verify or reopen a submitted task, and an
overseer's leader may cancel an open one. Visibility is the access policy's (policies.py): a user
who cannot see a task gets 404 before any of this is asked; these rules decide, for a user who
can, whether the move is theirs (else 403) and whether the status allows it (else 409).
"""

from __future__ import annotations

from typing import Any

from xianjie.accounts.models import Role
from xianjie.core.errors import Conflict, NotPermitted
from xianjie.core.statemachine import next_status

from ..models import Rectification
from ..transitions import RECTIFICATION_TABLE, RectificationStatus, RectificationTransition
from ._support import answers_for_unit, people

T = RectificationTransition
UNIT, OVERSEER = "unit", "overseer"
ORG_ROLES = frozenset({Role.CLERK, Role.LEADER})

#: transition -> (side, roles that may perform it)
ACTORS: dict[str, tuple[str, frozenset[str]]] = {
    T.REPORT: (UNIT, ORG_ROLES),
    T.SUBMIT: (UNIT, ORG_ROLES),
    T.VERIFY: (OVERSEER, ORG_ROLES),
    T.REOPEN: (OVERSEER, ORG_ROLES),
    T.CANCEL: (OVERSEER, frozenset({Role.LEADER})),
}

#: The fields each move takes besides the task and the actor (pages and API).
FIELDS: dict[str, tuple[str, ...]] = {
    T.REPORT: ("text", "files"),
    T.SUBMIT: ("text", "files"),
    T.VERIFY: ("comment",),
    T.REOPEN: ("reason", "period_days"),
    T.CANCEL: ("reason",),
}


def sides_of(user: Any, task: Rectification) -> set[str]:
    """UNIT when the user answers for the task's unit, OVERSEER when their org checks it."""
    sides: set[str] = set()
    if user.org_id is None or not user.has_role(*ORG_ROLES):
        return sides
    if answers_for_unit(user, task.unit_id):
        sides.add(UNIT)
    if task.overseers.filter(pk=user.org_id).exists():
        sides.add(OVERSEER)
    return sides


def _allowed(user: Any, sides: set[str], transition: str) -> bool:
    side, roles = ACTORS[transition]
    return side in sides and user.has_role(*roles)


def may_act(user: Any, task: Rectification, transition: str) -> bool:
    return _allowed(user, sides_of(user, task), transition)


def transitions_for(user: Any, task: Rectification) -> list[tuple[str, str]]:
    """The moves `user` may make now, with their Chinese labels (the detail page's forms)."""
    sides = sides_of(user, task)
    return [
        (name, T(name).label)
        for name in RECTIFICATION_TABLE[task.status]
        if _allowed(user, sides, name)
    ]


def require_actor(user: Any, task: Rectification, transition: str) -> None:
    if not may_act(user, task, transition):
        raise NotPermitted(f"“{T(transition).label}”不由您办理。")


def require_status(task: Rectification, transition: str) -> str:
    """The status after `transition`, or 409 naming the current status in Chinese."""
    try:
        return next_status(RECTIFICATION_TABLE, task.status, transition)
    except Conflict:
        label = RectificationStatus(task.status).label
        raise Conflict(f"整改任务当前状态为“{label}”，不能{T(transition).label}。") from None


def overseer_people(task: Rectification, *roles: str) -> Any:
    return people(task.overseers.values_list("pk", flat=True), *roles)
