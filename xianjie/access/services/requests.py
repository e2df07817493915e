"""Access requests for tier 3 material (调阅申请, 第十一条 严格审批共享): filing, the two
approvals, refusal, withdrawal, revocation and the expiry sweep.

Every move runs the same path inside one transaction: the request fetched through the access
policy and locked (404 for one the user may not see; of two leaders acting at once the second
waits and then sees the first one's result), the act checked against the user (403), the
transition table consulted (409), the fields checked (400, every bad field at once); then the
row saved, the timeline row and the audit entry written, and the people concerned told on
commit. Audit payloads hold ids, kinds, numbers and statuses — never the purpose or a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from xianjie.accounts.models import Role, User
from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted
from xianjie.core.validation import clean_text
from xianjie.notifications.services import notify_on_commit

from ..grantables import grantable
from ..models import AccessEvent, AccessRequest
from ..restrict import get_object_for_user
from ..tiers import Action, Tier
from ..transitions import PENDING_STATUSES, RequestStatus, RequestTransition
from .actors import require_actor, require_status

S, T = RequestStatus, RequestTransition

#: 第十一条: "one week" unless the requester asks otherwise, never more than a month.
DEFAULT_PERIOD_DAYS = 7
MAX_PERIOD_DAYS = 30
#: A purpose of a few characters ("查阅", "工作需要") states nothing; the approvers need a reason.
MIN_PURPOSE = 10
MAX_PURPOSE = 1000
MAX_REASON = 1000
MAX_REFERENCE = 100
NOTIFICATION_KIND = "access_request"

AUDIT_LABELS: dict[str, str] = {
    **{f"access.request_{t.value}": f"调阅申请·{t.label}" for t in RequestTransition},
    "access.grant_use": "授权调阅查阅",
}


def detail_url(request: AccessRequest) -> str:
    return reverse("access:request_detail", args=[request.pk])


def leaders_of(org_id: int, *, besides: Any = None) -> QuerySet[User]:
    """The active leaders of an org (except `besides`, who need not be told of their own act)."""
    leaders = User.objects.filter(
        is_active=True, memberships__org_id=org_id, memberships__role=Role.LEADER
    ).distinct()
    return leaders.exclude(pk=besides.pk) if besides is not None else leaders


def _tell(recipients: Iterable[Any], title: str, request: AccessRequest) -> None:
    """Titles name the item by its number only, never tier 3 content or the purpose."""
    notify_on_commit(
        recipients=recipients, kind=NOTIFICATION_KIND, title=title, url=detail_url(request)
    )


def _audit(actor: Any, transition: str, request: AccessRequest, **payload: Any) -> None:
    audit_record(
        actor=actor,
        action=f"access.request_{transition}",
        obj=request,
        tier=Tier.CASE_SECRET,
        payload={
            "kind": request.kind,
            "object_id": request.object_id,
            "reference": request.reference,
            "status": request.status,
            **payload,
        },
    )


def _record(
    request: AccessRequest,
    actor: Any,
    transition: str,
    before: str,
    *,
    changed: Iterable[str] = (),
    comment: str = "",
) -> None:
    request.save(update_fields=["status", "updated_at", *changed])
    AccessEvent.objects.create(
        request=request,
        at=timezone.now(),
        actor=actor,
        transition=transition,
        from_status=before,
        to_status=request.status,
        comment=comment,
    )
    _audit(actor, transition, request, previous=before)


def clean_period(value: Any, errors: dict[str, list[str]]) -> int:
    """调阅期限: whole calendar days, 1 to 30; the default when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_PERIOD_DAYS
    days = 0
    if isinstance(value, int) and not isinstance(value, bool):
        days = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        days = int(value.strip())
    if not 1 <= days <= MAX_PERIOD_DAYS:
        errors.setdefault("period_days", []).append(
            f"调阅期限应为1至{MAX_PERIOD_DAYS}之间的整数（日）。"
        )
    return days


def _clean_filing(
    kind: Any, reference: Any, purpose: Any, period_days: Any, actor: Any
) -> tuple[Any, Any, str, int]:
    """(grantable, item, purpose, days), or InvalidInput naming every bad field."""
    errors: dict[str, list[str]] = {}
    kind_of = grantable(str(kind or ""))
    if kind_of is None:
        errors["kind"] = ["请选择调阅对象类别。"]
    label = kind_of.reference_label if kind_of is not None else "调阅对象编号"
    reference = clean_text(
        reference, field="reference", label=label, limit=MAX_REFERENCE, errors=errors, required=True
    )
    purpose = clean_text(
        purpose, field="purpose", label="调阅事由", limit=MAX_PURPOSE, errors=errors, required=True
    )
    if purpose and len(purpose) < MIN_PURPOSE:
        errors.setdefault("purpose", []).append(
            f"请说明调阅的目的和用途，调阅事由不少于{MIN_PURPOSE}个字。"
        )
    days = clean_period(period_days, errors)
    item = None
    if kind_of is not None and "reference" not in errors:
        item = kind_of.find(reference)
        if item is None:
            errors["reference"] = [f"未找到{label}为“{reference}”的{kind_of.label}。"]
        elif kind_of.is_party(item, actor):
            errors["reference"] = ["您所在单位是该案件的当事方，可直接查阅，无需申请。"]
    if errors:
        raise InvalidInput(errors=errors)
    return kind_of, item, purpose, days


def open_request_of(user: Any, kind: str, object_id: int) -> AccessRequest | None:
    """The user's own request for the item that is still waiting or whose grant still runs."""
    running = Q(status__in=PENDING_STATUSES) | Q(status=S.GRANTED, expires_at__gt=timezone.now())
    return (
        AccessRequest.objects.filter(running, requester_id=user.pk, kind=kind, object_id=object_id)
        .order_by("-id")
        .first()
    )


def access_request_file(
    *,
    kind: str,
    reference: str,
    purpose: str,
    period_days: Any = DEFAULT_PERIOD_DAYS,
    actor: Any,
) -> AccessRequest:
    """提出调阅申请 (第十一条 严格审批共享): someone outside a case asks for one tier 3 item,
    stating the purpose and the period; a party to the case opens it directly instead. The
    leaders of the requester's own org are asked to approve first."""
    if actor.org_id is None or not actor.has_role(Role.CLERK, Role.LEADER):
        raise NotPermitted("只有各单位的登记员和审批领导可以申请调阅。")
    kind_of, item, purpose, days = _clean_filing(kind, reference, purpose, period_days, actor)
    with transaction.atomic():
        # One open request per person and item: the person's own row serialises their filings,
        # so two clicks at once cannot both pass the check below.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        existing = open_request_of(actor, kind_of.kind, item.pk)
        if existing is not None:
            raise Conflict(
                f"您对该对象已有调阅申请#{existing.pk}（{S(existing.status).label}），"
                "请勿重复申请。"
            )
        request = AccessRequest.objects.create(
            kind=kind_of.kind,
            object_id=item.pk,
            reference=kind_of.describe(item)[:MAX_REFERENCE],
            owner_org=kind_of.owner_org(item),
            requester=actor,
            requester_org_id=actor.org_id,
            purpose=purpose,
            period_days=days,
            status=S.PENDING_OWN,
        )
        AccessEvent.objects.create(
            request=request,
            at=timezone.now(),
            actor=actor,
            transition=T.FILE,
            from_status="",
            to_status=request.status,
        )
        _audit(actor, T.FILE, request, owner_org=request.owner_org_id, period_days=days)
        _tell(
            leaders_of(actor.org_id, besides=actor),
            f"调阅申请待审批：{request.reference}（{actor.display_name}申请，{days}日）",
            request,
        )
    return request


def _locked(request_id: Any, actor: Any, transition: str) -> tuple[AccessRequest, str]:
    """Inside the caller's transaction: the request locked and refused in the order 404, 403,
    409; its status set to the one after `transition`. Returns it and its previous status."""
    request = get_object_for_user(
        AccessRequest.objects.select_for_update(), actor, Action.VIEW, pk=request_id
    )
    require_actor(actor, request, transition)
    before = request.status
    request.status = require_status(request, transition)
    return request, before


def _checked(value: Any, *, field: str, label: str, required: bool) -> str:
    errors: dict[str, list[str]] = {}
    text = clean_text(
        value, field=field, label=label, limit=MAX_REASON, errors=errors, required=required
    )
    if errors:
        raise InvalidInput(errors=errors)
    return text


def access_request_approve(*, request_id: Any, actor: Any, comment: str = "") -> AccessRequest:
    """批准 (第十一条): first a leader of the requester's org, then a leader of the org that owns
    the item. The second approval is the grant: it opens the item, read-only, for `period_days`
    calendar days from this moment."""
    with transaction.atomic():
        request, before = _locked(request_id, actor, T.APPROVE)
        comment = _checked(comment, field="comment", label="审批意见", required=False)
        now = timezone.now()
        if before == S.PENDING_OWN:
            request.own_approver, request.own_approved_at = actor, now
            changed = ["own_approver", "own_approved_at"]
        else:
            request.owner_approver, request.granted_at = actor, now
            request.expires_at = now + timedelta(days=request.period_days)
            changed = ["owner_approver", "granted_at", "expires_at"]
        _record(request, actor, T.APPROVE, before, changed=changed, comment=comment)
        if request.status == S.PENDING_OWNER:
            _tell(
                leaders_of(request.owner_org_id, besides=request.requester),
                f"调阅申请待审批：{request.reference}（{request.requester_org.name}申请）",
                request,
            )
        else:
            until = timezone.localtime(request.expires_at)
            _tell(
                [request.requester],
                f"调阅申请已批准：{request.reference}，可查阅至{until:%Y-%m-%d %H:%M}",
                request,
            )
    return request


def _close(request: AccessRequest, actor: Any, transition: str, before: str, reason: str) -> None:
    request.closed_at, request.closed_by = timezone.now(), actor
    changed = ["closed_at", "closed_by"]
    if reason:
        request.reason = reason
        changed.append("reason")
    _record(request, actor, transition, before, changed=changed, comment=reason)


def access_request_reject(*, request_id: Any, actor: Any, reason: str) -> AccessRequest:
    """不予批准 (第十一条): the leader whose approval is due refuses, saying why."""
    with transaction.atomic():
        request, before = _locked(request_id, actor, T.REJECT)
        reason = _checked(reason, field="reason", label="不予批准的理由", required=True)
        _close(request, actor, T.REJECT, before, reason)
        _tell([request.requester], f"调阅申请未获批准：{request.reference}", request)
    return request


def access_request_withdraw(*, request_id: Any, actor: Any) -> AccessRequest:
    """撤回申请: the requester withdraws while the request waits; whoever was to approve it is
    told that nothing waits for them any more."""
    with transaction.atomic():
        request, before = _locked(request_id, actor, T.WITHDRAW)
        due = request.requester_org_id if before == S.PENDING_OWN else request.owner_org_id
        _close(request, actor, T.WITHDRAW, before, "")
        _tell(leaders_of(due, besides=actor), f"调阅申请已撤回：{request.reference}", request)
    return request


def access_request_revoke(*, request_id: Any, actor: Any, reason: str) -> AccessRequest:
    """收回授权 (第十一条): a leader of the owner org ends a running grant at any time."""
    with transaction.atomic():
        request, before = _locked(request_id, actor, T.REVOKE)
        reason = _checked(reason, field="reason", label="收回授权的理由", required=True)
        _close(request, actor, T.REVOKE, before, reason)
        _tell([request.requester], f"调阅授权已收回：{request.reference}", request)
    return request


#: The moves by name (pages and API).
SERVICES: dict[str, Callable[..., AccessRequest]] = {
    T.APPROVE: access_request_approve,
    T.REJECT: access_request_reject,
    T.WITHDRAW: access_request_withdraw,
    T.REVOKE: access_request_revoke,
}


def access_grants_expire() -> int:
    """到期关闭调阅授权 (第十一条): every grant whose period has ended is marked expired, with a
    timeline row, an audit entry and a note to the requester — once, however often the sweep
    runs. (grants.grant_open refuses such a grant by the clock already, before this runs.)"""
    now = timezone.now()
    due = AccessRequest.objects.filter(status=S.GRANTED, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    expired = 0
    for pk in list(due):
        with transaction.atomic():
            # Locked and checked again: a revocation may have closed it meanwhile.
            request = AccessRequest.objects.select_for_update().get(pk=pk)
            if request.status != S.GRANTED or request.expires_at is None:
                continue
            if request.expires_at > now:
                continue
            request.status = S.EXPIRED
            request.closed_at = request.expires_at
            _record(request, None, T.EXPIRE, S.GRANTED, changed=["closed_at"])
            _tell([request.requester], f"调阅授权已到期关闭：{request.reference}", request)
            expired += 1
    return expired
