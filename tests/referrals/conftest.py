"""Fixtures of the referral tests."""

from __future__ import annotations

import io
import itertools
import struct
import wave
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest

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


def _png(text: bytes) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    comment = chunk(b"tEXt", b"Comment\x00" + text) if text else b""
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + comment + pixels + chunk(b"IEND", b"")


def _jpeg(text: bytes) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    return b"\xff\xd8" + app0 + comment + b"\xff\xd9"


def _pdf(text: bytes) -> bytes:
    return (
        b"%PDF-1.4\n%" + text + b"\n"
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0" encoding="UTF-8"?><Types/>'


def _wav(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\x00\x01" * 800 + text)
    return buffer.getvalue()


def _mp4(text: bytes) -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftyp" + b"isom" + struct.pack(">I", 0x200) + b"isommp42"
    payload = text or b"\x00" * 16
    return ftyp + struct.pack(">I", 8 + len(payload)) + b"mdat" + payload


#: MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def _mp3(text: bytes) -> bytes:
    # ID3v2.4 header: version, flags, syncsafe size of the tag body (the text, under 128 bytes).
    return b"ID3\x04\x00\x00" + bytes([0, 0, 0, len(text)]) + text + MP3_FRAME * 2


SAMPLES: dict[str, Callable[[bytes], bytes]] = {
    "pdf": _pdf,
    "jpeg": _jpeg,
    "png": _png,
    "ofd": lambda text: _zip(
        {
            "OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0">'
            b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            "Doc_0/Document.xml": b"<ofd:Document>" + text + b"</ofd:Document>",
        }
    ),
    "docx": lambda text: _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document><w:body>" + text + b"</w:body></w:document>",
        }
    ),
    "xlsx": lambda text: _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook><sheets/></workbook>",
            "xl/worksheets/sheet1.xml": b"<worksheet>" + text + b"</worksheet>",
        }
    ),
    "mp4": _mp4,
    "mp3": _mp3,
    "mp3_frames": lambda text: MP3_FRAME * 3,
    "wav": _wav,
}


@pytest.fixture
def sample_file():
    """`sample_file(kind, text="")`: the bytes of a small real file of an accepted type (kinds:
    SAMPLES), with `text` inside where the format keeps text."""

    def build(kind: str, text: str = "") -> bytes:
        return SAMPLES[kind](text.encode("utf-8"))

    return build


# --- The state machine driven through the real services: `flow.to_status(...)` and the
# `snapshot` of everything a refused transition must leave unchanged (transition, secrecy,
# clock and concurrency tests).

#: The transitions that bring a new draft to each status, per direction. `received` does not
#: exist for a fault (第七条: receipt starts verification at once, so it lands on `handling`).
_TO_HANDLING = {
    "to_discipline": ["submit", "approve", "receive", "dispose"],
    "to_supervision": ["submit", "approve", "receive"],
}


def _paths(direction: str) -> dict[str, list[str]]:
    sent = ["submit", "approve"]
    handling = _TO_HANDLING[direction]
    paths = {
        "draft": [],
        "pending_approval": ["submit"],
        "sent": sent,
        "withdrawn": [*sent, "withdraw"],
        "handling": handling,
        "awaiting_supplement": [*handling, "request_supplement"],
        "fed_back": [*handling, "feedback"],
        "closed": [*handling, "feedback", "close"],
        "returned": [*handling, "return"],
        "forwarded": [*handling, "forward"],
    }
    if direction == "to_discipline":
        paths["received"] = [*sent, "receive"]
    return paths


REACHABLE = {direction: _paths(direction) for direction in ("to_discipline", "to_supervision")}

#: Every persona of tests/conftest.py plus the city commission (a second commission to forward
#: leads to), by fixture name.
PERSONAS = (
    "jw_clerk",
    "jw_leader",
    "sf_clerk",
    "sf_leader",
    "sj_clerk",
    "sj_leader",
    "jt_clerk",
    "jt_leader",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
    "city_clerk",
    "city_leader",
)

#: Valid fields of each transition (feedback's document is uploaded on the way, see Flow.do).
DEFAULT_FIELDS: dict[str, dict[str, Any]] = {
    "reject": {"comment": "证据不足，请补充后再报。"},
    "withdraw": {"comment": "移送对象有误，撤回。"},
    "dispose": {"method": "preliminary_check"},
    "return": {"reason": "所涉人员为市管干部，不属本机关管辖。"},
    "request_supplement": {"what": "请补充执法全过程记录。"},
    "supplement": {"comment": "已补充执法记录仪视频说明。"},
    "feedback": {"result": "经初步核实，问题属实，已责令整改。"},
}


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


class Flow:
    """Referrals driven through the real services by the right persona at each step."""

    SENDERS = {"to_discipline": "sf", "to_supervision": "jw"}
    RECEIVERS = {"to_discipline": "jw", "to_supervision": "jt"}

    def __init__(self, county: dict[str, Any], people: dict[str, Any], city: Any, sample) -> None:
        self.county = county
        self.people = people
        self.city = city
        self.sample = sample
        self._serial = itertools.count(1)

    # -- who

    def member(self, org_id: int, role: str) -> Any:
        for user in self.people.values():
            if user.org_id == org_id and user.has_role(role):
                return user
        raise LookupError(f"no {role} persona in org {org_id}")

    def actor(self, referral: Any, transition: str) -> Any:
        """The persona whose act `transition` is on `referral` (permissions.ACTORS)."""
        from xianjie.referrals.permissions import ACTORS, SENDER

        side, roles = ACTORS[transition]
        org_id = referral.sender_org_id if side == SENDER else referral.receiver_org_id
        return self.member(org_id, next(iter(roles)))

    def forward_target(self, referral: Any) -> Any:
        if referral.direction == "to_discipline":
            return self.city
        taken = {referral.sender_org_id, referral.receiver_org_id}
        return next(org for org in (self.county["sf"], self.county["sj"]) if org.pk not in taken)

    # -- what

    def content(self, direction: str, cert_no: str = "") -> dict[str, Any]:
        """Complete 第四条 content (第六条 for a fault)."""
        cert_no = cert_no or f"1411{next(self._serial):07d}"
        person = {
            "kind": "person",
            "name": "王某某",
            "post": "执法队员",
            "org": "文水县市场监督管理局",
            "cert_no": cert_no,
        }
        if direction == "to_discipline":
            return {
                "source": "supervision_check",
                "subjects": [person],
                "facts": "对某商户作出罚款决定，未进行全过程记录。",
                "norms": [{"name": "《中华人民共和国行政处罚法》", "clause": "第四十七条"}],
                "violation_codes": ["P08"],
                "summary": "未全过程记录",
            }
        return {
            "source": "campaign",
            "subjects": [person],
            "facts": "同一违法行为罚款200元至20000元不等，自由裁量权行使明显不当。",
            "violation_codes": ["E03"],
        }

    def upload(self, referral: Any, actor: Any, role: str = "evidence", text: str = "") -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from xianjie.referrals.evidence import evidence_upload

        data = self.sample("pdf", text or f"{role}-{next(self._serial)}")
        upload = SimpleUploadedFile(f"{role}.pdf", data, content_type="application/pdf")
        return evidence_upload(referral=referral, actor=actor, file=upload, role=role)

    def draft(
        self,
        direction: str = "to_discipline",
        *,
        sender: str = "",
        receiver: str = "",
        evidence: bool = True,
        **overrides: Any,
    ) -> Any:
        from xianjie.referrals.services import referral_create

        sender_org = self.county[sender or self.SENDERS[direction]]
        receiver_org = self.county[receiver or self.RECEIVERS[direction]]
        clerk = self.member(sender_org.pk, "clerk")
        data = {**self.content(direction, overrides.pop("cert_no", "")), **overrides}
        referral = referral_create(
            actor=clerk, direction=direction, receiver_org=receiver_org.pk, **data
        )
        if evidence:
            self.upload(referral, clerk)
        return referral

    # -- moves

    def fields(self, referral: Any, transition: str) -> dict[str, Any]:
        """Valid fields for `transition`, uploading the feedback letter it needs."""
        fields = dict(DEFAULT_FIELDS.get(transition, {}))
        if transition == "forward":
            fields.update(
                target_org=self.forward_target(referral).pk, reason="应由市纪委监委管辖。"
            )
        if transition == "feedback":
            letter = self.upload(
                referral, self.member(referral.receiver_org_id, "clerk"), "feedback_letter"
            )
            fields["document"] = letter.pk
        return fields

    def do(self, referral: Any, transition: str, actor: Any = None, **fields: Any) -> Any:
        from xianjie.referrals.models import Referral
        from xianjie.referrals.services import SERVICES

        referral = Referral.objects.get(pk=referral.pk)
        actor = actor or self.actor(referral, transition)
        # Fields given replace the defaults entirely, so a test can leave a required one out.
        given = fields or self.fields(referral, transition)
        SERVICES[transition](referral_id=referral.pk, actor=actor, **given)
        return Referral.objects.get(pk=referral.pk)

    def walk(self, referral: Any, transitions: list[str]) -> Any:
        for name in transitions:
            referral = self.do(referral, name)
        return referral

    def to_status(self, status: str, direction: str = "to_discipline", **draft: Any) -> Any:
        """A new referral brought to `status` through the services (REACHABLE)."""
        return self.walk(self.draft(direction, **draft), REACHABLE[direction][status])


@pytest.fixture
def flow(request, county, data_dir, city_commission, sample_file):
    """The Flow of every persona (requesting them all, so notifications have recipients)."""
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    return Flow(county, people, city_commission, sample_file)


def take_snapshot(referral_id: int) -> dict[str, Any]:
    """Everything a refused move must leave as it was: the row, its history, the audit chain,
    its clocks and files, and the number of referrals (a forward creates one)."""
    from django.forms.models import model_to_dict

    from xianjie.audit.models import AuditEntry
    from xianjie.calendar.selectors import clocks_of
    from xianjie.referrals.models import Evidence, Referral, ReferralEvent

    referral = Referral.objects.get(pk=referral_id)
    row = model_to_dict(referral, exclude=["violation_codes"])
    row["updated_at"] = referral.updated_at
    return {
        "referral": row,
        "events": ReferralEvent.objects.filter(referral_id=referral_id).count(),
        "audit": AuditEntry.objects.count(),
        "clocks": list(
            clocks_of(referral).values_list(
                "kind", "state", "due_date", "paused_on", "paused_workdays", "finished_on"
            )
        ),
        "evidence": Evidence.objects.filter(referral_id=referral_id).count(),
        "referrals": Referral.objects.count(),
    }


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
