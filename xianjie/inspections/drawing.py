"""The random draw algorithm "xj-draw-v1" (随机抽查, 双随机; 第八条, DOMAIN.md §3) — pure functions,
so that anyone holding the revealed seed and the frozen pools can re-run a draw and get the same
result.

The frozen pools are one JSON object::

    {"algorithm": "xj-draw-v1", "unit_count": 3, "team_size": 2,
     "units": [[org_id, weight], ...],                       # ascending org id, weight 1..10
     "inspectors": [[user_id, org_id, parent_org_id|null], ...],   # ascending user id
     "conflicts": [[user_id, org_id], ...]}                  # declared conflicts (回避申报)

Its canonical spelling — sorted keys, separators "," and ":", UTF-8 text — hashed with SM3 is the
pool digest. The random stream is SM3 in counter mode: block i = SM3(seed ‖ pool digest ‖ i as
8 bytes big-endian), i = 0, 1, …; because the pool digest is part of every block, changing any
pool changes every number drawn. An integer uniform in [0, n) takes ceil(b/8) bytes of the
stream (b = bit length of n − 1, at least one byte), keeps the low b bits and rejects values
≥ n (no modulo bias).

Units are drawn by weight without replacement; each team is filled one member at a time,
uniformly among the eligible inspectors with the fewest teams so far (balanced load). An
inspector is never eligible for the org they belong to — their own org, or the department whose
legal unit (法制股) they sit in — nor for a unit they declared a conflict with (回避).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

ALGORITHM = "xj-draw-v1"
MIN_WEIGHT, MAX_WEIGHT, DEFAULT_WEIGHT = 1, 10, 1
SEED_BYTES = 32


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def canonical_json(pools: Any) -> bytes:
    return json.dumps(pools, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def pool_digest(pools: Any) -> str:
    return sm3_hex(canonical_json(pools))


def seed_hash(seed_hex: str) -> str:
    """The published commitment to the seed: SM3 of the seed's bytes (not of its hex text)."""
    return sm3_hex(bytes.fromhex(seed_hex))


class Stream:
    """The deterministic random stream of one draw (SM3 in counter mode)."""

    def __init__(self, seed: bytes, digest_hex: str) -> None:
        self._prefix = seed + bytes.fromhex(digest_hex)
        self._bytes = self._generate()

    def _generate(self) -> Iterator[int]:
        counter = 0
        while True:
            yield from hashlib.new("sm3", self._prefix + counter.to_bytes(8, "big")).digest()
            counter += 1

    def take(self, count: int) -> bytes:
        return bytes(next(self._bytes) for _ in range(count))

    def below(self, n: int) -> int:
        """Uniform in [0, n) by rejection sampling."""
        if n < 1:
            raise ValueError("cannot draw from an empty range")
        bits = (n - 1).bit_length()
        size, mask = max(1, (bits + 7) // 8), (1 << bits) - 1
        while True:
            value = int.from_bytes(self.take(size), "big") & mask
            if value < n:
                return value


def _inspectors(pools: dict[str, Any]) -> list[tuple[int, int, int | None]]:
    return sorted(
        (int(u), int(o), None if p is None else int(p)) for u, o, p in pools["inspectors"]
    )


def eligible(pools: dict[str, Any], unit: int) -> list[int]:
    """The inspectors of the pool who may inspect `unit` (回避 honoured), ascending user id."""
    conflicts = {(int(u), int(o)) for u, o in pools["conflicts"]}
    return [
        user
        for user, org, parent in _inspectors(pools)
        if unit not in (org, parent) and (user, unit) not in conflicts
    ]


def feasibility_problems(pools: dict[str, Any]) -> list[int]:
    """The units of the pool with fewer eligible inspectors than a team needs: checked when a
    draw is prepared, so that a committed draw can always run whichever units come out."""
    size = int(pools["team_size"])
    return [int(unit) for unit, _ in sorted(pools["units"]) if len(eligible(pools, unit)) < size]


def _draw_units(stream: Stream, units: list[tuple[int, int]], count: int) -> list[int]:
    """Weighted sampling without replacement: r uniform in [0, remaining weight), the unit whose
    cumulative interval (ascending id order) contains r is taken."""
    remaining = sorted(units)
    chosen = []
    for _ in range(count):
        r = stream.below(sum(weight for _, weight in remaining))
        for index, (unit, weight) in enumerate(remaining):
            if r < weight:
                chosen.append(unit)
                del remaining[index]
                break
            r -= weight
    return chosen


def draw(seed_hex: str, pools: dict[str, Any]) -> list[dict[str, Any]]:
    """The result of the draw: [{"unit": org id, "inspectors": [user ids in pick order]}], units
    in draw order. Raises ValueError for pools this algorithm cannot run."""
    if pools.get("algorithm") != ALGORITHM:
        raise ValueError(f"unknown draw algorithm {pools.get('algorithm')!r}")
    count, size = int(pools["unit_count"]), int(pools["team_size"])
    units = [(int(unit), int(weight)) for unit, weight in pools["units"]]
    if not 1 <= count <= len(units) or any(w < MIN_WEIGHT for _, w in units):
        raise ValueError("unit count or weights out of range")
    if problems := feasibility_problems(pools):
        raise ValueError(f"units without enough eligible inspectors: {problems}")
    stream = Stream(bytes.fromhex(seed_hex), pool_digest(pools))
    load: dict[int, int] = {}
    result = []
    for unit in _draw_units(stream, units, count):
        candidates = eligible(pools, unit)
        team: list[int] = []
        for _ in range(size):
            lowest = min(load.get(user, 0) for user in candidates)
            fewest = [user for user in candidates if load.get(user, 0) == lowest]
            pick = fewest[stream.below(len(fewest))]
            team.append(pick)
            candidates.remove(pick)
            load[pick] = lowest + 1
        result.append({"unit": unit, "inspectors": team})
    return result
