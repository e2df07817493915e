"""Fixtures of the referral tests."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from .flows import PERSONAS, Flow, take_snapshot
from .samples import SAMPLES

# --- Referral rows in any status, built directly (no services), for tests of what sits on them.


@pytest.fixture
def make_referral(county):
    """Factory: `make_referral(sender="sj", receiver="jw", status="handling", ...)`.

    `sender`/`receiver` are keys of the `county` fixture or Org instances; the direction follows
    from the sender (the commission sends `to_supervision`, anyone else `to_discipline`). A sent
    referral gets `sent_at` and a number, a received one `received_at`. `created_by` defaults to
    a clerk of the sending org (an existing persona if the test has one). `facts` is sealed.
    Other keyword arguments go to `Referral.objects.create`.
    """
    from django.utils import timezone

    from xianjie.accounts.models import OrgKind, Role, User
    from xianjie.referrals import sealing
    from xianjie.referrals.models import SOURCES_BY_DIRECTION, Referral
    from xianjie.referrals.transitions import Direction, Status

    from ..factories import make_user

    unsent = {Status.DRAFT, Status.PENDING_APPROVAL}
    unreceived = unsent | {Status.SENT, Status.WITHDRAWN}
    serial = itertools.count(1)

    def make(
        *,
        sender: Any = "sj",
        receiver: Any = "jw",
        status: str = Status.DRAFT,
        created_by: Any = None,
        facts: str = "",
        **fields: Any,
    ) -> Referral:
        n = next(serial)
        sender_org = county[sender] if isinstance(sender, str) else sender
        receiver_org = county[receiver] if isinstance(receiver, str) else receiver
        direction = fields.pop(
            "direction",
            Direction.TO_SUPERVISION
            if sender_org.kind == OrgKind.DISCIPLINE
            else Direction.TO_DISCIPLINE,
        )
        if created_by is None:
            created_by = User.objects.filter(
                org=sender_org, memberships__role=Role.CLERK
            ).first() or make_user(f"drafter{n}", sender_org, Role.CLERK)
        now = timezone.now()
        values: dict[str, Any] = {
            "source": SOURCES_BY_DIRECTION[direction][0],
            "sent_at": None if status in unsent else now,
            "received_at": None if status in unreceived else now,
            "number": "" if status in unsent else f"{sender_org.code}移〔2026〕{n}号",
            **fields,
        }
        referral = Referral.objects.create(
            direction=direction,
            status=status,
            sender_org=sender_org,
            receiver_org=receiver_org,
            wrapped_key=sealing.new_wrapped_key(),
            created_by=created_by,
            **values,
        )
        if facts:
            referral.facts_enc = sealing.seal(referral, "facts", facts)
            referral.save(update_fields=["facts_enc"])
        return referral

    return make


# --- Evidence files: an isolated data dir and master key, and tiny real files of every type.


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
def sample_file():
    """`sample_file(kind, text="")`: the bytes of a small real file of an accepted type (kinds:
    SAMPLES), with `text` inside where the format keeps text."""

    def build(kind: str, text: str = "") -> bytes:
        return SAMPLES[kind](text.encode("utf-8"))

    return build


@pytest.fixture
def city_commission(county):
    """A second commission (the city's), the competent body a county lead is forwarded to."""
    from xianjie.accounts.models import OrgKind, RegionLevel

    from ..factories import OrgFactory, RegionFactory

    city = RegionFactory(code="141100", name="吕梁市", level=RegionLevel.CITY)
    return OrgFactory(
        name="中共吕梁市纪委 吕梁市监委", code="吕纪", kind=OrgKind.DISCIPLINE, region=city
    )


@pytest.fixture
def city_clerk(city_commission):
    from ..factories import make_user

    return make_user("sjw.clerk", city_commission, "clerk")


@pytest.fixture
def city_leader(city_commission):
    from ..factories import make_user

    return make_user("sjw.leader", city_commission, "leader")


@pytest.fixture
def flow(request, county, data_dir, city_commission, sample_file):
    """The Flow of every persona (requesting them all, so notifications have recipients)."""
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    return Flow(county, people, city_commission, sample_file)


@pytest.fixture
def snapshot():
    """`snapshot(referral_id)`: see take_snapshot."""
    return take_snapshot


@pytest.fixture
def reseeded(transactional_db):
    """Transactional tests run after the others, and some of those flush the database (the
    audit flush test, the browser tests): put back what the data migrations seed — the working
    calendar, the time limits and the violation catalogue — when it is gone."""
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
