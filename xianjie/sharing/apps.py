from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "xianjie.sharing"
    label = "sharing"
    verbose_name = "信息共享与警示教育"

    def ready(self) -> None:
        from . import policies  # noqa: F401  (registers the access policies)
