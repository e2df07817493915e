"""What every app's router (its `api.py`) shares: the error shape, pagination, the caller.

It lives on floor 0 so that the domain apps' routers need nothing from the `api` app above them;
`xianjie/api/` mounts the routers and decides authentication and error mapping.

Lists answer one page: `?page=&page_size=` → {"items": [...], "count": N} (CONTRACT.md). Use
`@paginate(PagePagination)` on a list operation whose response is `list[ItemSchema]` and return the
restricted queryset; a page or size out of range is a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DETAIL_ERRORS",
    "MAX_PAGE_SIZE",
    "READ_ERRORS",
    "ErrorOut",
    "PagePagination",
    "api_user",
    "paginate",
]


def api_user(request: HttpRequest) -> Any:
    """The user the operation's authentication admitted (token or session)."""
    return getattr(request, "auth", None)


class ErrorOut(Schema):
    detail: str = Field(description="中文说明")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="逐字段的中文错误信息，字段路径以“.”连接"
    )


DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="页码，从 1 开始")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"每页条数，默认 {DEFAULT_PAGE_SIZE}，最多 {MAX_PAGE_SIZE}",
        )

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": queryset[offset : offset + pagination.page_size],
            "count": self._items_count(queryset),
        }


#: Error answers every authenticated operation can give, for the OpenAPI document.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
DETAIL_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
