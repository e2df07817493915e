from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xianjie.api"
    label = "api"
    verbose_name = "接口"
