from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xianjie.core"
    label = "core"
    verbose_name = "基础"
