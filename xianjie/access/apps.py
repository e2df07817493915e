from django.apps import AppConfig
from django.core import checks


class AccessConfig(AppConfig):
    name = "xianjie.access"
    label = "access"
    verbose_name = "访问控制"

    def ready(self) -> None:
        from xianjie.audit.labels import register_action_labels
        from xianjie.core.sweep import register_sweep_task

        from . import policies  # noqa: F401  (registers the access policies)
        from .checks import restricted_models_have_policies
        from .services.requests import AUDIT_LABELS, access_grants_expire
        from .views import granted

        checks.register(restricted_models_have_policies, checks.Tags.security)
        # 第十一条: a grant closes by itself at the end of its period.
        register_sweep_task("到期关闭调阅授权", access_grants_expire)
        register_action_labels(AUDIT_LABELS)
        register_action_labels(granted.AUDIT_LABELS)
