"""How fair and how fast the random draw "xj-draw-v1" is (第八条, 随机抽查).

    .venv/bin/python bench/draw_fairness.py [--seeds 3000] [--units 60] [--count 10]

Runs the pure algorithm over many random seeds on a county-sized pool (units of weight 1, one of
weight 3, inspectors from both sides with their legal units) and prints, per unit, how often it
was drawn against the expected share, the worst relative deviation, the chi-square statistic
over the equal-weight units, the busiest inspector's share and the draws per second. No database.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xianjie.inspections.drawing import ALGORITHM, draw


def pools(units: int, count: int) -> dict:
    unit_ids = list(range(1, units + 1))
    # Two inspectors of each supervising org, plus one of each unit's legal unit (recused there).
    inspectors = [[1000 + i, 900 + i // 2, None] for i in range(8)]
    inspectors += [[2000 + u, 3000 + u, u] for u in unit_ids]
    return {
        "algorithm": ALGORITHM,
        "unit_count": count,
        "team_size": 2,
        "units": [[u, 3 if u == 1 else 1] for u in unit_ids],
        "inspectors": inspectors,
        "conflicts": [[1000, 2], [1001, 3]],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3_000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    frozen = pools(args.units, args.count)
    drawn: Counter[int] = Counter()
    teams: Counter[int] = Counter()
    started = time.perf_counter()
    for _ in range(args.seeds):
        for team in draw(secrets.token_hex(32), frozen):
            drawn[team["unit"]] += 1
            teams.update(team["inspectors"])
            assert 2000 + team["unit"] not in team["inspectors"], "recusal broken"
    elapsed = time.perf_counter() - started
    equal = range(2, args.units + 1)
    # Without replacement the exact share is not weight/total; compare equal-weight units with
    # their own mean and report the heavy unit's ratio to it.
    mean = sum(drawn[u] for u in equal) / len(equal)
    worst = max(abs(drawn[u] - mean) / mean for u in equal)
    chi2 = sum((drawn[u] - mean) ** 2 / mean for u in equal)
    print(f"algorithm {ALGORITHM}: {args.seeds} draws of {args.count} of {args.units} units")
    print(f"draws per second: {args.seeds / elapsed:,.0f}")
    print(f"equal-weight units: mean {mean:.1f} selections, worst deviation {worst:.2%}")
    print(f"chi-square over {len(equal)} equal-weight units: {chi2:.1f} (df {len(equal) - 1})")
    print(f"weight-3 unit drawn {drawn[1] / mean:.2f}× as often as a weight-1 unit")
    busiest = max(teams.values()) / sum(teams.values())
    print(f"busiest inspector's share of team places: {busiest:.2%}")


if __name__ == "__main__":
    main()
