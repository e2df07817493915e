from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xianjie.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        # Registers the access policies of AuditEntry and LoginEvent (access.restrict).
        from . import policies  # noqa: F401
