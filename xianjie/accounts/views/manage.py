"""The administration pages under /manage/: orgs, accounts and roles, officers (第二条).

The 系统管理员 uses all of them except 三员角色, which belongs to the 安全管理员 (等保 2.0
separation of duties). Views parse forms and call services; a refused service shows its Chinese
messages beside the fields and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xianjie.access.restrict import get_object_for_user
from xianjie.core.errors import NotFound, ServiceError

from .. import selectors, services
from ..forms import (
    ORG_ROLE_CHOICES,
    MembershipGrantForm,
    OfficerFilterForm,
    OfficerForm,
    OfficerImportForm,
    OrgForm,
    PasswordPairForm,
    SystemRoleGrantForm,
    UserCreateForm,
    UserFilterForm,
    UserProfileForm,
)
from ..models import Membership, Officer, Org, Role, User
from ..officer_import import CONTENT_TYPE, TEMPLATE_FILENAME, officer_import
from ..officer_import import officer_import_template as import_template

PAGE_SIZE = 20
View = Callable[..., HttpResponse]
_REFUSED = object()


def for_roles(*roles: str) -> Callable[[View], View]:
    """Logged in (else the login page) and holding one of `roles` (else 403)."""

    def decorate(view: View) -> View:
        @login_required
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None

        return wrapped

    return decorate


def _call(form: Form, service: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a service; on refusal put its messages on the form's fields and answer _REFUSED."""
    try:
        return service(**kwargs)
    except ServiceError as error:
        for field, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
        if not error.errors:
            form.add_error(None, error.detail)
        return _REFUSED


def _submitted(request: HttpRequest, form: Form) -> bool:
    return request.method == "POST" and form.is_valid()


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Orgs -------------------------------------------------------------------------------------


@for_roles(Role.SYSADMIN)
def orgs(request: HttpRequest) -> HttpResponse:
    rows = selectors.org_tree(user=request.user)
    return render(request, "accounts/manage/orgs.html", {"rows": rows})


@for_roles(Role.SYSADMIN)
def org_create(request: HttpRequest) -> HttpResponse:
    form = OrgForm(request.POST or None, user=request.user)
    if _submitted(request, form):
        org = _call(form, services.org_create, **form.cleaned_data, actor=request.user)
        if org is not _REFUSED:
            messages.success(request, f"已新增机构“{org.name}”。")
            return redirect("manage:orgs")
    return render(request, "accounts/manage/org_form.html", {"form": form, "org": None})


@for_roles(Role.SYSADMIN)
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_for_user(Org.objects.all(), request.user, "manage", pk=pk)
    initial = {field: getattr(org, field) for field in services.ORG_FIELDS}
    form = OrgForm(request.POST or None, initial=initial, user=request.user, editing=org)
    if _submitted(request, form):
        saved = _call(form, services.org_update, org=org, **form.cleaned_data, actor=request.user)
        if saved is not _REFUSED:
            messages.success(request, f"已保存机构“{saved.name}”。")
            return redirect("manage:orgs")
    return render(request, "accounts/manage/org_form.html", {"form": form, "org": org})


# --- Accounts and roles -----------------------------------------------------------------------


@for_roles(Role.SYSADMIN)
def users(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET, user=request.user)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.user_list(
        user=request.user,
        org=wanted.get("org"),
        role=wanted.get("role") or "",
        active=wanted.get("active"),
        q=wanted.get("q") or "",
    )
    context = {"filters": filters, "page_obj": _page(request, found)}
    return render(request, "accounts/manage/users.html", context)


@for_roles(Role.SYSADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, user=request.user)
    if _submitted(request, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        account = _call(form, services.user_create, **data, actor=request.user)
        if account is not _REFUSED:
            messages.success(request, "账号已创建，请为其分配角色。用户首次登录时须修改密码。")
            return redirect("manage:user_edit", pk=account.pk)
    return render(request, "accounts/manage/user_create.html", {"form": form})


#: The account page's actions → the form that carries their input and refusals.
ACCOUNT_ACTIONS = {
    "profile": "profile",
    "password": "password",
    "grant": "grant",
    "activate": "state",
    "deactivate": "state",
    "revoke": "state",
}


def _account_action(action: str, form: Form, account: User, actor: Any, post: Any) -> str:
    """Run one action posted on the account page. Answers the success message, or "" when the
    form now carries the refusal."""
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    if action == "profile":
        result = _call(form, services.user_update, user=account, **data, actor=actor)
        done = "已保存账号信息。"
    elif action == "password":
        password = data["password"]
        result = _call(
            form, services.user_reset_password, user=account, password=password, actor=actor
        )
        done = "已重置密码，用户下次登录时须修改密码。"
    elif action in ("activate", "deactivate"):
        active = action == "activate"
        result = _call(form, services.user_set_active, user=account, active=active, actor=actor)
        done = "账号已启用。" if active else "账号已停用，该用户不能再登录。"
    elif action == "grant":
        result = _call(
            form, services.membership_grant, user=account, role=data["role"], actor=actor
        )
        done = f"已分配角色：{Role(data['role']).label}。"
    else:
        membership = get_object_for_user(
            Membership.objects.filter(user=account), actor, "manage", pk=post.get("membership") or 0
        )
        result = _call(form, services.membership_revoke, membership=membership, actor=actor)
        done = f"已撤销角色：{membership.get_role_display()}。"
    return "" if result is _REFUSED else done


@for_roles(Role.SYSADMIN, Role.SECADMIN)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: profile, active state, temporary password and roles, each its own form.
    The 安全管理员 comes here for the accounts holding a 三员 role; others are read-only to them."""
    actor: Any = request.user
    account = get_object_for_user(User.objects.select_related("org"), actor, "view", pk=pk)
    manageable = User.objects.restrict(actor, "manage").filter(pk=pk).exists()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and (action not in ACCOUNT_ACTIONS or not manageable):
        raise PermissionDenied
    target = ACCOUNT_ACTIONS.get(action)

    def bound(name: str) -> Any:
        return request.POST if target == name else None

    profile_initial = {"full_name": account.full_name, "org": account.org, "phone": account.phone}
    held = {m.role for m in account.memberships.all()}
    grantable = [
        (role, label)
        for role, label in (ORG_ROLE_CHOICES if actor.has_role(Role.SYSADMIN) else [])
        if role not in held
    ]
    forms: dict[str, Form] = {
        "profile": UserProfileForm(bound("profile"), initial=profile_initial, user=actor),
        "password": PasswordPairForm(bound("password")),
        "grant": MembershipGrantForm(bound("grant"), choices=grantable),
        "state": Form(bound("state")),
    }
    if target is not None:
        done = _account_action(action, forms[target], account, actor, request.POST)
        if done:
            messages.success(request, done)
            return redirect("manage:user_edit", pk=account.pk)
    revocable = set(
        Membership.objects.restrict(actor, "manage")
        .filter(user=account)
        .values_list("pk", flat=True)
    )
    memberships = account.memberships.select_related("org").order_by("role")
    context = {
        "account": account,
        "manageable": manageable,
        "forms": forms,
        "memberships": [(m, m.pk in revocable) for m in memberships],
        "back": "manage:users" if actor.has_role(Role.SYSADMIN) else "manage:system_roles",
    }
    return render(request, "accounts/manage/user_edit.html", context)


@for_roles(Role.SECADMIN)
def system_roles(request: HttpRequest) -> HttpResponse:
    """The 安全管理员 grants and revokes the 三员 roles (等保 2.0 三权分立)."""
    actor: Any = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    candidates = selectors.system_role_candidates(user=actor)
    form = SystemRoleGrantForm(request.POST if action == "grant" else None, candidates=candidates)
    revoke_form = Form(request.POST if action == "revoke" else None)
    done = ""
    if action == "grant" and form.is_valid():
        account, role = form.cleaned_data["user"], form.cleaned_data["role"]
        granted = _call(form, services.membership_grant, user=account, role=role, actor=actor)
        if granted is not _REFUSED:
            done = f"已为{account.display_name}分配角色：{Role(role).label}。"
    elif action == "revoke":
        membership = get_object_for_user(
            Membership.objects.select_related("user"),
            actor,
            "manage",
            pk=request.POST.get("membership") or 0,
        )
        revoked = _call(revoke_form, services.membership_revoke, membership=membership, actor=actor)
        if revoked is not _REFUSED:
            holder = membership.user.display_name
            done = f"已撤销{holder}的角色：{membership.get_role_display()}。"
    if done:
        messages.success(request, done)
        return redirect("manage:system_roles")
    revocable = set(Membership.objects.restrict(actor, "manage").values_list("pk", flat=True))
    holders = [(m, m.pk in revocable) for m in selectors.system_role_holders(user=actor)]
    context = {"holders": holders, "form": form, "revoke_form": revoke_form}
    return render(request, "accounts/manage/system_roles.html", context)


# --- Officers ---------------------------------------------------------------------------------


@for_roles(Role.SYSADMIN)
def officers(request: HttpRequest) -> HttpResponse:
    filters = OfficerFilterForm(request.GET, user=request.user)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.officer_list(
        user=request.user,
        org=wanted.get("org"),
        status=wanted.get("status") or "",
        q=wanted.get("q") or "",
    )
    context = {"filters": filters, "page_obj": _page(request, found)}
    return render(request, "accounts/manage/officers.html", context)


@for_roles(Role.SYSADMIN)
def officer_create(request: HttpRequest) -> HttpResponse:
    form = OfficerForm(request.POST or None, user=request.user)
    if _submitted(request, form):
        officer = _call(form, services.officer_create, **form.cleaned_data, actor=request.user)
        if officer is not _REFUSED:
            messages.success(request, f"已登记执法人员“{officer.name}”。")
            return redirect("manage:officers")
    return render(request, "accounts/manage/officer_form.html", {"form": form, "officer": None})


@for_roles(Role.SYSADMIN)
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_for_user(Officer.objects.all(), request.user, "manage", pk=pk)
    initial = {field: getattr(officer, field) for field in services.OFFICER_FIELDS}
    form = OfficerForm(request.POST or None, initial=initial, user=request.user)
    if _submitted(request, form):
        data = form.cleaned_data
        saved = _call(form, services.officer_update, officer=officer, **data, actor=request.user)
        if saved is not _REFUSED:
            messages.success(request, f"已保存执法人员“{saved.name}”。")
            return redirect("manage:officers")
    context = {"form": form, "officer": officer}
    return render(request, "accounts/manage/officer_form.html", context)


@for_roles(Role.SYSADMIN)
def officer_import_page(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in sheet, or (?download=template) fetch the template to fill in."""
    if request.GET.get("download") == "template":
        response = HttpResponse(import_template(), content_type=CONTENT_TYPE)
        disposition = f"attachment; filename*=UTF-8''{quote(TEMPLATE_FILENAME)}"
        response["Content-Disposition"] = disposition
        return response
    form = OfficerImportForm(request.POST or None, request.FILES or None)
    if _submitted(request, form):
        count = _call(form, officer_import, file=form.cleaned_data["file"], actor=request.user)
        if count is not _REFUSED:
            messages.success(request, f"已导入{count}名执法人员。")
            return redirect("manage:officers")
    return render(request, "accounts/manage/officer_import.html", {"form": form})
