"""A serious finding as a draft referral (第九条 "严肃处理"): the direction by the actor's side,
the receiver among the organisers, the content and the evidence carried over from the finding."""

from __future__ import annotations

import re
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File

from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind
from xianjie.core.errors import InvalidInput, NotPermitted
from xianjie.referrals.evidence import evidence_upload
from xianjie.referrals.models import EvidenceRole, Referral, Source, SubjectKind
from xianjie.referrals.services import referral_create
from xianjie.referrals.services.drafting import CODE_CATEGORIES, MAX_ITEMS
from xianjie.referrals.transitions import Direction

from ..models import Finding, Inspection
from ..sealing import unseal
from .attachments import attachment_items, attachment_open

_NORM = re.compile(r"^(?P<name>.+?)\s*(?P<clause>第[〇零一二三四五六七八九十百千\d]+条.*)$")


def _direction(actor: Any) -> tuple[str, str, str]:
    """By the actor's side: a supervision body sends a lead to the commission (第四条, source
    联合法治督查); the commission sends an enforcement fault to the supervision side (第六条) — a
    joint inspection is, for the commission, its own 监督检查."""
    if actor.org.kind in SUPERVISION_KINDS:
        return Direction.TO_DISCIPLINE, OrgKind.DISCIPLINE, Source.JOINT_INSPECTION
    if actor.org.kind == OrgKind.DISCIPLINE:
        return Direction.TO_SUPERVISION, OrgKind.JUSTICE, Source.SUPERVISION
    raise NotPermitted("只有纪检监察机关或行政执法监督机构可以移送线索。")


def _receiver(inspection: Inspection, kind: str) -> Org | None:
    """The org of `kind` among the organisers, else the region's own."""
    active = Org.objects.filter(kind=kind, is_active=True).order_by("sort_order", "id")
    organiser = active.filter(pk__in=inspection.organisers.values("pk")).first()
    return organiser or active.filter(region_id=inspection.region_id).first()


def _norms(basis: str) -> list[dict[str, str]]:
    """The parts of the basis that name a norm and its clause (第四条 法规名称 + 条款); a basis
    that names none gives none, for the clerk to fill in before submitting."""
    norms = []
    for part in re.split(r"[；;\n]+", basis):
        match = _NORM.match(part.strip().rstrip("。."))
        if match is None:
            continue
        name, clause = match["name"].strip(" ，,、"), match["clause"].strip()
        if name and len(name) <= 200 and len(clause) <= 100:
            norms.append({"name": name, "clause": clause})
    return norms[:MAX_ITEMS]


def _subject(finding: Finding, officer_name: str) -> dict[str, Any]:
    """The named officer (the registry fills in post, org and certificate number), else the
    unit itself."""
    if finding.officer_id is not None:
        return {"kind": SubjectKind.PERSON, "officer": finding.officer_id, "name": officer_name}
    if officer_name:
        return {"kind": SubjectKind.PERSON, "name": officer_name, "org": finding.unit.name}
    return {"kind": SubjectKind.AGENCY, "name": finding.unit.name}


def _copy_evidence(finding: Finding, referral: Referral, actor: Any) -> None:
    """Each file of the finding becomes evidence of the referral, re-encrypted under the
    referral's key, so that the draft is complete (第四条 requires evidence)."""
    for item in attachment_items(finding.attachments.select_related("uploaded_by")):
        opened = attachment_open(attachment_id=item.id, actor=actor)
        with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR or None) as handle:
            try:
                for chunk in opened.chunks:
                    handle.write(chunk)
            finally:
                opened.chunks.close()
            upload = File(handle, name=opened.filename)
            upload.size = handle.tell()
            handle.seek(0)
            evidence_upload(
                referral=referral,
                actor=actor,
                file=upload,
                role=EvidenceRole.EVIDENCE,
                description=item.description or f"督查发现问题{finding.sequence}的证据材料",
            )


def draft_referral(finding: Finding, actor: Any) -> Referral:
    direction, receiver_kind, source = _direction(actor)
    receiver = _receiver(finding.inspection, receiver_kind)
    if receiver is None:
        raise InvalidInput(errors={"receiver_org": ["本行政区划没有可以接收移送的单位。"]})
    inspection = finding.inspection
    title = unseal(finding, "title", finding.title_enc)
    allowed = CODE_CATEGORIES[Direction(direction)]
    codes = finding.violation_codes.filter(category__in=allowed, is_active=True)
    referral = referral_create(
        actor=actor,
        direction=direction,
        receiver_org=receiver.pk,
        source=source,
        subjects=[_subject(finding, unseal(finding, "officer_name", finding.officer_name_enc))],
        facts=f"{inspection.year}年“{inspection.title}”检查{finding.unit.name}时发现：\n"
        + unseal(finding, "description", finding.description_enc),
        norms=_norms(unseal(finding, "basis", finding.basis_enc)),
        violation_codes=list(codes.order_by("sort_order").values_list("code", flat=True)),
        summary=f"联合法治督查“{inspection.title}”发现的问题{finding.sequence}（严重）：{title}",
    )
    _copy_evidence(finding, referral, actor)
    return referral
