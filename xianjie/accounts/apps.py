from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xianjie.accounts"
    label = "accounts"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        # Registers the access policies of Org, Officer, User and Membership (access.restrict).
        from xianjie.audit.labels import register_action_labels

        from . import policies  # noqa: F401

        register_action_labels(
            {
                "region.create": "新建行政区划",
                "org.create": "新建机构",
                "org.update": "修改机构",
                "user.create": "新建用户",
                "user.update": "修改用户",
                "user.reset_password": "重置密码",
                "user.activate": "启用用户",
                "user.deactivate": "停用用户",
                "user.password_change": "修改密码",
                "membership.grant": "授予角色",
                "membership.revoke": "撤销角色",
                "officer.create": "登记执法人员",
                "officer.update": "修改执法人员",
                "officer.import": "批量导入执法人员",
                "security_policy.update": "修改安全策略",
                "otp_device.confirm": "绑定动态口令",
            }
        )
