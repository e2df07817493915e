from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xianjie.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from xianjie.audit.labels import register_action_labels

        register_action_labels(
            {"api.token.issue": "签发接口令牌", "api.token.revoke": "注销接口令牌"}
        )
