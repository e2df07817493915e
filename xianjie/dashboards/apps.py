from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xianjie.dashboards"
    label = "dashboards"
    verbose_name = "工作台"
