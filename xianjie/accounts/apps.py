from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xianjie.accounts"
    label = "accounts"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        # Registers the access policies of Org, Officer, User and Membership (access.restrict).
        from . import policies  # noqa: F401
