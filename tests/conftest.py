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
    # Live-server threads must not keep connections open past a test, or the PostgreSQL test
    # database cannot be dropped at the end of the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


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


# --- CONTRACT.md's demo county as fixtures, and the personas of ARCHITECTURE.md rule 7.


@pytest.fixture
def county(db):
    """The demo org tree: the commission, the justice bureau, two departments with legal units,
    and an education bureau with its legal unit as the third party that must see nothing."""
    from xianjie.accounts.models import OrgKind

    from .factories import OrgFactory, RegionFactory

    region = RegionFactory()
    orgs = {}

    def org(key, name, code, kind, parent=None):
        orgs[key] = OrgFactory(name=name, code=code, kind=kind, parent=parent, region=region)
        return orgs[key]

    org("jw", "中共文水县纪委 文水县监委", "文纪", OrgKind.DISCIPLINE)
    org("sf", "文水县司法局", "文司", OrgKind.JUSTICE)
    sj = org("sj_dept", "文水县市场监督管理局", "文市监", OrgKind.ENFORCEMENT)
    org("sj", "文水县市场监督管理局法制股", "文市监法", OrgKind.DEPT_SUPERVISION, parent=sj)
    jt = org("jt_dept", "文水县交通运输局", "文交", OrgKind.ENFORCEMENT)
    org("jt", "文水县交通运输局法制股", "文交法", OrgKind.DEPT_SUPERVISION, parent=jt)
    jy = org("jy_dept", "文水县教育局", "文教", OrgKind.ENFORCEMENT)
    org("jy", "文水县教育局法制股", "文教法", OrgKind.DEPT_SUPERVISION, parent=jy)
    return orgs


def _persona(username, org_key, role, name=None):
    @pytest.fixture(name=name or username.replace(".", "_"))
    def fixture(county):
        from .factories import make_user

        return make_user(username, county[org_key] if org_key else None, role)

    return fixture


jw_clerk = _persona("jw.clerk", "jw", "clerk")
jw_leader = _persona("jw.leader", "jw", "leader")
sf_clerk = _persona("sf.clerk", "sf", "clerk")
sf_leader = _persona("sf.leader", "sf", "leader")
sj_clerk = _persona("sj.clerk", "sj", "clerk")
sj_leader = _persona("sj.leader", "sj", "leader")
jt_clerk = _persona("jt.clerk", "jt", "clerk")
jt_leader = _persona("jt.leader", "jt", "leader")
outsider = _persona("jy.clerk", "jy", "clerk", name="outsider")
jy_leader = _persona("jy.leader", "jy", "leader")
sysadmin = _persona("sysadmin", None, "sysadmin")
secadmin = _persona("secadmin", None, "secadmin")
auditor = _persona("auditor", None, "auditor")
