from django.apps import AppConfig
from django.core import checks


class AccessConfig(AppConfig):
    name = "xianjie.access"
    label = "access"
    verbose_name = "访问控制"

    def ready(self) -> None:
        from . import policies  # noqa: F401  (registers the access policies)
        from .checks import restricted_models_have_policies

        checks.register(restricted_models_have_policies, checks.Tags.security)
