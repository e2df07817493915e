from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xianjie.audit"
    label = "audit"
    verbose_name = "审计"
