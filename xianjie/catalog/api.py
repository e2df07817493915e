"""GET /catalog/violations: the codes of 第十三条 (A), 第十四条 (P) and 第六条 (E)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xianjie.core.api import READ_ERRORS, PagePagination, api_user, paginate

from .models import ViolationCategory, ViolationCode

router = Router(tags=["违法违纪行为目录"])


class ViolationCodeOut(Schema):
    code: str = Field(description="例如 A02、P08、E01")
    category: ViolationCategory
    article: int = Field(description="依据条款序号：13、14 或 6")
    item: int | None = Field(description="条内项号；第六条及本地增补代码为空")
    basis: str = Field(description="依据，例如 第十三条（二）")
    text: str
    seeded: bool = Field(description="文件原有（否则为本地增补）")
    active: bool
    sort_order: int

    @staticmethod
    def resolve_active(vc: ViolationCode) -> bool:
        return vc.is_active


@router.get(
    "/catalog/violations",
    response={200: list[ViolationCodeOut], **READ_ERRORS},
    summary="违法违纪行为代码列表",
)
@paginate(PagePagination)
def violation_list(
    request: HttpRequest,
    category: ViolationCategory | None = None,
    article: int | None = Query(None, description="13、14 或 6"),
    active: bool | None = None,
) -> QuerySet[ViolationCode]:
    codes = ViolationCode.objects.restrict(api_user(request), "view")
    if category is not None:
        codes = codes.filter(category=category)
    if article is not None:
        codes = codes.filter(article=article)
    if active is not None:
        codes = codes.filter(is_active=active)
    return codes.order_by("sort_order", "code")
