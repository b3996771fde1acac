"""Robust statistics of a baseline: median, MAD, z-score, fraction of median; database values as numbers. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any


@dataclass(frozen=True)
class RobustStats:
    """The median and unscaled MAD of `size` usable baseline values."""

    median: float
    mad: float
    size: int


def robust_stats(values: Iterable[float]) -> RobustStats:
    """Median and unscaled median absolute deviation of the usable baseline values."""
    values = list(values)
    if not values:
        raise ValueError("robust statistics need at least one value")
    mid = median(values)
    return RobustStats(mid, median(abs(v - mid) for v in values), len(values))


def robust_z(value: float, stats: RobustStats) -> float:
    """(value - median) / MAD; with a flat baseline (MAD 0) the sign alone: -inf, 0 or +inf."""
    if stats.mad == 0:
        return -math.inf if value < stats.median else math.inf if value > stats.median else 0.0
    return (value - stats.median) / stats.mad


def fraction_of_median(value: float, stats: RobustStats) -> float | None:
    """value / median, or None when the median is 0 (no drop is measurable)."""
    return None if stats.median == 0 else value / stats.median


def not_a_number(raw: Any) -> str | None:
    """Why a database value is no finite number (None when it is one)."""
    if raw is None:
        return "is NULL"
    if isinstance(raw, bool):  # a BOOLEAN column is no count of anything
        return f"is a boolean ({raw}), not a number"
    if isinstance(raw, (str, bytes)):
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        return f"is text ({text[:20]!r}), not a number"
    try:
        number = float(raw)
    except (TypeError, ValueError, OverflowError):
        return f"is not a number ({type(raw).__name__})"
    if math.isnan(number):
        return "is NaN"
    if math.isinf(number):
        return "is infinite"
    return None


def as_number(raw: Any) -> float | None:
    """A database value as a finite float, or None when it is none (see `not_a_number` for why)."""
    return None if not_a_number(raw) else float(raw)


def exact_difference(a: Any, b: Any) -> float:
    """a - b computed in decimal, so 100.01 - 100.00 is exactly 0.01."""
    return float(_decimal(a) - _decimal(b))


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
