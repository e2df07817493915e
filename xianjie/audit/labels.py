"""Chinese names for what the audit log stores as codes: actions, object types, login channels.

Apps register the labels of the actions they record (`register_action_labels` in their
`AppConfig.ready()`); an action without a label is shown by its code.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps

from xianjie.access.tiers import Tier

_action_labels: dict[str, str] = {
    "audit.export": "导出日志",
    "audit.verify": "校验审计链",
}
_CHANNEL_LABELS = {"web": "网页", "api": "接口"}


def register_action_labels(labels: Mapping[str, str]) -> None:
    _action_labels.update(labels)


def action_label(code: str) -> str:
    return _action_labels.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    return sorted(_action_labels.items())


def object_type_label(label_lower: str) -> str:
    """`referrals.referral` → 问题线索移送 (the model's verbose name), else the code itself."""
    if not label_lower:
        return ""
    try:
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower


def object_type_choices() -> list[tuple[str, str]]:
    """The product's own models, by Chinese name (framework tables are never audit objects)."""
    return sorted(
        (
            (model._meta.label_lower, str(model._meta.verbose_name))
            for model in apps.get_models()
            if model._meta.app_config.name.startswith("xianjie.")
        ),
        key=lambda choice: choice[1],
    )


def tier_label(tier: int) -> str:
    return Tier(tier).label if tier in Tier.values else str(tier)


def channel_label(channel: str) -> str:
    return _CHANNEL_LABELS.get(channel, channel)
