"""Demo-data loaders of the higher apps, run by `xianjie demo` after the orgs and users exist.

`xianjie demo` lives with the accounts (floor 1); the apps above it register their own samples
here at start-up, so no lower app imports a higher one.
"""

from __future__ import annotations

from collections.abc import Callable

#: (label, loader) — a loader returns how many records it created; it must be idempotent.
_loaders: list[tuple[str, Callable[[], int]]] = []


def register_demo_loader(label: str, loader: Callable[[], int]) -> None:
    _loaders.append((label, loader))


def demo_loaders() -> list[tuple[str, Callable[[], int]]]:
    return list(_loaders)
