"""API routes (filled in by the sub-topic)."""

from ninja import Router

router = Router(tags=["信息共享与警示教育"])
