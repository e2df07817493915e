from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "xianjie.referrals"
    label = "referrals"
    verbose_name = "线索移送"

    def ready(self) -> None:
        from xianjie.access.grantables import register_grantable
        from xianjie.audit.labels import register_action_labels
        from xianjie.calendar.reminders import register_clock_owner
        from xianjie.core.crypto import register_key_holder
        from xianjie.core.demo import register_demo_loader
        from xianjie.core.sweep import register_sweep_task

        from . import policies  # noqa: F401  (registers the access policies)
        from .demo import load_demo_referrals
        from .evidence import sweep_orphan_files
        from .grants import ReferralGrantable
        from .keys import rewrap_referral_keys
        from .labels import AUDIT_LABELS
        from .models import Referral
        from .reminders import describe, responsible

        register_key_holder("线索移送", rewrap_referral_keys)
        register_action_labels(AUDIT_LABELS)
        register_clock_owner(Referral, responsible=responsible, describe=describe)
        register_demo_loader("件线索移送", load_demo_referrals)
        register_sweep_task("清理残留证据文件", sweep_orphan_files)
        register_grantable(ReferralGrantable())
