"""The drop and spike rules as data: which statistic is compared with which threshold, by which operator. Pure.

The judge (`codes`, `classify`) and the alert-rule renderer both read `BOUNDS`, so a day's verdict and the
PromQL that pages on it can never disagree on a comparison. A spike mirrors a drop: frac strict, z inclusive.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..config import Thresholds
from .model import Outcome


@dataclass(frozen=True)
class Bound:
    """`statistic op threshold` must hold for a level to be crossed, e.g. frac < 0.3."""

    statistic: str
    op: str


BOUNDS = {"drop": (Bound("frac", "<"), Bound("z", "<=")), "spike": (Bound("frac", ">"), Bound("z", ">="))}
"""A drop (spike) is CRITICAL/WARN when both frac (strict) and z (inclusive) cross that level's thresholds."""
LEVELS = (("critical", Outcome.FAILED), ("warn", Outcome.WARNED))
"""The levels, most severe first, and the outcome of crossing each."""
CODES = {2: Outcome.FAILED, 1: Outcome.WARNED, 0: Outcome.PASSED}
OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@cache
def limits(t: Thresholds, level: str, direction: str = "drop") -> tuple[float, ...]:
    """The thresholds of one level, in the order of BOUNDS[direction]."""
    prefix = "spike_" if direction == "spike" else ""
    return tuple(getattr(t, f"{prefix}{level}_{b.statistic}") for b in BOUNDS[direction])


def levels(t: Thresholds, direction: str, statistic: str) -> tuple[float, float]:
    """The WARN and CRITICAL thresholds of one statistic ('frac' or 'z') in one direction."""
    at = [b.statistic for b in BOUNDS[direction]].index(statistic)
    return limits(t, "warn", direction)[at], limits(t, "critical", direction)[at]


def codes(z: np.ndarray, frac: np.ndarray, t: Thresholds, direction: str = "drop") -> np.ndarray:
    """Elementwise 2 (CRITICAL), 1 (WARN) or 0: the most severe level whose every bound is crossed.

    A NaN frac (median 0: no change is measurable) crosses nothing.
    """
    stats = {"z": np.asarray(z, dtype=float), "frac": np.asarray(frac, dtype=float)}
    out = np.zeros(np.broadcast(stats["z"], stats["frac"]).shape, dtype=int)
    for code, (level, _) in zip((2, 1), LEVELS, strict=True):
        crossed = np.ones_like(out, dtype=bool)
        for b, limit in zip(BOUNDS[direction], limits(t, level, direction), strict=True):
            with np.errstate(invalid="ignore"):
                crossed &= OPERATORS[b.op](stats[b.statistic], limit)
        out = np.where((out == 0) & crossed, code, out)
    return out


def classify(z: float, frac: float | None, t: Thresholds, direction: str = "drop") -> Outcome:
    """The outcome of one day's statistics: the same table of bounds as `codes`, on plain floats (a NaN or
    missing frac crosses nothing)."""
    stats = {"z": float(z), "frac": math.nan if frac is None else float(frac)}
    for level, outcome in LEVELS:
        if all(OPERATORS[b.op](stats[b.statistic], limit)
               for b, limit in zip(BOUNDS[direction], limits(t, level, direction), strict=True)):
            return outcome
    return Outcome.PASSED
