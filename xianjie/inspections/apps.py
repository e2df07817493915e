from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "xianjie.inspections"
    label = "inspections"
    verbose_name = "联合法治督查与整改"

    def ready(self) -> None:
        from xianjie.access.grantables import register_grantable
        from xianjie.audit.labels import register_action_labels
        from xianjie.calendar.reminders import register_clock_owner
        from xianjie.core.crypto import register_key_holder
        from xianjie.core.demo import register_demo_loader
        from xianjie.core.sweep import register_sweep_task
        from xianjie.referrals.evidence.storage import register_blob_model
        from xianjie.referrals.origins import register_referral_origin

        from . import policies, reminders  # noqa: F401  (policies: registers the access policies)
        from .demo import load_demo_inspections
        from .grants import FindingGrantable
        from .keys import rewrap_inspection_keys
        from .models import Attachment, Rectification
        from .selectors.findings import finding_origins
        from .selectors.supervision import flag_origins
        from .services import (
            attachments,
            draws,
            findings,
            flags,
            plans,
            rectifications,
            supervision,
        )

        register_clock_owner(
            Rectification,
            responsible=reminders.responsible,
            describe=reminders.describe,
            escalate_to=reminders.escalate_to,
            on_escalated=reminders.on_escalated,
        )
        register_blob_model(Attachment)
        register_key_holder("联合法治督查与整改", rewrap_inspection_keys)
        register_referral_origin(finding_origins)
        register_referral_origin(flag_origins)
        register_sweep_task("第八条年度联合督查提醒", plans.warn_missing_inspection)
        register_sweep_task("A10标记（逾期未报告监督文书）", flags.flags_raise)
        register_demo_loader("项联合督查记录", load_demo_inspections)
        register_grantable(FindingGrantable())
        for module in (plans, draws, findings, rectifications, attachments, supervision, flags):
            register_action_labels(module.AUDIT_LABELS)
