"""Fixtures of the rectification tests (第九条): tasks made through `rectification_create` on the
inspection under way (organisers jw + sf; the unit is the market regulator, whose people are
sj.clerk and sj.leader), moved to any status through the services, an isolated data dir, files.

Import them with `from .rectification_fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.referrals.samples import SAMPLES

__all__ = [
    "EXE",
    "PERSONAS",
    "backdate",
    "data_dir",
    "make_task",
    "move",
    "pdf",
    "people",
    "reseeded",
    "task",
]

#: Every persona of tests/conftest.py: the unit's people (sj), the overseers (jw, sf), another
#: inspected unit (jt), an outsider and the 三员.
PERSONAS = (
    "sj_clerk",
    "sj_leader",
    "jw_clerk",
    "jw_leader",
    "sf_clerk",
    "sf_leader",
    "jt_clerk",
    "jt_leader",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."


@pytest.fixture
def data_dir(tmp_path, settings):
    """DATA_DIR, the upload buffer and the master key under tmp_path, so that a test can search
    every byte the application wrote."""
    from xianjie.core import crypto

    root = tmp_path / "data"
    (root / "uploads").mkdir(parents=True, mode=0o700)
    settings.DATA_DIR = root
    settings.FILE_UPLOAD_TEMP_DIR = str(root / "uploads")
    settings.MASTER_KEY_FILE = str(root / "master.key")
    settings.DEMO_MODE = True
    crypto._load_master.cache_clear()
    yield root
    crypto._load_master.cache_clear()


@pytest.fixture
def reseeded(transactional_db):
    """Transactional tests run after the others, and some of those flush the database: put back
    what the data migrations seed (the working calendar, the time limits, the catalogue)."""
    from importlib import import_module

    from django.apps import apps

    from xianjie.calendar.models import CalendarDay, TimeLimitParameter
    from xianjie.calendar.selectors import forget_calendar
    from xianjie.catalog.models import ViolationCode

    seeds = [
        ("xianjie.calendar.migrations.0002_seed_calendar_2004_2026", CalendarDay),
        ("xianjie.calendar.migrations.0003_seed_time_limits", TimeLimitParameter),
        ("xianjie.catalog.migrations.0002_seed_violation_codes", ViolationCode),
    ]
    for module, model in seeds:
        if not model.objects.exists():
            import_module(module).seed(apps, None)
    forget_calendar()


@pytest.fixture
def pdf():
    """`pdf(text="", name="整改报告.pdf")`: a small real PDF as an upload."""

    def build(text: str = "", name: str = "整改报告.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, SAMPLES["pdf"](text.encode("utf-8")), "application/pdf")

    return build


@pytest.fixture
def people(request):
    """`people["sj_clerk"]`: the persona fixtures by name, built on first use."""

    class People(dict):
        def __missing__(self, name: str) -> Any:
            self[name] = request.getfixturevalue(name)
            return self[name]

    return People()


@pytest.fixture
def make_task(inspection_under_way, county, jw_clerk):
    """`make_task(unit="sj_dept", overseers=("jw", "sf"), **fields)`: a task of the inspection
    under way, created by jw.clerk through the service."""
    from xianjie.inspections.services.rectifications import rectification_create

    def make(
        *,
        unit: str = "sj_dept",
        overseers: tuple[str, ...] = ("jw", "sf"),
        title: str = "行政处罚案卷整改",
        requirement: str = "补齐全过程记录，规范案卷归档。",
        kind: str = "finding",
        source: Any = None,
        actor: Any = None,
        **fields: Any,
    ):
        return rectification_create(
            kind=kind,
            source=source or inspection_under_way,
            unit=county[unit],
            overseers=[county[key] for key in overseers],
            title=title,
            requirement=requirement,
            actor=actor or jw_clerk,
            **fields,
        )

    return make


@pytest.fixture
def task(make_task):
    return make_task()


@pytest.fixture
def move(people):
    """`move(task, status)`: the task taken to `status` by the people whose act each step is
    (sj.clerk submits, jw.clerk verifies, jw.leader cancels)."""
    from xianjie.inspections.services.rectifications import (
        rectification_cancel,
        rectification_submit,
        rectification_verify,
    )

    def to(task: Any, status: str) -> Any:
        if status in ("submitted", "closed"):
            rectification_submit(task_id=task.pk, actor=people["sj_clerk"], text="已全部整改。")
        if status == "closed":
            rectification_verify(task_id=task.pk, actor=people["jw_clerk"])
        if status == "cancelled":
            rectification_cancel(task_id=task.pk, actor=people["jw_leader"], reason="来源已撤销")
        task.refresh_from_db()
        return task

    return to


def backdate(task: Any, *, started: int, due: int) -> Any:
    """Move the task's running clock into the past: started and due that many days ago."""
    from django.utils import timezone

    from xianjie.calendar.models import ACTIVE_STATES
    from xianjie.calendar.selectors import clocks_of

    today = timezone.localdate()
    clock = clocks_of(task).get(state__in=ACTIVE_STATES)
    clock.start_date = today - datetime.timedelta(days=started)
    clock.due_date = today - datetime.timedelta(days=due)
    clock.save(update_fields=["start_date", "due_date"])
    return clock
