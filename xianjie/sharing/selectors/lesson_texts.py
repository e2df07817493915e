"""The text of a typical case (典型案例, 第十二条): the de-identified proposal made from a closed
referral, the lists of names and certificate numbers its masking and its review check against,
and the pieces a page needs to highlight masks.

The referral's content is decrypted only here, only for a referral fetched through the access
policy by one of its parties, and only to be masked: the originals are never stored with the
case, and `masked_counts` keeps only how many of each kind were masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from xianjie.accounts.models import Officer, Org, OrgKind, User
from xianjie.catalog.models import ViolationCategory, ViolationCode
from xianjie.referrals.models import Referral, ReferralEvent, SubjectKind
from xianjie.referrals.selectors import ReferralContent, referral_content

from ..deidentify import KIND_LABELS, Mask, deidentify, mask_spans

TITLE_LIMIT = 200
#: Who the case is about, by the category of its first violation code (第十三条 agencies,
#: 第十四条 officers); an enforcement fault (第六条) takes the referral's first subject.
WHO = {
    ViolationCategory.PERSONNEL: "某执法人员",
    ViolationCategory.AGENCY: "某行政执法机关",
}


@dataclass(frozen=True)
class MaskLists:
    """What masking and the review check look for: the region's officer registry, the
    referral's persons and certificate numbers, and the users who handled the referral."""

    names: list[str]
    cert_nos: list[str]


@dataclass
class Proposal:
    title: str
    text: str
    spans: list[Mask]
    counts: dict[str, int]
    codes: list[ViolationCode]
    #: The enforcement org the case happened in (the subject officer's), for 以案促改.
    unit: Org | None = None
    segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count_rows(self) -> list[tuple[str, int]]:
        return count_rows(self.counts)


def count_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(Chinese kind, how many), in the order of KIND_LABELS, for a page's 脱敏情况."""
    return [(label, counts[kind]) for kind, label in KIND_LABELS.items() if counts.get(kind)]


def mask_lists(referral: Referral, content: ReferralContent, viewer: Any) -> MaskLists:
    """The names and numbers to mask in a case from `referral` (decrypted `content`)."""
    officers = Officer.objects.restrict(viewer, "view").filter(
        org__region_id=referral.sender_org.region_id
    )
    names = list(officers.values_list("name", flat=True))
    certs = list(officers.values_list("cert_no", flat=True))
    for subject in content.subjects:
        if subject.kind == SubjectKind.PERSON:
            names.append(subject.name)
        if subject.cert_no:
            certs.append(subject.cert_no)
    involved = ReferralEvent.objects.filter(referral=referral).values("actor_id")
    handlers = User.objects.filter(Q(pk__in=involved) | Q(pk=referral.created_by_id))
    names += sorted({user.display_name for user in handlers})
    return MaskLists(names=names, cert_nos=certs)


def proposed_title(codes: list[ViolationCode], content: ReferralContent) -> str:
    """某执法人员未按要求对行政执法行为进行全过程记录案: who, then the first code's conduct."""
    persons = [s for s in content.subjects if s.kind == SubjectKind.PERSON]
    fallback = "某执法人员" if persons or not content.subjects else "某行政执法机关"
    if not codes:
        return f"{fallback}违法违纪典型案例"
    first = codes[0]
    who = WHO.get(ViolationCategory(first.category), fallback)
    conduct = first.text.split("，")[0].rstrip("。；")
    return f"{who}{conduct}案"[:TITLE_LIMIT]


def _plain_text(referral: Referral, content: ReferralContent) -> str:
    """The case before masking: the facts, the rules broken, and how it was dealt with."""
    sections = [("基本案情", content.facts.strip())]
    norms = "、".join(f"{n['name']}{n['clause']}" for n in content.norms)
    if norms:
        sections.append(("违反的规定", norms + "。"))
    handling = []
    if referral.disposal_method:
        handling.append(f"处置方式：{referral.get_disposal_method_display()}。")
    if content.result.strip():
        handling.append(content.result.strip())
    if handling:
        sections.append(("处理情况", "\n".join(handling)))
    numerals = "一二三四五六"
    return "\n\n".join(
        f"{numerals[n]}、{heading}\n{body}" for n, (heading, body) in enumerate(sections) if body
    )


def subject_unit(referral: Referral, content: ReferralContent) -> Org | None:
    """The enforcement org of the referral's first subject officer (by the registry link, else
    by the certificate number), where a 以案促改 recommendation goes by default."""
    linked = referral.subjects.filter(officer__isnull=False).select_related("officer__org")
    for subject in linked.order_by("position"):
        if subject.officer is not None and subject.officer.org.kind == OrgKind.ENFORCEMENT:
            return subject.officer.org
    certs = [s.cert_no for s in content.subjects if s.cert_no]
    officer = (
        Officer.objects.filter(cert_no__in=certs, org__kind=OrgKind.ENFORCEMENT)
        .select_related("org")
        .first()
    )
    return officer.org if officer is not None else None


def lesson_proposal(referral: Referral, viewer: Any) -> Proposal:
    """The de-identified proposal for a referral `viewer` has fetched through the policy."""
    content = referral_content(referral)
    lists = mask_lists(referral, content, viewer)
    masked = deidentify(_plain_text(referral, content), lists.names, lists.cert_nos)
    codes = list(ViolationCode.objects.filter(code__in=content.codes).order_by("sort_order"))
    title = deidentify(proposed_title(codes, content), lists.names, lists.cert_nos).text
    return Proposal(
        title=title,
        text=masked.text,
        spans=masked.spans,
        counts=masked.counts,
        codes=codes,
        unit=subject_unit(referral, content),
        segments=segments(masked.text, [(m.start, m.end) for m in masked.spans]),
    )


def segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """`text` cut into (piece, "mask" | "") so a template can wrap the masks in <mark> while
    autoescaping every piece."""
    pieces: list[tuple[str, str]] = []
    cursor = 0
    for start, end in sorted(spans):
        if start > cursor:
            pieces.append((text[cursor:start], ""))
        pieces.append((text[start:end], "mask"))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], ""))
    return pieces


def marked_segments(text: str, lists: MaskLists | None) -> list[tuple[str, str]]:
    """A stored text with its masks marked (star runs, and surname + 某 of the listed names)."""
    return segments(text, mask_spans(text, lists.names if lists else ()))
