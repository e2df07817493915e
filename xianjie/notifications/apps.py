from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xianjie.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from . import policies  # noqa: F401  (registers the access policy)
