"""The inbox (消息): the user's own messages, newest first, with marking read one by one, by
selection, or all at once. Opening a message marks it read and goes to the record it names."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from xianjie.access.restrict import get_object_for_user
from xianjie.core.errors import NotFound

from .models import Notification
from .services import notification_mark_read

PAGE_SIZE = 20
#: Chinese names of the message kinds; an unknown kind is shown as 通知.
KIND_LABELS = {
    "referral": "线索移送",
    "inspection": "联合督查",
    "rectification": "整改任务",
    "supervision_act": "监督文书",
    "compliance_flag": "A10标记",
    "shared_item": "信息共享",
    "lesson": "典型案例",
    "access_request": "调阅申请",
    "clock.due_soon": "时限提醒",
    "clock.overdue": "逾期督办",
}
SHOWS = {"": "全部", "unread": "未读"}


def _back(request: HttpRequest) -> str:
    """The inbox page the form was posted from (its filter and page), else the inbox."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else reverse("notifications:inbox")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    if show not in SHOWS:
        show = ""
    found = Notification.objects.restrict(request.user, "view").order_by("-created_at", "-id")
    if show == "unread":
        found = found.filter(read_at__isnull=True)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"note": n, "kind_label": KIND_LABELS.get(n.kind, "通知")} for n in page]
    context = {"page_obj": page, "rows": rows, "show": show, "shows": SHOWS.items()}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    if not ids:
        messages.warning(request, "请先勾选要标为已读的消息。")
    else:
        count = notification_mark_read(user=request.user, notification_ids=ids)
        messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect(_back(request))


@login_required
@require_GET
def open_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the user's own message read and follows its link (a path on this site only)."""
    user: Any = request.user
    try:
        note = get_object_for_user(Notification.objects.all(), user, "view", pk=pk)
    except NotFound:
        raise Http404 from None
    notification_mark_read(user=user, notification_ids=[note.pk])
    local = url_has_allowed_host_and_scheme(note.url, allowed_hosts=None)
    return redirect(note.url if note.url and local else reverse("notifications:inbox"))
