from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xianjie.dashboards"
    label = "dashboards"
    verbose_name = "工作台"

    def ready(self) -> None:
        from . import sources  # noqa: F401  (registers the workbench sources)
