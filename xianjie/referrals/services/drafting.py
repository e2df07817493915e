"""Drafting a referral and checking it is complete before it goes out (第四条, 第六条)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from xianjie.access.restrict import RestrictedQuerySet
from xianjie.accounts.models import SUPERVISION_KINDS, Officer, Org, OrgKind, Role
from xianjie.catalog.models import ViolationCategory
from xianjie.catalog.selectors import resolve_codes
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted, merge_errors

from ..models import (
    SOURCES_BY_DIRECTION,
    Evidence,
    EvidenceRole,
    Referral,
    ReferralNorm,
    ReferralSubject,
    Source,
    SubjectKind,
)
from ..permissions import may_edit_draft
from ..sealing import cert_index, name_index, new_wrapped_key, seal
from ..transitions import Direction, Status, Transition
from ._support import audit, clean_text, lock, record_event

MAX_FACTS = 20000
MAX_SUMMARY = 500
MAX_ITEMS = 50

#: Codes each direction carries: 第十三、十四条 for leads to the commission, 第六条 for faults.
CODE_CATEGORIES = {
    Direction.TO_DISCIPLINE: [ViolationCategory.AGENCY, ViolationCategory.PERSONNEL],
    Direction.TO_SUPERVISION: [ViolationCategory.FAULT],
}


def _check_parties(actor: Any, direction: str, receiver: Org | None) -> dict[str, list[str]]:
    """第四条: supervision bodies send leads to the commission; 第六条: the commission sends
    enforcement faults to a supervision body."""
    errors: dict[str, list[str]] = {}
    org = actor.org
    if direction == Direction.TO_DISCIPLINE:
        if org.kind not in SUPERVISION_KINDS:
            raise NotPermitted("只有行政执法监督机构可以向纪检监察机关移送问题线索。")
        if receiver is not None and receiver.kind != OrgKind.DISCIPLINE:
            errors["receiver_org"] = ["问题线索应移送纪检监察机关。"]
    elif direction == Direction.TO_SUPERVISION:
        if org.kind != OrgKind.DISCIPLINE:
            raise NotPermitted("只有纪检监察机关可以向行政执法监督机构移送执法过错问题。")
        if receiver is not None and receiver.kind not in SUPERVISION_KINDS:
            errors["receiver_org"] = [
                "执法过错问题应移送行政执法监督机构（司法局或部门法制机构）。"
            ]
    if receiver is not None and (receiver.region_id != org.region_id or not receiver.is_active):
        errors.setdefault("receiver_org", []).append("接收单位不在本行政区划内或已停用。")
    return errors


def _receiver(value: Any, errors: dict[str, list[str]]) -> Org | None:
    if value in (None, ""):
        errors["receiver_org"] = ["请选择接收单位。"]
        return None
    org = Org.objects.filter(pk=getattr(value, "pk", value)).first()
    if org is None:
        errors["receiver_org"] = ["接收单位不存在。"]
    return org


def _subjects(raw: Iterable[Mapping[str, Any]], actor: Any, errors: dict[str, list[str]]):
    parsed: list[dict[str, Any]] = []
    items = list(raw or [])
    if len(items) > MAX_ITEMS:
        errors["subjects"] = [f"涉案对象不应超过{MAX_ITEMS}个。"]
        return parsed
    officers: RestrictedQuerySet[Officer] = Officer.objects.restrict(actor, "view")
    for i, item in enumerate(items):
        prefix = f"subjects.{i}"
        kind = str(item.get("kind") or SubjectKind.PERSON)
        if kind not in SubjectKind.values:
            errors.setdefault(f"{prefix}.kind", []).append("涉案对象类别应为个人或单位。")
        officer = None
        if item.get("officer"):
            # A typed id that is not a number is simply not an officer (never a crash).
            wanted = str(getattr(item["officer"], "pk", item["officer"])).strip()
            if wanted.isascii() and wanted.isdigit():
                officer = officers.filter(pk=wanted).select_related("org").first()
            if officer is None:
                errors.setdefault(f"{prefix}.officer", []).append("执法人员不存在。")
        name = clean_text(
            item.get("name") or (officer.name if officer else ""),
            field=f"{prefix}.name",
            label_cn="姓名或名称",
            limit=100,
            errors=errors,
            required=True,
        )
        parsed.append(
            {
                "kind": kind,
                "officer": officer,
                "name": name,
                "post": clean_text(
                    item.get("post") or (officer.post if officer else ""),
                    field=f"{prefix}.post",
                    label_cn="职务",
                    limit=50,
                    errors=errors,
                ),
                "org_name": clean_text(
                    item.get("org") or (officer.org.name if officer else ""),
                    field=f"{prefix}.org",
                    label_cn="所在单位",
                    limit=100,
                    errors=errors,
                ),
                "cert_no": clean_text(
                    item.get("cert_no") or (officer.cert_no if officer else ""),
                    field=f"{prefix}.cert_no",
                    label_cn="执法证编号",
                    limit=32,
                    errors=errors,
                ).upper(),
            }
        )
    return parsed


def _norms(raw: Iterable[Mapping[str, Any]], errors: dict[str, list[str]]) -> list[dict[str, str]]:
    items = list(raw or [])
    if len(items) > MAX_ITEMS:
        errors["norms"] = [f"执法规范不应超过{MAX_ITEMS}条。"]
        return []
    return [
        {
            "name": clean_text(
                item.get("name"),
                field=f"norms.{i}.name",
                label_cn="法规名称",
                limit=200,
                errors=errors,
                required=True,
            ),
            "clause": clean_text(
                item.get("clause"),
                field=f"norms.{i}.clause",
                label_cn="条款",
                limit=100,
                errors=errors,
                required=True,
            ),
        }
        for i, item in enumerate(items)
    ]


def write_content(referral: Referral, *, subjects, norms, codes, facts: str, summary: str) -> None:
    referral.facts_enc = seal(referral, "facts", facts)
    referral.summary_enc = seal(referral, "summary", summary)
    referral.save(update_fields=["facts_enc", "summary_enc", "updated_at"])
    referral.subjects.all().delete()
    for position, item in enumerate(subjects):
        subject = ReferralSubject.objects.create(
            referral=referral,
            kind=item["kind"],
            position=position,
            officer_id=getattr(item["officer"], "pk", item["officer"]),
            cert_index=cert_index(item["cert_no"]),
            name_index=name_index(item["name"]),
        )
        prefix = f"subject:{subject.pk}"
        subject.name_enc = seal(referral, f"{prefix}:name", item["name"])
        subject.post_enc = seal(referral, f"{prefix}:post", item["post"])
        subject.org_name_enc = seal(referral, f"{prefix}:org", item["org_name"])
        subject.cert_no_enc = seal(referral, f"{prefix}:cert_no", item["cert_no"])
        subject.save(update_fields=["name_enc", "post_enc", "org_name_enc", "cert_no_enc"])
    referral.norms.all().delete()
    ReferralNorm.objects.bulk_create(
        ReferralNorm(referral=referral, position=i, **norm) for i, norm in enumerate(norms)
    )
    referral.violation_codes.set(codes)


def _validated(actor: Any, direction: str, data: Mapping[str, Any]):
    errors: dict[str, list[str]] = {}
    if direction not in Direction.values:
        raise InvalidInput(
            errors={"direction": ["移送方向应为移送纪检监察机关或移送行政执法监督机构。"]}
        )
    receiver = _receiver(data.get("receiver_org"), errors)
    errors = merge_errors(errors, _check_parties(actor, direction, receiver))
    source = str(data.get("source") or "")
    if source not in SOURCES_BY_DIRECTION[Direction(direction)]:
        allowed = "、".join(Source(s).label for s in SOURCES_BY_DIRECTION[Direction(direction)])
        errors["source"] = [f"线索来源应为：{allowed}。"]
    subjects = _subjects(data.get("subjects") or [], actor, errors)
    norms = _norms(data.get("norms") or [], errors)
    facts = clean_text(
        data.get("facts"), field="facts", label_cn="违法事实", limit=MAX_FACTS, errors=errors
    )
    summary = clean_text(
        data.get("summary"), field="summary", label_cn="摘要", limit=MAX_SUMMARY, errors=errors
    )
    codes = []
    try:
        codes = resolve_codes(
            data.get("violation_codes") or [], CODE_CATEGORIES[Direction(direction)]
        )
    except InvalidInput as error:
        errors = merge_errors(errors, error.errors)
    if errors:
        raise InvalidInput(errors=errors)
    return receiver, source, subjects, norms, codes, facts, summary


def referral_create(*, actor: Any, direction: str, **data: Any) -> Referral:
    """A clerk of the sending side drafts a referral (status 草稿). Completeness is checked at
    submission, so a draft may be saved half-written; what is there must be valid."""
    if actor.org_id is None or not actor.has_role(Role.CLERK):
        raise NotPermitted("只有登记员可以登记线索移送。")
    receiver, source, subjects, norms, codes, facts, summary = _validated(actor, direction, data)
    with transaction.atomic():
        referral = Referral.objects.create(
            direction=direction,
            sender_org_id=actor.org_id,
            receiver_org=receiver,
            source=source,
            created_by=actor,
            wrapped_key=new_wrapped_key(),
        )
        write_content(
            referral, subjects=subjects, norms=norms, codes=codes, facts=facts, summary=summary
        )
        record_event(referral=referral, actor=actor, transition=Transition.CREATE, from_status="")
        audit(referral, actor, "create", direction=direction)
    return referral


def referral_update(*, referral_id: int, actor: Any, **data: Any) -> Referral:
    """Edit a draft; fields not given keep their values. Only the sender's clerk, only in 草稿."""
    from ..selectors import get_referral_for_user, referral_content

    visible = get_referral_for_user(actor, referral_id)
    if not may_edit_draft(actor, visible):
        raise NotPermitted("只有移送单位的登记员可以修改草稿。")
    with transaction.atomic():
        referral = lock(referral_id)
        if referral.status != Status.DRAFT:
            raise Conflict("只有草稿可以修改。")
        current = referral_content(referral)
        merged = {
            "receiver_org": referral.receiver_org_id,
            "source": referral.source,
            "subjects": [s.as_input() for s in current.subjects],
            "norms": current.norms,
            "violation_codes": current.codes,
            "facts": current.facts,
            "summary": current.summary,
        }
        merged.update({k: v for k, v in data.items() if k in merged})
        receiver, source, subjects, norms, codes, facts, summary = _validated(
            actor, referral.direction, merged
        )
        referral.receiver_org, referral.source = receiver, source
        referral.save(update_fields=["receiver_org", "source", "updated_at"])
        write_content(
            referral, subjects=subjects, norms=norms, codes=codes, facts=facts, summary=summary
        )
        audit(referral, actor, "update", fields=sorted(k for k in data if k in merged))
    return referral


def submit_problems(referral: Referral) -> dict[str, list[str]]:
    """What 第四条 requires before a lead can be sent, listed field by field in Chinese: for each
    person 姓名、职务、执法证编号; the facts; the norm and clause violated; at least one evidence
    file. A fault to a supervision body (第六条) needs the subject, facts, a code and evidence."""
    from ..selectors import referral_content

    content = referral_content(referral)
    errors: dict[str, list[str]] = {}
    if not content.subjects:
        errors["subjects"] = ["请填写至少一个涉案人员或单位。"]
    for i, subject in enumerate(content.subjects):
        if not subject.name:
            errors[f"subjects.{i}.name"] = ["请填写姓名或名称。"]
        if subject.kind == SubjectKind.PERSON and referral.direction == Direction.TO_DISCIPLINE:
            if not subject.post:
                errors[f"subjects.{i}.post"] = ["请填写职务。"]
            if not subject.cert_no:
                errors[f"subjects.{i}.cert_no"] = ["请填写执法证编号。"]
    if not content.facts:
        errors["facts"] = ["请填写违法事实。"]
    if referral.direction == Direction.TO_DISCIPLINE and not content.norms:
        errors["norms"] = ["请填写具体违反的执法规范条款（法规名称及条款）。"]
    if not content.codes:
        errors["violation_codes"] = ["请选择至少一项违法违纪行为。"]
    has_evidence = Evidence.objects.filter(referral=referral, role=EvidenceRole.EVIDENCE).exists()
    if not has_evidence:
        errors["evidence"] = ["请上传证据材料。"]
    return errors
