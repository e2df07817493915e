from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "xianjie.sharing"
    label = "sharing"
    verbose_name = "信息共享与警示教育"

    def ready(self) -> None:
        from xianjie.audit.labels import register_action_labels
        from xianjie.core.crypto import register_key_holder
        from xianjie.core.demo import register_demo_loader
        from xianjie.inspections.models import RectificationKind
        from xianjie.inspections.selectors.rectifications import register_source_page
        from xianjie.referrals.evidence.storage import register_blob_model
        from xianjie.referrals.origins import register_referral_followup

        from . import policies  # noqa: F401  (registers the access policies)
        from .demo import load_demo_shared_items
        from .demo_lessons import load_demo_lessons
        from .keys import rewrap_sharing_keys
        from .models import Lesson, SharedFile
        from .selectors.lessons import lesson_followups
        from .services import files, items, lessons

        # Shared files live in the evidence blob store: its orphan sweep must know their names.
        register_blob_model(SharedFile)
        register_key_holder("信息共享", rewrap_sharing_keys)
        register_demo_loader("条共享信息", load_demo_shared_items)
        register_demo_loader("件典型案例", load_demo_lessons)
        # 以案促改 tasks (第十二条) link back to their case; a closed referral offers one.
        register_source_page(RectificationKind.LESSON, "sharing:lesson_detail", Lesson)
        register_referral_followup(lesson_followups)
        for module in (items, files, lessons):
            register_action_labels(module.AUDIT_LABELS)
