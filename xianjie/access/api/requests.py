"""API routes (filled in by the sub-topic)."""

from ninja import Router

router = Router(tags=["调阅申请"])
