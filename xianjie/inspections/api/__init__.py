"""/inspections, /inspections/{id}/draws, /findings, /rectifications, /supervision-acts and
/compliance-flags (CONTRACT.md "Other resources"), one router per sub-topic."""

from ninja import Router

from . import draws, findings, flags, plans, rectifications, supervision

router = Router()
router.add_router("", plans.router)
router.add_router("", draws.router)
router.add_router("", findings.router)
router.add_router("", rectifications.router)
router.add_router("", supervision.router)
router.add_router("", flags.router)
