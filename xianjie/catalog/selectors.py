"""Reading the violation catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from xianjie.core.errors import InvalidInput

from .models import CATEGORY_ARTICLE, ViolationCategory, ViolationCode, article_label


def resolve_codes(
    codes: Iterable[str], categories: Iterable[str] | None = None
) -> list[ViolationCode]:
    """The active catalogue entries for `codes`, in the order given, each once.

    `categories` limits what is acceptable: leads to the commission carry 第十三、十四条 codes
    (agency, personnel), faults sent to the supervision side carry 第六条 codes (fault). Every
    unknown, deactivated or out-of-category code is named in one InvalidInput.
    """
    wanted: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if code and code not in wanted:
            wanted.append(code)
    allowed = set(categories) if categories is not None else set(ViolationCategory.values)
    found = {vc.code: vc for vc in ViolationCode.objects.filter(code__in=wanted)}
    messages = []
    for code in wanted:
        vc = found.get(code)
        if vc is None:
            messages.append(f"未知的违法违纪行为代码：{code}")
        elif vc.category not in allowed:
            expected = "、".join(c.label for c in ViolationCategory if c in allowed)
            messages.append(f"违法违纪行为代码 {code} 不适用于此处（应为{expected}类）")
        elif not vc.is_active:
            messages.append(f"违法违纪行为代码 {code} 已停用")
    if messages:
        raise InvalidInput(errors={"violation_codes": messages})
    return [found[code] for code in wanted]


@dataclass
class ArticleGroup:
    article: int
    label: str
    category_label: str
    codes: list[ViolationCode]


#: The order the catalogue is read in: the two lists of conduct, then the faults.
CATEGORY_ORDER = (ViolationCategory.AGENCY, ViolationCategory.PERSONNEL, ViolationCategory.FAULT)


def violation_codes_by_article(
    user: Any, *, include_inactive: bool, category: str = "", q: str = ""
) -> list[ArticleGroup]:
    """The catalogue `user` may read, grouped 第十三条, 第十四条, 第六条 (local codes included),
    optionally narrowed to one category and to codes or texts containing `q`."""
    qs = ViolationCode.objects.restrict(user, "view")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(text__contains=q))
    by_category: dict[str, list[ViolationCode]] = {c: [] for c in CATEGORY_ORDER}
    for vc in qs.order_by("sort_order", "code"):
        by_category[vc.category].append(vc)
    return [
        ArticleGroup(
            article=CATEGORY_ARTICLE[c],
            label=article_label(CATEGORY_ARTICLE[c]),
            category_label=c.label,
            codes=by_category[c],
        )
        for c in CATEGORY_ORDER
        if by_category[c]
    ]
