"""GET /me, /orgs, /officers (CONTRACT.md): the org tree and the officer registry (第二条).

Orgs and officers are registry data, read through their access policies like everything else.
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xianjie.access.restrict import get_object_for_user
from xianjie.core.api import DETAIL_ERRORS, READ_ERRORS, PagePagination, api_user, paginate

from .models import CertStatus, Officer, Org, OrgKind

router = Router(tags=["机构与人员"])


class OrgRef(Schema):
    id: int
    code: str = Field(description="文号代字")
    name: str
    kind: OrgKind


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    org: OrgRef | None
    roles: list[str] = Field(description="clerk、leader、sysadmin、secadmin、auditor")

    @staticmethod
    def resolve_roles(user: Any) -> list[str]:
        return sorted(user.role_set())


class OrgOut(OrgRef):
    parent: int | None = Field(description="上级机构的 id")

    @staticmethod
    def resolve_parent(org: Org) -> int | None:
        return org.parent_id


class OrgDetailOut(OrgOut):
    short_name: str
    is_active: bool


class OfficerOut(Schema):
    id: int
    name: str
    org: OrgRef
    post: str
    cert_no: str = Field(description="执法证号")
    cert_status: CertStatus
    valid_from: date | None
    valid_until: date | None


@router.get("/me", response={200: MeOut, **READ_ERRORS}, summary="当前用户")
def me(request: HttpRequest) -> Any:
    return api_user(request)


@router.get("/orgs", response={200: list[OrgOut], **READ_ERRORS}, summary="机构列表")
@paginate(PagePagination)
def org_list(request: HttpRequest, kind: OrgKind | None = None) -> QuerySet[Org]:
    orgs = Org.objects.restrict(api_user(request), "view")
    if kind is not None:
        orgs = orgs.filter(kind=kind)
    return orgs.order_by("region_id", "sort_order", "id")


@router.get("/orgs/{org_id}", response={200: OrgDetailOut, **DETAIL_ERRORS}, summary="机构详情")
def org_detail(request: HttpRequest, org_id: int) -> Org:
    return get_object_for_user(Org.objects.all(), api_user(request), "view", pk=org_id)


@router.get(
    "/officers", response={200: list[OfficerOut], **READ_ERRORS}, summary="行政执法人员列表"
)
@paginate(PagePagination)
def officer_list(
    request: HttpRequest,
    org: int | None = None,
    q: str | None = Query(None, max_length=50, description="姓名包含"),
    cert_no: str | None = Query(None, max_length=32, description="执法证号（精确）"),
) -> QuerySet[Officer]:
    officers = Officer.objects.restrict(api_user(request), "view").select_related("org")
    if org is not None:
        officers = officers.filter(org_id=org)
    if q:
        officers = officers.filter(name__icontains=q.strip())
    if cert_no:
        officers = officers.filter(cert_no=cert_no.strip())
    return officers.order_by("org_id", "name", "id")


@router.get(
    "/officers/{officer_id}",
    response={200: OfficerOut, **DETAIL_ERRORS},
    summary="行政执法人员详情",
)
def officer_detail(request: HttpRequest, officer_id: int) -> Officer:
    return get_object_for_user(
        Officer.objects.select_related("org"),
        api_user(request),
        "view",
        pk=officer_id,
    )
