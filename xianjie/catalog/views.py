"""The catalogue page: everyone reads it; the system administrator adds and deactivates codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xianjie.access.restrict import get_object_for_user, require_role
from xianjie.accounts.models import Role
from xianjie.core.errors import InvalidInput, NotFound, NotPermitted

from .forms import CatalogFilterForm, ViolationCodeForm
from .models import ViolationCode
from .selectors import violation_codes_by_article
from .services import violation_code_create, violation_code_set_active


def _render_list(request: HttpRequest, add_form: ViolationCodeForm | None) -> HttpResponse:
    manager = request.user.has_role(Role.SYSADMIN)  # type: ignore[union-attr]
    filters = CatalogFilterForm(request.GET)
    filters.is_valid()
    category = filters.cleaned_data.get("category", "")
    q = filters.cleaned_data.get("q", "").strip()
    # The administrator sees deactivated codes too, to bring them back. The whole catalogue is
    # a few dozen codes read like the printed articles, so it is shown on one page.
    groups = violation_codes_by_article(
        request.user, include_inactive=manager, category=category, q=q
    )
    context = {
        "groups": groups,
        "filters": filters,
        "filtered": bool(category or q),
        "manager": manager,
        "form": add_form if add_form is not None else (ViolationCodeForm() if manager else None),
    }
    status = 400 if add_form is not None and add_form.errors else 200
    return render(request, "catalog/violations.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def violation_list(request: HttpRequest) -> HttpResponse:
    """第十三条, 第十四条 and 第六条 as codes, with their article and item."""
    return _render_list(request, None)


@login_required
@require_POST
def violation_add(request: HttpRequest) -> HttpResponse:
    try:
        require_role(request.user, Role.SYSADMIN)
    except NotPermitted:
        raise PermissionDenied from None
    form = ViolationCodeForm(request.POST)
    if form.is_valid():
        try:
            vc = violation_code_create(
                code=form.cleaned_data["code"],
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except InvalidInput as exc:
            if not exc.errors:
                form.add_error(None, exc.detail)
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, f"已新增代码 {vc.code}。")
            return redirect("catalog:violations")
    return _render_list(request, form)


@login_required
@require_POST
def violation_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        vc = get_object_for_user(ViolationCode.objects.all(), request.user, "manage", pk=pk)
    except NotFound:
        raise Http404 from None
    active = not vc.is_active
    violation_code_set_active(violation_code=vc, active=active, actor=request.user)
    messages.success(request, f"已{'启用' if active else '停用'}代码 {vc.code}。")
    return redirect("catalog:violations")
