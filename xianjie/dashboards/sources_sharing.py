"""The workbench's sources for sharing and warning education, imported once by DashboardsConfig.

待办, named by title or reference only:
- access requests (第十一条 严格审批共享) whose next approval is the user's, and the user's own
  live grants until they close (so the requester finds the read-only page);
- shared items (第十一条) published to the user that the user has not opened yet (待阅);
- typical cases (第十二条): the study the user's unit owes, and the org's own drafts to review
  and reviewed cases to publish.
Every list is bounded and read through `restrict`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from xianjie.access.grants import live_grants
from xianjie.access.selectors import access_requests_to_approve
from xianjie.sharing.models import LessonStatus
from xianjie.sharing.selectors.items import shared_items_unread
from xianjie.sharing.selectors.lessons import lessons_to_handle, lessons_to_study

from .workbench import TODO, WorkItem, workbench_source

LIMIT = 10


@workbench_source(TODO)
def access_requests_waiting(user: Any) -> Iterable[WorkItem]:
    for request in access_requests_to_approve(user, LIMIT):
        yield WorkItem(
            title=f"待审批调阅申请：{request.reference}（{request.requester_org.name}）",
            url=reverse("access:request_detail", args=[request.pk]),
            kind="调阅申请",
        )


@workbench_source(TODO)
def grants_to_read(user: Any) -> Iterable[WorkItem]:
    if not getattr(user, "pk", None):
        return
    grants = live_grants().restrict(user, "view").filter(requester_id=user.pk)
    for grant in grants.order_by("expires_at", "id")[:LIMIT]:
        yield WorkItem(
            title=f"已获授权，可查阅（只读）：{grant.reference}",
            url=reverse("access:granted", args=[grant.pk]),
            kind="授权调阅",
            when=timezone.localdate(grant.expires_at) if grant.expires_at else None,
        )


@workbench_source(TODO)
def shared_items_to_read(user: Any) -> Iterable[WorkItem]:
    for item in shared_items_unread(user, LIMIT):
        yield WorkItem(
            title=f"待阅：{item.title}",
            url=reverse("sharing:item_detail", args=[item.pk]),
            kind="信息共享",
        )


@workbench_source(TODO)
def lessons_waiting(user: Any) -> Iterable[WorkItem]:
    for lesson in lessons_to_study(user, LIMIT):
        yield WorkItem(
            title=f"待学习并登记：{lesson.title}",
            url=reverse("sharing:lesson_detail", args=[lesson.pk]),
            kind="警示教育",
        )
    for lesson in lessons_to_handle(user, LIMIT):
        step = "待审核" if lesson.status == LessonStatus.DRAFT else "待发布"
        yield WorkItem(
            title=f"典型案例{step}：{lesson.title}",
            url=reverse("sharing:lesson_detail", args=[lesson.pk]),
            kind="警示教育",
        )
