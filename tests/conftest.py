"""Test-wide configuration: database choice, loud skips, markers."""

from __future__ import annotations

import os

import pytest
from django.conf import settings


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_configure(config: pytest.Config) -> None:
    # Fast hashing in tests only; production keeps argon2 first (settings.PASSWORD_HASHERS).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config: pytest.Config) -> str:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"xianjie: database {engine}; CI={os.environ.get('CI', '')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are deselected (not skipped) on SQLite: `make test-pg` runs them."""
    if _on_postgres():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("pg") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        config.issue_config_time_warning(
            pytest.PytestWarning(
                f"{len(dropped)} PostgreSQL-only tests deselected; make test-pg runs them"
            ),
            stacklevel=2,
        )
