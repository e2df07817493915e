"""The security policy (安全策略): the live lockout, session and second-factor parameters.

等保 2.0 level 3 asks for login-failure handling, session timeout and two-factor
authentication for administrators; the issue makes every limit a parameter that the security
administrator (安全管理员) sets, so django-axes and the session middleware read them here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xianjie.access.restrict import require_role
from xianjie.accounts.models import SYSTEM_ROLES, Role, SecurityPolicy
from xianjie.audit.services import audit_record
from xianjie.core.errors import InvalidInput

#: Accepted ranges (inclusive) for the numeric parameters.
LIMITS: dict[str, tuple[int, int]] = {
    "lockout_failures": (3, 10),
    "lockout_minutes": (1, 1440),
    "idle_minutes": (5, 240),
}
POLICY_FIELDS = ("lockout_failures", "lockout_minutes", "idle_minutes", "otp_roles")

# The policy is read by several hooks during one request (axes asks for the limit and the
# cool-off more than once); it is kept on the request so that a request reads it once.
_REQUEST_ATTR = "_xianjie_security_policy"


def field_label(name: str) -> str:
    """The Chinese name of a policy parameter, as the page and the messages call it."""
    return str(getattr(SecurityPolicy._meta.get_field(name), "verbose_name", name))


def default_policy() -> SecurityPolicy:
    """The values in force before the security administrator first changes anything (version 0).

    Demo mode requires no second factor, so that the demo accounts log in with a password only;
    otherwise the 三员 must use one.
    """
    return SecurityPolicy(
        id=1,
        lockout_failures=settings.LOCKOUT_FAILURES,
        lockout_minutes=settings.LOCKOUT_MINUTES,
        idle_minutes=settings.SESSION_IDLE_MINUTES,
        otp_roles=[] if settings.DEMO_MODE else sorted(SYSTEM_ROLES),
        version=0,
    )


def current_policy(request: Any = None) -> SecurityPolicy:
    if request is not None:
        cached = getattr(request, _REQUEST_ATTR, None)
        if cached is not None:
            return cached
    policy = SecurityPolicy.objects.select_related("updated_by").filter(pk=1).first()
    if policy is None:
        policy = default_policy()
    if request is not None:
        setattr(request, _REQUEST_ATTR, policy)
    return policy


def axes_failure_limit(request: Any, credentials: Any = None) -> int:
    """settings.AXES_FAILURE_LIMIT: failures that lock an account or an address."""
    return current_policy(request).lockout_failures


def axes_cooloff_time(request: Any = None) -> timedelta:
    """settings.AXES_COOLOFF_TIME: how long a lock lasts after the last failure."""
    return timedelta(minutes=current_policy(request).lockout_minutes)


def _validate(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, (low, high) in LIMITS.items():
        value = values[field]
        label = field_label(field)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[field] = [f"{label}须为 {low} 至 {high} 之间的整数。"]
    unknown = set(values["otp_roles"]) - set(Role.values)
    if unknown:
        errors["otp_roles"] = ["所选角色无效。"]
    return errors


def security_policy_update(
    *,
    actor: Any,
    lockout_failures: int,
    lockout_minutes: int,
    idle_minutes: int,
    otp_roles: list[str],
) -> SecurityPolicy:
    """Change the policy; the security administrator only. Every change is a new version whose
    old and new values go to the audit chain. Answers the policy as it now stands."""
    require_role(actor, Role.SECADMIN)
    values: dict[str, Any] = {
        "lockout_failures": lockout_failures,
        "lockout_minutes": lockout_minutes,
        "idle_minutes": idle_minutes,
        "otp_roles": sorted(set(otp_roles)),
    }
    errors = _validate(values)
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        defaults = default_policy()
        policy, _ = SecurityPolicy.objects.select_for_update().get_or_create(
            pk=1,
            defaults={field: getattr(defaults, field) for field in (*POLICY_FIELDS, "version")},
        )
        changes = {
            field: [getattr(policy, field), value]
            for field, value in values.items()
            if getattr(policy, field) != value
        }
        if not changes:
            return policy
        for field, value in values.items():
            setattr(policy, field, value)
        policy.version += 1
        policy.updated_at = timezone.now()
        policy.updated_by = actor
        policy.save(update_fields=[*POLICY_FIELDS, "version", "updated_at", "updated_by"])
        audit_record(
            actor=actor,
            action="security_policy.update",
            obj=policy,
            payload={"version": policy.version, "changes": changes},
        )
    return policy
