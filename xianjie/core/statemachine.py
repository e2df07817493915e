"""Transitions as data: a table of status -> {transition name: target status}.

Every domain app declares its table in `transitions.py`; services call `next_status` so that an
illegal move is refused the same way everywhere (409, nothing changed).
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import Conflict

TransitionTable = Mapping[str, Mapping[str, str]]


def allowed_transitions(table: TransitionTable, status: str) -> list[str]:
    return list(table.get(status, {}))


def next_status(table: TransitionTable, status: str, transition: str, *, label: str = "") -> str:
    targets = table.get(status, {})
    if transition not in targets:
        shown = label or status
        raise Conflict(f"当前状态（{shown}）下不能执行“{transition}”操作。")
    return targets[transition]
