"""Start-up check: every model read through `restrict()` has an access policy.

Without it the first list that reads such a model would fail in front of a user; with it
`xianjie check` (and `makemigrations --check` in `make test`) names the model at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Error

from .restrict import RestrictedQuerySet, _policies


def restricted_models_have_policies(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    models = (
        [m for config in app_configs for m in config.get_models()]
        if app_configs is not None
        else apps.get_models()
    )
    return [
        Error(
            f"{model._meta.label} is read through restrict() but has no access policy.",
            hint="Register one with access.restrict.register_policy in the app's policies.py "
            "and import that module in the AppConfig's ready().",
            obj=model,
            id="access.E001",
        )
        for model in models
        if model not in _policies
        and any(
            issubclass(getattr(manager, "_queryset_class", object), RestrictedQuerySet)
            for manager in model._meta.managers
        )
    ]
