"""The draw algorithm xj-draw-v1 (随机抽查, 第八条): pure functions, no database.

Statistical tests run over fixed seeds (SM3 of the seed number), so they are deterministic: the
tolerance is a property of the algorithm, checked once, and a run can never fail by chance.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from xianjie.inspections import drawing

pytestmark = pytest.mark.article(8)

#: Departments 101–106; 201 and 202 are legal units (法制股) of 101 and 102.
UNITS = [[101, 1], [102, 1], [103, 1], [104, 1], [105, 1], [106, 1]]
INSPECTORS = [
    [1, 900, None],  # the commission
    [2, 900, None],
    [3, 901, None],  # the justice bureau
    [4, 901, None],
    [5, 201, 101],  # legal unit of 101: never on 101's team
    [6, 202, 102],  # legal unit of 102: never on 102's team
    [7, 103, None],  # belongs to 103 itself
]
CONFLICTS = [[1, 104], [3, 105]]


def pools(**changes):
    base = {
        "algorithm": drawing.ALGORITHM,
        "unit_count": 3,
        "team_size": 2,
        "units": UNITS,
        "inspectors": INSPECTORS,
        "conflicts": CONFLICTS,
    }
    return {**base, **changes}


def seed(n: int) -> str:
    return hashlib.new("sm3", str(n).encode()).hexdigest()


def test_same_seed_and_pools_give_the_same_result():
    first = drawing.draw(seed(1), pools())
    assert first == drawing.draw(seed(1), pools())
    assert len(first) == 3
    assert all(set(item) == {"unit", "inspectors"} for item in first)


def test_different_seeds_give_different_results():
    results = {str(drawing.draw(seed(n), pools())) for n in range(40)}
    assert len(results) > 30


def test_pool_change_changes_the_stream():
    # The pool digest is part of every block: an extra inspector reshuffles everything.
    changed = pools(inspectors=[*INSPECTORS, [8, 900, None]])
    outcomes = [drawing.draw(seed(n), pools()) != drawing.draw(seed(n), changed) for n in range(30)]
    assert sum(outcomes) > 20


def test_pool_digest_is_canonical_sm3():
    reordered = dict(reversed(list(pools().items())))
    assert drawing.pool_digest(reordered) == drawing.pool_digest(pools())
    text = drawing.canonical_json(pools())
    assert b" " not in text and text.startswith(b'{"algorithm":"xj-draw-v1"')
    assert drawing.pool_digest(pools()) == hashlib.new("sm3", text).hexdigest()
    assert drawing.canonical_json({"名称": "文水"}) == '{"名称":"文水"}'.encode()


def test_seed_hash_is_sm3_of_the_seed_bytes():
    assert drawing.seed_hash("00" * 32) == hashlib.new("sm3", bytes(32)).hexdigest()


def test_stream_below_stays_in_range_and_covers_it():
    stream = drawing.Stream(bytes(32), drawing.pool_digest(pools()))
    values = [stream.below(7) for _ in range(700)]
    assert set(values) == set(range(7))
    assert all(stream.below(1) == 0 for _ in range(5))
    big = [stream.below(300) for _ in range(300)]
    assert min(big) >= 0 and max(big) < 300 and max(big) > 255  # two bytes, no truncation
    with pytest.raises(ValueError):
        stream.below(0)


def test_recusal_holds_over_many_seeds():
    """Nobody inspects their own org, the department of their legal unit, or a unit they
    declared a conflict with (回避)."""
    own = {user: {org, parent} for user, org, parent in INSPECTORS}
    declared = {(user, org) for user, org in CONFLICTS}
    for n in range(400):
        for item in drawing.draw(seed(n), pools(unit_count=6)):
            for user in item["inspectors"]:
                assert item["unit"] not in own[user]
                assert (user, item["unit"]) not in declared


def test_every_team_has_the_team_size_of_distinct_members():
    for size in (2, 3, 4):
        for n in range(50):
            for item in drawing.draw(seed(n), pools(unit_count=6, team_size=size)):
                assert len(item["inspectors"]) == size
                assert len(set(item["inspectors"])) == size


def test_units_are_drawn_without_replacement():
    for n in range(200):
        units = [item["unit"] for item in drawing.draw(seed(n), pools(unit_count=6))]
        assert sorted(units) == [101, 102, 103, 104, 105, 106]


def test_load_is_balanced():
    """6 teams of 2 from 7 inspectors: 12 places, so nobody serves more than twice when
    recusal leaves room — the lowest load is always picked first."""
    for n in range(300):
        load = Counter(
            user
            for item in drawing.draw(seed(n), pools(unit_count=6))
            for user in item["inspectors"]
        )
        assert max(load.values()) - min(load.get(u, 0) for u, _, _ in INSPECTORS) <= 1


def test_equal_weights_draw_each_unit_uniformly():
    """6 units, 3 drawn: each unit's chance is 1/2. Over 3000 seeds its frequency stays within
    0.5 ± 0.04 (the standard deviation is about 0.009, so this is over four of them)."""
    runs, tolerance = 3000, 0.04
    chosen = Counter(item["unit"] for n in range(runs) for item in drawing.draw(seed(n), pools()))
    for unit, _ in UNITS:
        assert abs(chosen[unit] / runs - 0.5) <= tolerance, (unit, chosen[unit])


def test_higher_weight_is_drawn_proportionally_more_often():
    """One unit of weight 3 among three of weight 1, one drawn: 3/6 against 1/6 each. Over 3000
    seeds the heavy unit is drawn between 2.5 and 3.5 times as often as a light one."""
    units = [[101, 3], [102, 1], [103, 1], [105, 1]]
    runs = 3000
    chosen = Counter(
        drawing.draw(seed(n), pools(units=units, unit_count=1))[0]["unit"] for n in range(runs)
    )
    light = sum(chosen[u] for u in (102, 103, 105)) / 3
    assert 2.5 <= chosen[101] / light <= 3.5
    assert abs(chosen[101] / runs - 0.5) <= 0.04


def test_feasibility_names_units_without_enough_eligible_inspectors():
    small = pools(inspectors=[[1, 900, None], [5, 201, 101], [6, 202, 102]], conflicts=[])
    # 101 keeps 1 and 6, 102 keeps 1 and 5, the others keep all three.
    assert drawing.feasibility_problems(small) == []
    assert drawing.feasibility_problems({**small, "team_size": 3}) == [101, 102]
    blocked = {**small, "conflicts": [[1, 101]]}
    assert drawing.feasibility_problems(blocked) == [101]
    with pytest.raises(ValueError):
        drawing.draw(seed(1), blocked)


def test_unknown_algorithm_or_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        drawing.draw(seed(1), pools(algorithm="xj-draw-v0"))
    with pytest.raises(ValueError):
        drawing.draw(seed(1), pools(unit_count=7))
    with pytest.raises(ValueError):
        drawing.draw(seed(1), pools(unit_count=0))
