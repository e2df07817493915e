"""Checking a random draw (随机抽查, 第八条): anyone may re-run it from the revealed seed and the
frozen pools, and confirm it is the draw whose commitment was published before it ran.

The commitment is the `draw.prepare` audit entry, written when the seed's SM3 digest was
published. Comparing against it — not only against the draw's own row — is what catches a row
whose pools *and* pool digest were both rewritten afterwards: the audit chain cannot be rewritten
without `xianjie audit verify` noticing, and this entry's own hash is rechecked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xianjie.audit.chain import entry_hash
from xianjie.audit.models import AuditEntry

from . import drawing
from .models import Draw, DrawStatus, InspectionUnit

NOT_REVEALED = "种子尚未公开（抽取时公开），本次只核对抽取前公布的摘要。"
SUPERSEDED = "本次抽取已作废（已重新抽取），不再核对督查的被检查单位和检查组。"


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    ok: bool
    detail: str


@dataclass
class DrawReport:
    draw_id: int
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def summary(self) -> str:
        if self.ok:
            return f"随机抽取 #{self.draw_id} 校验通过：共 {len(self.checks)} 项，全部一致。"
        failed = sum(1 for check in self.checks if not check.ok)
        return f"随机抽取 #{self.draw_id} 校验未通过：{failed} 项不一致。"

    def add(self, name: str, label: str, ok: bool, good: str, bad: str) -> None:
        self.checks.append(Check(name=name, label=label, ok=ok, detail=good if ok else bad))


def _commitment(draw: Draw) -> AuditEntry | None:
    entries = list(
        AuditEntry.objects.filter(
            object_type=Draw._meta.label_lower, object_id=str(draw.pk), action="draw.prepare"
        ).order_by("seq")[:2]
    )
    return entries[0] if len(entries) == 1 else None


def _entry_intact(entry: AuditEntry) -> bool:
    return entry.hash == entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        org_id=entry.org_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        tier=entry.tier,
        payload=entry.payload,
        prev_hash=entry.prev_hash,
    )


def _check_commitment(report: DrawReport, draw: Draw) -> None:
    pools: Any = draw.pools
    digest = drawing.pool_digest(pools)
    report.add(
        "pool_digest",
        "冻结的单位库和人员库",
        digest == draw.pool_digest,
        "按规范格式计算的SM3摘要与记录的库摘要一致。",
        f"单位库和人员库已被改动：计算得到的摘要 {digest} "
        f"与记录的库摘要 {draw.pool_digest} 不一致。",
    )
    params = isinstance(pools, dict) and (
        pools.get("algorithm"),
        pools.get("unit_count"),
        pools.get("team_size"),
    ) == (draw.algorithm, draw.unit_count, draw.team_size)
    report.add(
        "parameters",
        "抽取参数",
        bool(params),
        f"算法 {draw.algorithm}、抽取 {draw.unit_count} 个单位、每组 {draw.team_size} 人，"
        "与冻结的库中记载一致。",
        "算法、抽取单位数或每组人数与冻结的库中记载不一致。",
    )
    entry = _commitment(draw)
    published = (
        entry is not None
        and _entry_intact(entry)
        and entry.payload.get("seed_hash") == draw.seed_hash
        and entry.payload.get("pool_digest") == draw.pool_digest
        and entry.payload.get("pool_digest") == digest
    )
    report.add(
        "commitment",
        "抽取前公布的摘要",
        published,
        f"审计日志第 {entry.seq if entry else '—'} 条（抽取前写入）记载的种子摘要和库摘要"
        "与本次抽取一致。",
        "审计日志中抽取前公布的种子摘要或库摘要与本次抽取不一致，或公布记录缺失、已被改动。",
    )


def _check_result(report: DrawReport, draw: Draw) -> None:
    try:
        seed_ok = drawing.seed_hash(draw.seed) == draw.seed_hash
    except ValueError:
        seed_ok = False
    report.add(
        "seed",
        "公开的种子",
        seed_ok,
        "公开的种子经SM3计算，与抽取前公布的种子摘要一致。",
        "公开的种子与抽取前公布的种子摘要不一致。",
    )
    try:
        rerun = drawing.draw(draw.seed, draw.pools)
    except (ValueError, KeyError, TypeError):
        rerun = None
    report.add(
        "result",
        "抽取结果",
        rerun == draw.result,
        "以公开的种子和冻结的库重新运行抽取算法，得到的结果与记录的结果相同。",
        "以公开的种子和冻结的库重新运行抽取算法，得到的结果与记录的结果不同。",
    )


def _check_teams(report: DrawReport, draw: Draw) -> None:
    rows = InspectionUnit.objects.filter(inspection_id=draw.inspection_id, draw=draw).order_by(
        "position", "id"
    )
    actual = [(row.org_id, sorted(row.inspectors.values_list("pk", flat=True))) for row in rows]
    expected = [(item["unit"], sorted(item["inspectors"])) for item in draw.result]
    report.add(
        "teams",
        "督查的被检查单位和检查组",
        actual == expected,
        "督查中由本次抽取确定的被检查单位和检查组与抽取结果一致。",
        "督查中由本次抽取确定的被检查单位或检查组与抽取结果不一致。",
    )


def draw_verify(draw: Draw) -> DrawReport:
    """Re-check one draw: the commitment always; the seed and the result once revealed; the
    inspection's units and teams for the draw in force (drawn, not superseded)."""
    report = DrawReport(draw_id=draw.pk)
    _check_commitment(report, draw)
    if not draw.seed:
        report.notes.append(NOT_REVEALED)
        return report
    _check_result(report, draw)
    if draw.status == DrawStatus.DRAWN:
        _check_teams(report, draw)
    else:
        report.notes.append(SUPERSEDED)
    return report
