from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xianjie.dashboards"
    label = "dashboards"
    verbose_name = "工作台"

    def ready(self) -> None:
        from . import (  # noqa: F401  (register the workbench sources)
            sources,
            sources_inspections,
            sources_sharing,
        )
