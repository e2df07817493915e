"""The one place where visibility is decided (ARCHITECTURE.md house rule 2).

Each protected model registers a policy: a function of (user, action) answering a `Q` filter,
`True` (everything) or `False` (nothing). Every read of protected data goes through
`Model.objects.restrict(user, action)` — lists, counts, search, exports, dashboards alike — and
detail lookups through `get_object_for_user`, which answers 404 for what the user may not see, so
an object's existence is never revealed (第十一条).

The rules fail closed and loudly: anonymous and inactive users see nothing whatever the policy
says; a model without a policy, an unknown action or a policy answering anything but a Q or a
bool is a programming error (ImproperlyConfigured / ValueError), never an empty or a full list.
A policy that follows a to-many relation must use `Exists(...)`, so that a row is never counted
twice. A count is `.restrict(user, action).count()`; no other helper is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

from xianjie.core.errors import NotFound, NotPermitted

from .tiers import Action

Rule = Q | bool
Policy = Callable[[Any, str], Rule]
M = TypeVar("M", bound=models.Model)
QS = TypeVar("QS", bound=models.QuerySet[Any])

_policies: dict[type[models.Model], Policy] = {}
_ACTIONS = frozenset(Action.values)


def register_policy(model: type[models.Model]) -> Callable[[Policy], Policy]:
    """Register the visibility rule of `model`; one per model (the `access.E001` system check
    reports a restricted model that has none)."""

    def decorator(policy: Policy) -> Policy:
        if model in _policies and _policies[model] is not policy:
            raise ImproperlyConfigured(f"{model.__name__} already has an access policy")
        _policies[model] = policy
        return policy

    return decorator


def policy_for(model: type[models.Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no access policy registered") from None


def is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def rule_for(model: type[models.Model], user: Any, action: str) -> Rule:
    """What `user` may do with `model`'s rows for `action`: a Q filter, True (all) or False."""
    if action not in _ACTIONS:
        raise ValueError(f"unknown access action {action!r}; see access.tiers.Action")
    policy = policy_for(model)
    if not is_active_user(user):
        return False
    rule = policy(user, action)
    if isinstance(rule, bool | Q):
        return rule
    raise ImproperlyConfigured(
        f"the access policy of {model.__name__} answered {rule!r}; it must answer a Q or a bool"
    )


def has_access(user: Any, model: type[models.Model], action: str = Action.VIEW) -> bool:
    """Whether the policy grants `user` any rows of `model` at all: a page or an export whose
    model answers False here is refused (403) before anything is read."""
    return rule_for(model, user, action) is not False


def _apply(queryset: QS, rule: Rule) -> QS:
    if rule is True:
        return queryset.all()
    if rule is False:
        return queryset.none()
    return queryset.filter(rule)


class RestrictedQuerySet(models.QuerySet[M]):
    def restrict(self, user: Any, action: str = Action.VIEW) -> RestrictedQuerySet[M]:
        """Only the rows `user` may perform `action` on; unknown or anonymous users see nothing."""
        return _apply(self, rule_for(self.model, user, action))


def get_object_for_user(
    queryset: models.QuerySet[M], user: Any, action: str = Action.VIEW, **lookup: Any
) -> M:
    """The object if `user` may perform `action` on it, else NotFound (404), never 403.

    `queryset` may be any queryset of a protected model (with select_related, select_for_update,
    prefetches…). A lookup value of the wrong shape (an id that is not a number) is NotFound too.
    """
    visible = _apply(queryset, rule_for(queryset.model, user, action))
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


def require_role(user: Any, *roles: str) -> None:
    """Refuse (403) an action reserved to `roles` — e.g. the 三员's management pages."""
    if not is_active_user(user) or not user.has_role(*roles):
        raise NotPermitted()
