"""Rule-based de-identification of a typical case's text (典型案例脱敏, 第十二条).

A closed referral's facts name people, their 执法证号, ID-card and phone numbers. Before a case
is shared for warning education these are masked by fixed rules, and a person reviews the result
(a rule cannot know every name, so review is part of the workflow, not an option). No database
here: the caller passes the names (the region's officer registry, the referral's subjects, the
users who handled it) and the registry's certificate numbers.

The masks, one readable style for every kind:

======================  ======================  =============================================
kind                    example                 mask
======================  ======================  =============================================
id_card (身份证号码)     14230119900307241X      ``******************`` (every character)
mobile (手机号码)        13935861234             ``1**********`` (only the leading 1 is kept)
landline (固定电话)      0358-1234567            ``0***-*******`` (the leading 0 and the hyphen)
cert_no (执法证号)       14110012345             ``***********`` (every character)
plate (车牌号码)         晋J·12345               ``晋******`` (only the province is kept)
name (姓名)              王小明 / 王明           ``王某某`` / ``王某`` (surname + 某)
======================  ======================  =============================================

Stars mark every masked number, so a reader sees at once that something was removed, and a mask
never keeps a digit that could identify anyone. Names become surname + 某 (某某 for a given name
of two or more characters), the convention of published Chinese cases; a name that already
reads that way (王某某) is left as it is. Names are matched as plain substrings, longest first
(王某某 before 王某): Chinese has no word boundaries, and masking a few characters too many is
the safe side of the mistake.

Dates (20261127), sums of money, 文号 such as 文司移〔2026〕3号 and article numbers are never
masked: the number rules need a whole run of 11, 15 or 18 digits (or a certificate label before
the number), never a part of a longer run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Chinese names of the kinds, for the review page and for refusals.
KIND_LABELS: dict[str, str] = {
    "name": "姓名",
    "cert_no": "执法证号",
    "id_card": "身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话",
    "plate": "车牌号码",
}

#: Compound surnames (复姓): the whole surname is kept, the given name masked.
_COMPOUND = (
    "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕"
    "令狐钟离澹台南宫西门申屠太史端木独孤百里呼延万俟闻人赫连东郭仲孙单于"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))
#: Characters a masked given name is made of; a name of these after its surname stays.
_MASK_CHARS = frozenset("某×Xx*＊○")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_ID_18 = re.compile(_NOT_ALNUM_BEFORE + r"\d{17}[\dXx]" + _NOT_ALNUM_AFTER)
_ID_15 = re.compile(_NOT_ALNUM_BEFORE + r"\d{15}" + _NOT_ALNUM_AFTER)
#: A number after a certificate label (执法证号：14110012345, 证件号 A12345…); at least one digit.
_LABELLED = re.compile(
    r"(?:执法证号码?|执法证编号|证件号码?|证号|编号)[：:\s]*"
    r"(?P<number>(?=[0-9A-Z]*\d)[0-9A-Z]{4,32})" + _NOT_ALNUM_AFTER
)
_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+?86)[- ]?)?1[3-9]\d{9}" + _NOT_ALNUM_AFTER)
_LANDLINE = re.compile(r"(?<![0-9A-Za-z-])0\d{2,3}-?\d{7,8}(?![0-9A-Za-z-])")
_PLATE = re.compile(
    rf"[{_PROVINCES}][A-HJ-NP-Z][·\-]?(?=[A-HJ-NP-Z0-9]*\d)[A-HJ-NP-Z0-9]{{5,6}}" + _NOT_ALNUM_AFTER
)


@dataclass(frozen=True)
class Mask:
    """One masked span. `start`/`end` are offsets in the *de-identified* text (where the
    replacement stands), so a page can highlight it; the original is never kept."""

    kind: str
    start: int
    end: int
    replacement: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Deidentified:
    text: str
    spans: list[Mask] = field(default_factory=list)
    #: How many of each kind were masked ({"name": 2, "mobile": 1}).
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """Something in a text that still looks identifying (for a refusal, shown to the reviewer
    only — it is never stored)."""

    kind: str
    found: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def __str__(self) -> str:
        return f"{self.label}“{self.found}”"


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    replacement: str


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or ch == "·" for ch in text)


def _surname(name: str) -> str:
    if "·" in name:
        return name.split("·", 1)[0]
    return name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]


def looks_masked(name: str) -> bool:
    """王某某, 王某, 欧阳某: the given name is already made of 某 (or ×, *)."""
    given = name[len(_surname(name)) :]
    return bool(given) and set(given) <= _MASK_CHARS


def mask_name(name: str) -> str:
    """Surname + 某 (a one-character given name) or 某某 (two or more)."""
    surname = _surname(name)
    return surname + ("某" if len(name) - len(surname) == 1 else "某某")


def _clean_names(names: Iterable[str]) -> list[str]:
    """Chinese personal names worth masking, longest first (王某某 before 王某): one-character
    strings, names that already look masked and non-Chinese strings (a login name) are left."""
    wanted = set()
    for raw in names:
        name = (raw or "").strip()
        if len(name) >= 2 and _is_cjk(name) and not looks_masked(name):
            wanted.add(name)
    return sorted(wanted, key=lambda n: (-len(n), n))


def _stars(text: str, keep_first: bool = False, keep: str = "") -> str:
    head = text[0] if keep_first else ""
    rest = text[1:] if keep_first else text
    return head + "".join(ch if ch in keep else "*" for ch in rest)


def _number_hits(text: str, cert_nos: Iterable[str]) -> list[_Hit]:
    """Every rule in order of precedence: the registry's certificate numbers first (an 11-digit
    执法证号 starting 14 would otherwise pass for a mobile number), then ID-card numbers, then
    numbers after a certificate label, phones and plates."""
    hits: list[_Hit] = []
    certs = sorted({c.strip() for c in cert_nos if c and c.strip()}, key=len, reverse=True)
    if certs:
        # One alternation for the whole registry, longest first, rather than a pattern each.
        either = "|".join(re.escape(cert) for cert in certs)
        pattern = re.compile(f"{_NOT_ALNUM_BEFORE}(?:{either}){_NOT_ALNUM_AFTER}")
        hits += [_Hit("cert_no", m.start(), m.end(), _stars(m[0])) for m in pattern.finditer(text)]
    hits += [_Hit("id_card", m.start(), m.end(), _stars(m[0])) for m in _ID_18.finditer(text)]
    hits += [_Hit("id_card", m.start(), m.end(), _stars(m[0])) for m in _ID_15.finditer(text)]
    for m in _LABELLED.finditer(text):
        start, end = m.span("number")
        hits.append(_Hit("cert_no", start, end, _stars(m["number"])))
    for m in _MOBILE.finditer(text):
        # A +86 prefix goes too; the mask starts at the mobile's own leading 1.
        hits.append(_Hit("mobile", m.start(), m.end(), _stars(m[0][-11:], keep_first=True)))
    for m in _LANDLINE.finditer(text):
        hits.append(_Hit("landline", m.start(), m.end(), _stars(m[0], keep_first=True, keep="-")))
    for m in _PLATE.finditer(text):
        plate = m[0].replace("·", "").replace("-", "")
        hits.append(_Hit("plate", m.start(), m.end(), _stars(plate, keep_first=True)))
    return hits


def _name_hits(text: str, names: Iterable[str]) -> list[_Hit]:
    hits = []
    for name in _clean_names(names):
        masked = mask_name(name)
        start = text.find(name)
        while start != -1:
            hits.append(_Hit("name", start, start + len(name), masked))
            start = text.find(name, start + len(name))
    return hits


def _hits(text: str, names: Iterable[str], cert_nos: Iterable[str]) -> list[_Hit]:
    """The non-overlapping hits in text order; of two that overlap, the earlier rule wins (the
    lists come in precedence order, names last), then the longer one."""
    taken: list[_Hit] = []
    occupied = [False] * len(text)
    for hit in _number_hits(text, cert_nos) + _name_hits(text, names):
        if any(occupied[hit.start : hit.end]):
            continue
        taken.append(hit)
        occupied[hit.start : hit.end] = [True] * (hit.end - hit.start)
    return sorted(taken, key=lambda h: h.start)


def deidentify(text: str, names: Iterable[str] = (), cert_nos: Iterable[str] = ()) -> Deidentified:
    """`text` with names, 执法证号, ID-card, phone and plate numbers masked (module docstring)."""
    out: list[str] = []
    spans: list[Mask] = []
    counts: dict[str, int] = {}
    cursor = length = 0
    for hit in _hits(text, list(names), list(cert_nos)):
        out.append(text[cursor : hit.start])
        length += hit.start - cursor
        spans.append(Mask(hit.kind, length, length + len(hit.replacement), hit.replacement))
        out.append(hit.replacement)
        length += len(hit.replacement)
        cursor = hit.end
        counts[hit.kind] = counts.get(hit.kind, 0) + 1
    out.append(text[cursor:])
    return Deidentified(text="".join(out), spans=spans, counts=counts)


def residual_findings(
    text: str, names: Iterable[str] = (), cert_nos: Iterable[str] = ()
) -> list[Finding]:
    """What in `text` the rules would still mask, each distinct finding once, in text order —
    a reviewed case is published only when this is empty."""
    seen: dict[tuple[str, str], Finding] = {}
    for hit in _hits(text, list(names), list(cert_nos)):
        key = (hit.kind, text[hit.start : hit.end])
        seen.setdefault(key, Finding(*key))
    return list(seen.values())


#: A mask this module wrote: a run of stars, with the leading 1 of a mobile, the 0 of a landline
#: (hyphen kept) or the province of a plate before it.
_MASK_MARK = re.compile(rf"(?:[01{_PROVINCES}])?\*[*\-]*\*|\*")


def mask_spans(text: str, names: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where `text` shows masks (star runs, and surname + 某 for each of `names` masked), for
    highlighting a stored text whose original is no longer at hand."""
    tokens = {mask_name(n) for n in _clean_names(names)} | {
        n.strip() for n in names if n and looks_masked(n.strip()) and _is_cjk(n.strip())
    }
    spans = [m.span() for m in _MASK_MARK.finditer(text) if len(m[0]) >= 4]
    for token in sorted(tokens, key=len, reverse=True):
        start = text.find(token)
        while start != -1:
            spans.append((start, start + len(token)))
            start = text.find(token, start + len(token))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
