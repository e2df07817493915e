"""/shared-items and /lessons (CONTRACT.md "Other resources"), one router per sub-topic."""

from ninja import Router

from . import items, lessons

router = Router()
router.add_router("", items.router)
router.add_router("", lessons.router)
