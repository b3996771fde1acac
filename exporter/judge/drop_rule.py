"""The drop rule as data: which statistic is compared with which threshold, by which operator. Pure.

The judge (`classify`) and the alert-rule renderer both read `BOUNDS`, so a day's verdict and the PromQL
that pages on it can never disagree on a comparison.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from ..config import Thresholds
from .model import Outcome


@dataclass(frozen=True)
class Bound:
    """`statistic op threshold` must hold for a level to be crossed, e.g. frac < 0.3."""

    statistic: str
    op: str


BOUNDS = (Bound("frac", "<"), Bound("z", "<="))
"""A drop is CRITICAL/WARN when both frac (strict) and z (inclusive) cross that level's thresholds."""
LEVELS = (("critical", Outcome.FAILED), ("warn", Outcome.WARNED))
"""The levels, most severe first, and the outcome of crossing each."""
OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def limits(t: Thresholds, level: str) -> tuple[float, ...]:
    """The thresholds of one level, in the order of BOUNDS."""
    return tuple(getattr(t, f"{level}_{b.statistic}") for b in BOUNDS)


def classify(z: float, frac: float | None, t: Thresholds) -> Outcome:
    """The most severe level whose every bound the day crosses; PASSED when none (or the median is 0)."""
    if frac is None:
        return Outcome.PASSED
    stats = {"z": z, "frac": frac}
    for level, outcome in LEVELS:
        if all(OPERATORS[b.op](stats[b.statistic], limit) for b, limit in zip(BOUNDS, limits(t, level), strict=True)):
            return outcome
    return Outcome.PASSED
