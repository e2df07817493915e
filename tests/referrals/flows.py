"""Referrals driven through the real services to any status, the personas that act on them, and
the snapshot of what a refused move must leave unchanged (transition, secrecy, clock and
concurrency tests)."""

from __future__ import annotations

import itertools
from typing import Any

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
