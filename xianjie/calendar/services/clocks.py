"""Deadline clocks (时限): start, pause, resume, finish, and the sweep that marks overdue ones.

Who may move a clock is decided by the service of the record it belongs to (a referral's
`referral_receive` checks its actor, then starts the clock), so these services take the acting
user for the trail but check no role themselves.

Pause rule: a pause covers the working days after the pause day up to and including the resume
day, (paused_on, resumed_on] — the same convention as a period not counting its start day: the
day a supplement is requested still counts, the day it arrives does not. On resume the due date
moves forward by that many working days (add_workdays from the old due date), and the clock
remembers the total in `paused_workdays`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from xianjie.audit.services import audit_record
from xianjie.core.errors import Conflict, InvalidInput

from ..counting import WorkCalendar, check_range
from ..models import ACTIVE_STATES, Clock, ClockAction, ClockEvent, ClockState
from ..selectors import current_parameter, due_on_calendar, work_calendar
from ..transitions import CLOCK_TRANSITIONS, TRANSITION_LABELS

MAX_REASON_LENGTH = 200
#: Rows per statement in the bulk sweep (below SQLite's bound-parameter limit).
SWEEP_CHUNK = 500


def _move(clock: Clock, transition: str) -> str:
    """The state after `transition`, or 409 with the move's Chinese name."""
    targets = CLOCK_TRANSITIONS.get(clock.state, {})
    if transition not in targets:
        label = ClockState(clock.state).label
        raise Conflict(f"时限当前状态为“{label}”，不能{TRANSITION_LABELS[transition]}。")
    return targets[transition]


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(errors={"reason": ["请填写理由。"]})
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(errors={"reason": [f"理由不应超过{MAX_REASON_LENGTH}个字。"]})
    return reason


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().select_related("parameter").get(pk=clock.pk)


def _payload(clock: Clock, **extra: Any) -> dict[str, Any]:
    return {
        "kind": clock.kind,
        "target": f"{clock.content_type_id}:{clock.object_id}",
        "rule_version": clock.parameter.version,
        "state": clock.state,
        "due": clock.due_date.isoformat(),
        **({"amount": clock.amount} if clock.amount is not None else {}),
        **extra,
    }


def _fold_pause(clock: Clock, until: date, calendar: WorkCalendar) -> int:
    """End the current pause on `until`: move the due date by the paused working days."""
    assert clock.paused_on is not None
    if until < clock.paused_on:
        raise InvalidInput(errors={"on": ["日期不能早于暂停日期。"]})
    paused = calendar.workdays_between(clock.paused_on, until)
    if paused:
        moved = calendar.add_workdays(clock.due_date, paused)
        clock.due_date = moved.date
        clock.due_unconfirmed = clock.due_unconfirmed or moved.unconfirmed
    clock.paused_workdays += paused
    clock.paused_on = None
    return paused


def clock_start(
    *, obj: models.Model, kind: str, start: date, actor: Any, amount: int | None = None
) -> Clock:
    """Start the clock `kind` of `obj` on `start` under the current version of that limit;
    `amount` sets this record's own period (in the rule's unit) where a document fixes one."""
    errors: dict[str, list[str]] = {}
    if amount is not None and not 1 <= amount <= 365:
        errors["amount"] = ["期限应为1至365之间的整数。"]
    try:
        check_range(start, field="start", label="起算日期")
    except InvalidInput as error:
        errors.update(error.errors)
    parameter = current_parameter(kind)
    if parameter is None:
        errors["kind"] = [f"未知的时限类别：{kind}。"]
    if obj.pk is None:
        errors["obj"] = ["记录尚未保存，不能开始计时。"]
    if errors or parameter is None:
        raise InvalidInput(errors=errors)
    due = due_on_calendar(work_calendar(), parameter, start, amount)
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        try:
            with transaction.atomic():
                clock = Clock.objects.create(
                    content_type=content_type,
                    object_id=obj.pk,
                    kind=kind,
                    parameter=parameter,
                    start_date=start,
                    amount=amount,
                    due_date=due.date,
                    due_unconfirmed=due.unconfirmed,
                )
        except IntegrityError:
            raise Conflict(f"该记录已有未办结的“{parameter.label}”时限。") from None
        ClockEvent.objects.create(
            clock=clock, action=ClockAction.START, on=start, due_after=clock.due_date, actor=actor
        )
        audit_record(actor=actor, action="clock.start", obj=clock, payload=_payload(clock))
    return clock


def clock_pause(*, clock: Clock, reason: str, actor: Any, on: date | None = None) -> Clock:
    """Stop counting from `on` (today by default), e.g. while a supplement is awaited (补充材料)."""
    reason = _reason(reason)
    on = on or timezone.localdate()
    with transaction.atomic():
        clock = _locked(clock)
        state = _move(clock, "pause")
        if on < clock.start_date:
            raise InvalidInput(errors={"on": ["暂停日期不能早于起算日期。"]})
        clock.state, clock.paused_on = state, on
        clock.save(update_fields=["state", "paused_on", "updated_at"])
        ClockEvent.objects.create(
            clock=clock, action=ClockAction.PAUSE, on=on, reason=reason, actor=actor
        )
        audit_record(actor=actor, action="clock.pause", obj=clock, payload=_payload(clock))
    return clock


def clock_resume(*, clock: Clock, reason: str, actor: Any, on: date | None = None) -> Clock:
    """Count again from `on`; the due date moves by the paused working days (module docstring)."""
    reason = _reason(reason)
    on = on or timezone.localdate()
    with transaction.atomic():
        clock = _locked(clock)
        _move(clock, "resume")
        before = clock.due_date
        paused = _fold_pause(clock, on, work_calendar())
        overdue = clock.due_date < timezone.localdate()
        clock.state = _move(clock, "resume_overdue" if overdue else "resume")
        clock.save(
            update_fields=[
                "state",
                "due_date",
                "due_unconfirmed",
                "paused_on",
                "paused_workdays",
                "updated_at",
            ]
        )
        ClockEvent.objects.create(
            clock=clock,
            action=ClockAction.RESUME,
            on=on,
            reason=reason,
            due_before=before,
            due_after=clock.due_date,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="clock.resume",
            obj=clock,
            payload=_payload(clock, paused_workdays=paused),
        )
    return clock


def clock_finish(*, clock: Clock, on: date, actor: Any) -> Clock:
    """Stop the clock for good: met when done on or before the due date, else missed.

    A paused clock's pause ends on `on` first. Met stays met and missed stays missed (DOMAIN.md):
    a finished clock has no further move.
    """
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state not in ACTIVE_STATES:
            label = ClockState(clock.state).label
            raise Conflict(f"时限已办结（{label}），办结结果不再改变。")
        if on < clock.start_date:
            raise InvalidInput(errors={"on": ["办结日期不能早于起算日期。"]})
        if on > timezone.localdate():
            raise InvalidInput(errors={"on": ["办结日期不能晚于今天。"]})
        before = clock.due_date
        if clock.state == ClockState.PAUSED:
            _fold_pause(clock, on, work_calendar())
        clock.state = _move(clock, "finish_met" if on <= clock.due_date else "finish_missed")
        clock.finished_on = on
        clock.save(
            update_fields=[
                "state",
                "finished_on",
                "due_date",
                "due_unconfirmed",
                "paused_on",
                "paused_workdays",
                "updated_at",
            ]
        )
        ClockEvent.objects.create(
            clock=clock,
            action=ClockAction.FINISH,
            on=on,
            due_before=before,
            due_after=clock.due_date,
            actor=actor,
        )
        audit_record(actor=actor, action="clock.finish", obj=clock, payload=_payload(clock))
    return clock


def clock_cancel(*, clock: Clock, reason: str, actor: Any, on: date | None = None) -> Clock:
    """End a clock whose obligation lapsed (e.g. a referral withdrawn before receipt), so that it
    counts neither as met nor as missed."""
    reason = _reason(reason)
    on = on or timezone.localdate()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state not in ACTIVE_STATES:
            label = ClockState(clock.state).label
            raise Conflict(f"时限已办结（{label}），不能撤销。")
        clock.state = _move(clock, "cancel")
        clock.finished_on = on
        clock.paused_on = None
        clock.save(update_fields=["state", "finished_on", "paused_on", "updated_at"])
        ClockEvent.objects.create(
            clock=clock,
            action=ClockAction.CANCEL,
            on=on,
            due_before=clock.due_date,
            due_after=clock.due_date,
            actor=actor,
            reason=reason,
        )
        audit_record(actor=actor, action="clock.cancel", obj=clock, payload=_payload(clock))
    return clock


def clocks_refresh(*, today: date | None = None) -> int:
    """Mark every running clock past its due date as overdue; returns how many were marked.

    Bulk and idempotent: a second run on the same day finds nothing (`xianjie sweep` calls it).
    """
    today = today or timezone.localdate()
    marked = 0
    with transaction.atomic():
        ids = list(
            Clock.objects.select_for_update()
            .filter(state=ClockState.RUNNING, due_date__lt=today)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for offset in range(0, len(ids), SWEEP_CHUNK):
            chunk = ids[offset : offset + SWEEP_CHUNK]
            marked += Clock.objects.filter(id__in=chunk, state=ClockState.RUNNING).update(
                state=ClockState.OVERDUE, updated_at=timezone.now()
            )
            ClockEvent.objects.bulk_create(
                ClockEvent(clock_id=clock_id, action=ClockAction.OVERDUE, on=today)
                for clock_id in chunk
            )
        if marked:
            audit_record(
                actor=None,
                action="clock.overdue",
                object_type="calendar.clock",
                payload={"count": marked, "today": today.isoformat()},
            )
    return marked


def clocks_recount(*, first: date, last: date, actor: Any) -> int:
    """After a calendar edit of [first, last]: recompute the due date of every open clock whose
    period (start, due] may cross those dates, under the clock's own rule version.

    Runs inside the calendar service's transaction, on the fresh snapshot; returns the number of
    clocks whose due date changed.
    """
    calendar = work_calendar()
    today, now = timezone.localdate(), timezone.now()
    changed: list[Clock] = []
    events: list[ClockEvent] = []
    candidates = (
        Clock.objects.select_for_update()
        .select_related("parameter")
        .filter(state__in=ACTIVE_STATES, start_date__lt=last, due_date__gte=first)
    )
    for clock in candidates:
        base = due_on_calendar(calendar, clock.parameter, clock.start_date, clock.amount)
        moved = calendar.add_workdays(base.date, clock.paused_workdays)
        due, unconfirmed = moved.date, base.unconfirmed or moved.unconfirmed
        if (due, unconfirmed) == (clock.due_date, clock.due_unconfirmed):
            continue
        events.append(
            ClockEvent(
                clock=clock,
                action=ClockAction.RECOUNT,
                on=today,
                reason="工作日历调整",
                due_before=clock.due_date,
                due_after=due,
                actor=actor,
            )
        )
        clock.due_date, clock.due_unconfirmed = due, unconfirmed
        clock.state = _move(clock, "recount_overdue" if due < today else "recount")
        clock.updated_at = now
        changed.append(clock)
    Clock.objects.bulk_update(
        changed, ["due_date", "due_unconfirmed", "state", "updated_at"], batch_size=SWEEP_CHUNK
    )
    ClockEvent.objects.bulk_create(events)
    return len(changed)
