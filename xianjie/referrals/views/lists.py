"""The list of a user's referrals, and the 司法局's status-only oversight of the referrals of
the departmental legal units (第十一条: status, never content)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xianjie.accounts.models import OrgKind, Role
from xianjie.catalog.models import ViolationCode
from xianjie.core.pages import service_page as referral_page

from ..forms import OversightFilterForm, ReferralFilterForm
from ..models import Referral
from ..selectors import referral_list
from ..transitions import status_label
from ..worklists import nearest_clocks

PAGE_SIZE = 20


def _rows(page: Any, viewable: set[int] | None = None) -> list[dict[str, Any]]:
    """One row per referral of the page: its Chinese status, its nearest clock, and whether the
    user may open it (`viewable` None: every row of the page may be opened)."""
    badges = nearest_clocks(page)
    return [
        {
            "referral": r,
            "status_label": status_label(r.direction, r.status),
            "badge": badges.get(r.pk),
            "can_view": viewable is None or r.pk in viewable,
        }
        for r in page
    ]


@referral_page("GET")
def referral_index(request: HttpRequest) -> HttpResponse:
    """线索移送: every referral the user may see (三员 and outsiders: none)."""
    user: Any = request.user
    form = ReferralFilterForm(request.GET)
    referrals = referral_list(user, form.filters())
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "rows": _rows(page),
        "codes": ViolationCode.objects.restrict(user, "view")
        .filter(is_active=True)
        .order_by("sort_order", "code"),
        "may_create": user.org_id is not None and user.has_role(Role.CLERK),
    }
    return render(request, "referrals/list.html", context)


def _involves_departments() -> Q:
    return Q(sender_org__kind=OrgKind.DEPT_SUPERVISION) | Q(
        receiver_org__kind=OrgKind.DEPT_SUPERVISION
    )


@referral_page("GET")
def referral_oversight(request: HttpRequest) -> HttpResponse:
    """移送监督概览 of the 司法局 (行政执法协调监督局): the number, parties, status and clocks
    of the referrals sent by or to the departmental legal units — and a link only to what it may
    open."""
    user: Any = request.user
    if user.org_id is None or user.org.kind != OrgKind.JUSTICE:
        raise PermissionDenied
    form = OversightFilterForm(request.GET)
    filters = form.filters()
    number = filters.pop("q", "")
    referrals = referral_list(user, filters, action="status").filter(_involves_departments())
    if number:
        referrals = referrals.filter(number__icontains=number)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    viewable = set(
        Referral.objects.restrict(user, "view")
        .filter(pk__in=[r.pk for r in page])
        .values_list("pk", flat=True)
    )
    context = {"form": form, "page_obj": page, "rows": _rows(page, viewable)}
    return render(request, "referrals/oversight.html", context)
