"""Joint rule-of-law inspections (联合法治督查, 第八条): the plan, its units and teams, recusal
(回避), the transitions, and the yearly reminder of 第八条's "每年至少开展一次".

第八条: the commission and the supervision bodies inspect *together*, by 专项检查 or 随机抽查, at
least once a year. A plan is therefore organised by at least one org of each side; only the
organisers' clerks and leaders change it. Teams have at least two inspectors, and nobody inspects
the unit they belong to or declared a conflict with.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import SUPERVISION_KINDS, Org, OrgKind, Region, Role
from xianjie.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from xianjie.core.statemachine import next_status
from xianjie.core.validation import clean_text
from xianjie.notifications.services import notify

from ..models import (
    Inspection,
    InspectionEvent,
    InspectionMethod,
)
from ..selectors.plans import (
    ORGANISER_KINDS,
    inspection_year_record,
    start_problems,
)
from ..transitions import (
    INSPECTION_TABLE,
    InspectionStatus,
    InspectionTransition,
)
from ._support import audit, people, tell, unit_people

AUDIT_LABELS = {
    **{f"inspection.{t.value}": f"联合法治督查·{t.label}" for t in InspectionTransition},
    "inspection.update": "联合法治督查·修改计划",
    "inspection.units_set": "联合法治督查·确定被检查单位和检查组",
    "inspection.conflict_declare": "联合法治督查·回避申报",
}

MAX_UNITS = 100
MAX_TOPIC = 5000
MAX_REPORT = 20000
MAX_COMMENT = 2000
PLAN_FIELDS = ("year", "title", "method", "topic", "organisers", "planned_start", "planned_end")
IT = InspectionTransition


def as_pk(value: Any) -> int | None:
    """An id given as a model, a number or its digits (form and API input); None otherwise."""
    text = str(getattr(value, "pk", value) if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _date(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors.setdefault(field, []).append(f"请填写{label}（格式如 2026-03-02）。")
        return datetime.date.min


def _organisers(actor: Any, raw: Any, errors: dict[str, list[str]]) -> list[Org]:
    """第八条 joint inspection: orgs of the actor's region, the actor's own among them, and at
    least one of each side — the commission and a 行政执法监督机构."""
    wanted = [as_pk(v) for v in (raw or [])]
    if None in wanted:
        errors["organisers"] = ["组织单位无效。"]
        return []
    orgs = list(
        Org.objects.filter(
            pk__in=wanted, region_id=actor.org.region_id, kind__in=ORGANISER_KINDS, is_active=True
        ).order_by("sort_order", "id")
    )
    problems = []
    if len(orgs) != len(set(wanted)):
        problems.append("组织单位应为本行政区划内的纪检监察机关或行政执法监督机构。")
    if actor.org_id not in wanted:
        problems.append(f"组织单位应包括本单位（{actor.org.name}）。")
    kinds = {org.kind for org in orgs}
    if OrgKind.DISCIPLINE not in kinds or not kinds & SUPERVISION_KINDS:
        problems.append(
            "联合法治督查应由纪检监察机关和行政执法监督机构共同组织（第八条），"
            "请至少各选择一个单位。"
        )
    if problems:
        errors["organisers"] = problems
    return orgs


def _plan(actor: Any, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Org]]:
    """The plan's fields checked together: every bad one is reported at once."""
    errors: dict[str, list[str]] = {}
    title = clean_text(
        data.get("title"), field="title", label="督查名称", limit=100, errors=errors, required=True
    )
    method = str(data.get("method") or "")
    if method not in InspectionMethod.values:
        errors["method"] = ["检查方式应为专项检查或随机抽查。"]
    topic = clean_text(
        data.get("topic"),
        field="topic",
        label="检查主题和内容",
        limit=MAX_TOPIC,
        errors=errors,
        required=method == InspectionMethod.SPECIAL,
    )
    year = as_pk(data.get("year"))
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = ["请填写年度（四位数字）。"]
    start = _date(data.get("planned_start"), "planned_start", "计划开始日期", errors)
    end = _date(data.get("planned_end"), "planned_end", "计划结束日期", errors)
    if "planned_start" not in errors and "planned_end" not in errors and end < start:
        errors["planned_end"] = ["计划结束日期不能早于开始日期。"]
    if "year" not in errors and "planned_start" not in errors and start.year != year:
        errors["planned_start"] = [f"计划开始日期应在{year}年度内。"]
    organisers = _organisers(actor, data.get("organisers"), errors)
    if errors:
        raise InvalidInput(errors=errors)
    fields = {"year": year, "title": title, "method": method, "topic": topic}
    return {**fields, "planned_start": start, "planned_end": end}, organisers


def record_event(
    inspection: Inspection,
    actor: Any,
    transition: str,
    before: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    InspectionEvent.objects.create(
        inspection=inspection,
        at=timezone.now(),
        actor=actor,
        actor_org_id=actor.org_id,
        transition=transition,
        from_status=before,
        to_status=inspection.status,
        comment=comment,
        data=data or {},
    )


def plan_url(inspection: Inspection) -> str:
    return reverse("inspections:plan_detail", args=[inspection.pk])


def organiser_people(inspection: Inspection, actor: Any) -> Any:
    org_ids = inspection.organisers.values_list("pk", flat=True)
    return people(org_ids).exclude(pk=actor.pk)


def inspection_create(
    *,
    actor: Any,
    year: Any,
    title: str,
    method: str,
    topic: str = "",
    organisers: Iterable[Any],
    planned_start: Any,
    planned_end: Any,
) -> Inspection:
    """A clerk or leader of the commission or a supervision body plans a joint inspection
    (第八条); it stays 计划中 — unannounced to the units — until it starts."""
    if (
        actor.org_id is None
        or actor.org.kind not in ORGANISER_KINDS
        or not actor.has_role(Role.CLERK, Role.LEADER)
    ):
        raise NotPermitted("只有纪检监察机关和行政执法监督机构的工作人员可以制定联合法治督查计划。")
    data = {"year": year, "title": title, "method": method, "topic": topic}
    fields, orgs = _plan(
        actor,
        {
            **data,
            "organisers": organisers,
            "planned_start": planned_start,
            "planned_end": planned_end,
        },
    )
    with transaction.atomic():
        inspection = Inspection.objects.create(
            region_id=actor.org.region_id, created_by=actor, **fields
        )
        inspection.organisers.set(orgs)
        record_event(inspection, actor, IT.CREATE, "")
        audit(actor, "inspection.create", inspection, status=inspection.status, year=fields["year"])
        tell(
            organiser_people(inspection, actor),
            f"联合法治督查计划：{inspection}",
            plan_url(inspection),
        )
    return inspection


def organised_inspection(inspection_id: Any, actor: Any) -> Inspection:
    """The plan locked for change: 404 when the actor may not see it, 403 when it is not among
    the plans the actor organises (only organisers change a plan)."""
    get_object_for_user(Inspection.objects.all(), actor, "view", pk=inspection_id)
    if not Inspection.objects.restrict(actor, "change").filter(pk=inspection_id).exists():
        raise NotPermitted("只有组织单位可以办理此督查。")
    return Inspection.objects.select_for_update().get(pk=inspection_id)


def require_planned(inspection: Inspection, what: str) -> None:
    if inspection.status != InspectionStatus.PLANNED:
        label = InspectionStatus(inspection.status).label
        raise Conflict(f"督查已{label}，不能再{what}。")


def inspection_update(*, inspection_id: Any, actor: Any, **fields: Any) -> Inspection:
    """Change a plan while it is 计划中; fields not given keep their values. The method stays
    once units are chosen or drawn."""
    unknown = sorted(set(fields) - set(PLAN_FIELDS))
    if unknown:
        raise InvalidInput(errors={key: ["不能修改此项。"] for key in unknown})
    with transaction.atomic():
        inspection = organised_inspection(inspection_id, actor)
        require_planned(inspection, "修改计划")
        current = {
            **{key: getattr(inspection, key) for key in PLAN_FIELDS if key != "organisers"},
            "organisers": list(inspection.organisers.values_list("pk", flat=True)),
        }
        values, orgs = _plan(actor, {**current, **fields})
        if values["method"] != inspection.method and (
            inspection.units.exists() or inspection.draws.exists()
        ):
            raise InvalidInput(
                errors={"method": ["已确定被检查单位或已进行随机抽取，不能更改检查方式。"]}
            )
        for key, value in values.items():
            setattr(inspection, key, value)
        inspection.save(update_fields=[*values, "updated_at"])
        inspection.organisers.set(orgs)
        after = {**values, "organisers": [org.pk for org in orgs]}
        changed = [
            key
            for key in PLAN_FIELDS
            if (
                sorted(after[key]) != sorted(current[key])
                if key == "organisers"
                else after[key] != current[key]
            )
        ]
        record_event(inspection, actor, "update", inspection.status, data={"fields": changed})
        audit(actor, "inspection.update", inspection, status=inspection.status, fields=changed)
    return inspection


def _notify_start(inspection: Inspection) -> None:
    rows = list(inspection.units.prefetch_related("inspectors"))
    title = (
        f"联合法治督查开始：{inspection.title}"
        f"（{inspection.planned_start:%Y-%m-%d}至{inspection.planned_end:%Y-%m-%d}）"
    )
    for row in rows:
        tell(unit_people(row.org_id), title, plan_url(inspection))
    team = {user.pk: user for row in rows for user in row.inspectors.all()}
    tell(team.values(), f"您已被确定为检查人员：{inspection.title}", plan_url(inspection))


def inspection_transition(
    *, inspection_id: Any, actor: Any, name: str, comment: str = "", report_summary: str = ""
) -> Inspection:
    """开始检查 / 报告检查发现 / 结束督查 / 取消计划, by INSPECTION_TABLE, organisers only.
    Starting makes the inspection held for 第八条 and announces it to the units; the report
    requires the 检查情况报告; a cancellation requires its reason."""
    if name not in (IT.START, IT.REPORT, IT.CLOSE, IT.CANCEL):
        raise NotFound(f"没有名为“{name}”的操作。")
    label = IT(name).label
    errors: dict[str, list[str]] = {}
    comment = clean_text(
        comment,
        field="comment",
        label="取消理由" if name == IT.CANCEL else "说明",
        limit=MAX_COMMENT,
        errors=errors,
        required=name == IT.CANCEL,
    )
    if name == IT.REPORT:
        report_summary = clean_text(
            report_summary,
            field="report_summary",
            label="检查情况报告",
            limit=MAX_REPORT,
            errors=errors,
            required=True,
        )
    elif str(report_summary or "").strip():
        errors["report_summary"] = [f"“{label}”不使用此项。"]
    with transaction.atomic():
        inspection = organised_inspection(inspection_id, actor)
        before = inspection.status
        inspection.status = next_status(
            INSPECTION_TABLE, before, name, label=InspectionStatus(before).label
        )
        if name == IT.START:
            errors.update(start_problems(inspection))
        if errors:
            raise InvalidInput(errors=errors)
        today = timezone.localdate()
        changed = ["status"]
        if name == IT.START:
            inspection.started_on = today
            changed.append("started_on")
            _notify_start(inspection)
        elif name == IT.REPORT:
            inspection.report_summary, inspection.reported_on = report_summary, today
            changed += ["report_summary", "reported_on"]
            tell(
                organiser_people(inspection, actor),
                f"检查情况已报告：{inspection}",
                plan_url(inspection),
            )
        elif name == IT.CLOSE:
            inspection.closed_on = today
            changed.append("closed_on")
        inspection.save(update_fields=[*changed, "updated_at"])
        record_event(inspection, actor, name, before, comment)
        audit(actor, f"inspection.{name}", inspection, status=inspection.status, previous=before)
    return inspection


def warn_missing_inspection(*, today: datetime.date | None = None) -> int:
    """第八条 "每年至少开展一次": from 1 October, the leaders of the commission and of the justice
    bureau of every region with no joint inspection held this year are told, once per region and
    year. Only a count is involved, so the region is looked at as a whole. Returns the number of
    messages sent."""
    today = today or timezone.localdate()
    sent = 0
    for region in Region.objects.order_by("pk"):
        if not inspection_year_record(region=region, year=today.year, today=today).warning:
            continue
        bodies = Org.objects.filter(
            region=region, is_active=True, kind__in=(OrgKind.DISCIPLINE, OrgKind.JUSTICE)
        ).values_list("pk", flat=True)
        leaders = people(bodies, Role.LEADER)
        sent += len(
            notify(
                recipients=leaders,
                kind="inspection",
                title=f"第八条提醒：{today.year}年度尚未开展联合法治督查（每年至少开展一次）",
                url=reverse("inspections:plan_years"),
                dedupe_key=f"inspection-year:{region.pk}:{today.year}",
            )
        )
    return sent
