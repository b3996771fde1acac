"""Robust baseline statistics: median, MAD, z-score, fraction of median. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any


@dataclass(frozen=True)
class Baseline:
    median: float
    mad: float
    days: int


def baseline(values: Iterable[float]) -> Baseline:
    """Median and unscaled median absolute deviation of the usable baseline values."""
    values = list(values)
    if not values:
        raise ValueError("baseline needs at least one value")
    mid = median(values)
    return Baseline(mid, median(abs(v - mid) for v in values), len(values))


def robust_z(value: float, base: Baseline) -> float:
    """(value - median) / MAD; with a flat baseline (MAD 0) the sign alone: -inf, 0 or +inf."""
    if base.mad == 0:
        return -math.inf if value < base.median else math.inf if value > base.median else 0.0
    return (value - base.median) / base.mad


def fraction_of_median(value: float, base: Baseline) -> float | None:
    """value / median, or None when the median is 0 (no drop is measurable)."""
    return None if base.median == 0 else value / base.median


def as_number(raw: Any) -> tuple[float | None, str | None]:
    """A database value as a finite float, or None and why it is not one."""
    if raw is None:
        return None, "is NULL"
    if isinstance(raw, bool):  # a BOOLEAN column is no count of anything
        return None, f"is a boolean ({raw}), not a number"
    if isinstance(raw, (str, bytes)):
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        return None, f"is text ({text[:20]!r}), not a number"
    try:
        number = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None, f"is not a number ({type(raw).__name__})"
    if math.isnan(number):
        return None, "is NaN"
    if math.isinf(number):
        return None, "is infinite"
    return number, None


def exact_difference(a: Any, b: Any) -> float:
    """a - b computed in decimal, so 100.01 - 100.00 is exactly 0.01."""
    return float(_decimal(a) - _decimal(b))


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
