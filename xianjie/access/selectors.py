"""Reads of access requests and the reader log (第十一条 严格审批共享).

Every read starts from `restrict(user, "view")` (policies.py): the lists of the three tabs, the
workbench's count and list of requests awaiting the user's approval, one request with its
timeline, and the owner's reader log — who read what, when, under which grant. Lists, counts and
the API answer the same set. A grant never widens into lists of other items: nothing here reads
the items themselves, only the request rows that name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xianjie.accounts.models import Role, User

from .grantables import grantable
from .models import AccessEvent, AccessRequest, AccessUse
from .restrict import get_object_for_user
from .services.actors import is_live, transitions_for
from .tiers import Action
from .transitions import RequestStatus, RequestTransition

S = RequestStatus


class Scope:
    """The tabs of the request list."""

    MINE = "mine"
    TO_APPROVE = "to_approve"
    OWNED = "owned"
    ALL = "all"

    CHOICES = (
        (MINE, "我的申请"),
        (TO_APPROVE, "待我审批"),
        (OWNED, "本单位数据被调阅"),
        (ALL, "全部"),
    )
    VALUES = tuple(value for value, _ in CHOICES)


def kind_label(kind: str) -> str:
    """The Chinese name of a grantable kind (its code when that kind is no longer registered)."""
    kind_of = grantable(kind)
    return kind_of.label if kind_of is not None else kind


def _to_approve(user: Any) -> Q | None:
    """Requests whose due approval is the user's: at the first stage a leader of the requester's
    org, at the second a leader of the owner org — never the requester's own request."""
    if user.org_id is None or not user.has_role(Role.LEADER):
        return None
    due = Q(status=S.PENDING_OWN, requester_org_id=user.org_id) | Q(
        status=S.PENDING_OWNER, owner_org_id=user.org_id
    )
    return due & ~Q(requester_id=user.pk)


def access_request_list(
    user: Any, filters: dict[str, Any] | None = None
) -> QuerySet[AccessRequest]:
    """Requests `user` may see, newest first, filtered: scope (Scope), status, kind."""
    filters = filters or {}
    requests = AccessRequest.objects.restrict(user, Action.VIEW).select_related(
        "owner_org", "requester", "requester_org"
    )
    scope = filters.get("scope") or Scope.ALL
    if scope == Scope.MINE:
        requests = requests.filter(requester_id=user.pk)
    elif scope == Scope.TO_APPROVE:
        due = _to_approve(user)
        requests = requests.filter(due) if due is not None else requests.none()
    elif scope == Scope.OWNED:
        requests = requests.filter(owner_org_id=user.org_id)
    if status := filters.get("status"):
        requests = requests.filter(status=status)
    if kind := filters.get("kind"):
        requests = requests.filter(kind=kind)
    return requests.order_by("-created_at", "-id")


def access_requests_to_approve(user: Any, limit: int = 100) -> list[AccessRequest]:
    """The workbench's 待办: requests waiting for the user's approval, oldest first."""
    waiting = access_request_list(user, {"scope": Scope.TO_APPROVE}).order_by("created_at", "id")
    return list(waiting[:limit])


def access_requests_to_approve_count(user: Any) -> int:
    return access_request_list(user, {"scope": Scope.TO_APPROVE}).count()


def get_access_request_for_user(user: Any, request_id: Any) -> AccessRequest:
    """The request if `user` may see it, else NotFound (404) — its existence is never revealed."""
    return get_object_for_user(
        AccessRequest.objects.select_related(
            "owner_org",
            "requester",
            "requester_org",
            "own_approver",
            "owner_approver",
            "closed_by",
        ),
        user,
        Action.VIEW,
        pk=request_id,
    )


def may_see_uses(user: Any, request: AccessRequest) -> bool:
    """The reader log of a grant is for the org that owns the item, and for the leaders of the
    requester's org who answer for their people's reading (第十一条)."""
    if user.org_id is None:
        return False
    if user.org_id == request.owner_org_id and user.has_role(Role.CLERK, Role.LEADER):
        return True
    return user.org_id == request.requester_org_id and user.has_role(Role.LEADER)


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    actor_org: str
    transition: str
    transition_label: str
    from_status: str
    to_status: str
    to_label: str
    comment: str


def event_views(request: AccessRequest) -> list[EventView]:
    events = AccessEvent.objects.filter(request=request).select_related("actor", "actor__org")
    return [
        EventView(
            at=e.at,
            actor=e.actor.display_name if e.actor else "系统（定时巡检）",
            actor_org=e.actor.org.name if e.actor and e.actor.org else "",
            transition=e.transition,
            transition_label=RequestTransition(e.transition).label,
            from_status=e.from_status,
            to_status=e.to_status,
            to_label=S(e.to_status).label,
            comment=e.comment,
        )
        for e in events
    ]


@dataclass
class RequestDetail:
    request: AccessRequest
    kind_label: str
    status_label: str
    events: list[EventView]
    moves: list[tuple[str, str]]
    #: The requester's own grant is running: the page links to the read-only view.
    may_open: bool
    live: bool
    #: The reader log of this grant, or None when it is not for this user.
    uses: list[AccessUse] | None


def access_request_detail(user: Any, request: AccessRequest) -> RequestDetail:
    """Everything the request's page and the API show, for a request fetched through the policy."""
    live = is_live(request)
    return RequestDetail(
        request=request,
        kind_label=kind_label(request.kind),
        status_label=S(request.status).label,
        events=event_views(request),
        moves=transitions_for(user, request),
        may_open=live and request.requester_id == user.pk,
        live=live,
        uses=list(request_uses(user, request)) if may_see_uses(user, request) else None,
    )


# --- The reader log.


def request_uses(user: Any, request: AccessRequest) -> QuerySet[AccessUse]:
    """The uses made under one grant, newest first (callers check `may_see_uses`)."""
    return (
        AccessUse.objects.restrict(user, Action.VIEW)
        .filter(request=request)
        .select_related("user", "user__org", "request")
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def reader_log(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[AccessUse]:
    """本单位数据被调阅记录: every use made under grants of the user's org's items — who, of
    which org, when, how, what, under which request; filtered by date_from / date_to (local
    days, both included), reader (a user id) and kind."""
    filters = filters or {}
    if user.org_id is None:
        return AccessUse.objects.none()
    uses = (
        AccessUse.objects.restrict(user, Action.VIEW)
        .filter(request__owner_org_id=user.org_id)
        .select_related("user", "user__org", "request", "request__requester_org")
    )
    if day := filters.get("date_from"):
        uses = uses.filter(at__gte=_day_start(day))
    if day := filters.get("date_to"):
        uses = uses.filter(at__lt=_day_start(day + timedelta(days=1)))
    if reader := filters.get("reader"):
        uses = uses.filter(user_id=getattr(reader, "pk", reader))
    if kind := filters.get("kind"):
        uses = uses.filter(request__kind=kind)
    return uses.order_by("-at", "-id")


def reader_choices(user: Any) -> list[tuple[str, str]]:
    """The people who have read the user's org's items, for the reader log's filter."""
    ids = reader_log(user).values("user_id")
    readers = User.objects.filter(pk__in=ids).select_related("org").order_by("org_id", "id")
    return [
        (str(u.pk), f"{u.display_name}（{u.org.name}）" if u.org else u.display_name)
        for u in readers
    ]
