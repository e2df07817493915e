"""The violation catalogue: 第十三条 (A01–A11), 第十四条 (P01–P10), 第六条 (E01–E03, E99)."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "xianjie.catalog"
    label = "catalog"
    verbose_name = "违法违纪行为目录"

    def ready(self) -> None:
        from xianjie.audit.labels import register_action_labels

        from . import policies  # noqa: F401  (registers the access policy)

        register_action_labels(
            {
                "catalog.violation_code.create": "新增违法违纪行为代码",
                "catalog.violation_code.activate": "启用违法违纪行为代码",
                "catalog.violation_code.deactivate": "停用违法违纪行为代码",
            }
        )
