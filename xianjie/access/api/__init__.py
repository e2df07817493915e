"""/access-requests (+ transitions approve, reject, withdraw, revoke) and the reader log."""

from ninja import Router

from . import requests

router = Router()
router.add_router("", requests.router)
