"""Why a volume metric fell, by dimension: with several segment columns, single dimension values ranked across
the others before the leaf segments, Adtributor-style (Bhagwan et al., NSDI '14). Pure, no I/O.

Each dimension value's actual is the sum of its judged leaf segments' values and its expected the sum of their
baseline medians (`other`, the fold, names no value and is left out); no statement is sent. Within a dimension:
a value's share is its fall over the sum of the dimension's falls (never over a total that barely moved), its
surprise the Jensen-Shannon divergence of its expected and actual shares of the dimension. Per dimension the
falling values are taken by surprise, each explaining at least MIN_SHARE of the falls, until ENOUGH of them is
explained; dimensions are ranked by the summed surprise of the values taken.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .model import CheckResult, Segment

MIN_SHARE, ENOUGH = 0.1, 0.67
"""Adtributor's T_eep and T_ep: a value explains at least 10 % of the falls; stop at 67 % explained."""


@dataclass(frozen=True)
class Cause:
    """One dimension value that fell: its sums, fall, share of the dimension's falls, surprise, and its leaves."""

    dimension: str
    value: object
    """As JSON and labels show it (a whole Decimal as an int, a date as YYYY-MM-DD)."""
    actual: float
    expected: float
    difference: float
    share: float
    surprise: float
    within: tuple[tuple[str, float], ...]
    """The fall of each of its leaf segments, named by the other dimensions' values, largest fall first."""

    @property
    def label(self) -> str:
        return f"{self.dimension}={self.value}"


Leaf = tuple[tuple[tuple[str, object], ...], float, float]
"""A judged leaf segment: its (column, value) pairs, its value and its baseline median."""


def explain(checks: Sequence[CheckResult]) -> tuple[Cause, ...]:
    """The causes of one metric's fall from its leaf segments' drop checks, the most surprising dimension first;
    () with fewer than two segment columns (the leaves are the single values then)."""
    leaves: list[Leaf] = [(c.segment.values, c.value, c.median) for c in checks
                          if c.segment is not None and c.segment.values and c.value is not None
                          and c.median is not None]
    dimensions = [k for k, _ in leaves[0][0]] if leaves else []
    if len(dimensions) < 2:
        return ()
    ranked = sorted((_dimension(leaves, k, d) for k, d in enumerate(dimensions)),
                    key=lambda causes: -sum(c.surprise for c in causes))
    return tuple(c for causes in ranked for c in causes)


def _dimension(leaves: list[Leaf], k: int, dimension: str) -> list[Cause]:
    sums: dict[object, tuple[float, float]] = {}
    for values, actual, expected in leaves:
        a, e = sums.get(values[k][1], (0.0, 0.0))
        sums[values[k][1]] = (a + actual, e + expected)
    actual_total, expected_total = sum(a for a, _ in sums.values()), sum(e for _, e in sums.values())
    falls = sum(a - e for a, e in sums.values() if a < e)
    if falls >= 0:
        return []
    causes = [Cause(dimension, Segment(((dimension, v),)).document[dimension], a, e, a - e, (a - e) / falls,
                    _surprise(e, expected_total, a, actual_total), _within(leaves, k, v))
              for v, (a, e) in sums.items() if a < e]
    taken, explained = [], 0.0
    for cause in sorted(causes, key=lambda c: (-c.surprise, c.difference)):
        if explained >= ENOUGH:
            break
        if cause.share >= MIN_SHARE:
            taken.append(cause)
            explained += cause.share
    return sorted(taken, key=lambda c: c.difference)


def _within(leaves: list[Leaf], k: int, value: object) -> tuple[tuple[str, float], ...]:
    """Each leaf of `value`, named by its other dimensions' values ('ios'), and its fall, largest first."""
    mine = [(Segment(values[:k] + values[k + 1:]).short, actual - expected) for values, actual, expected in leaves
            if values[k][1] == value]
    return tuple(sorted(mine, key=lambda p: p[1]))


def _surprise(expected: float, expected_total: float, actual: float, actual_total: float) -> float:
    """Jensen-Shannon divergence (bits) of a value's expected share p and actual share q."""
    p = expected / expected_total if expected_total else 0.0
    q = actual / actual_total if actual_total else 0.0
    m = (p + q) / 2
    return 0.5 * (_term(p, m) + _term(q, m))


def _term(x: float, m: float) -> float:
    return x * math.log2(x / m) if x > 0 else 0.0
