"""Robust statistics of a baseline: median, MAD, z-score, fraction of median; database values as numbers. Pure."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from itertools import chain
from typing import Any

import numpy as np


def row_stats(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, unscaled MAD and count of each row's non-NaN values (NaN median and MAD for an empty row).

    The middle pair of an even count is averaged as (a + b) / 2, as Python's statistics.median does.
    """
    median = _row_medians(rows)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: NaN, judged not finite
        deviations = np.abs(rows - median[:, None])
    return median, _row_medians(deviations), (~np.isnan(rows)).sum(axis=1)


def _row_medians(rows: np.ndarray) -> np.ndarray:
    ordered = np.sort(rows, axis=1)  # NaN sorts last
    n = (~np.isnan(rows)).sum(axis=1)
    lo, hi = np.maximum((n - 1) // 2, 0)[:, None], np.maximum(n // 2, 0)[:, None]
    a, b = np.take_along_axis(ordered, lo, 1)[:, 0], np.take_along_axis(ordered, hi, 1)[:, 0]
    with np.errstate(over="ignore", invalid="ignore"):
        middle = np.where(n % 2 == 1, a, (a + b) / 2)
    return np.where(n > 0, middle, np.nan)


def robust_z_rows(value: np.ndarray, median: np.ndarray, mad: np.ndarray) -> np.ndarray:
    """(value - median) / MAD elementwise; a flat baseline (MAD 0) gives the sign alone: -inf, 0 or +inf."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = (value - median) / mad
    flat = np.where(value < median, -np.inf, np.where(value > median, np.inf, 0.0))
    return np.where(mad == 0, flat, z)


def fraction_rows(value: np.ndarray, median: np.ndarray) -> np.ndarray:
    """value / median elementwise; NaN where the median is 0 (no change is measurable)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(median == 0, np.nan, value / median)


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


_FLOATS = frozenset({int, float, Decimal, np.int64, np.float64})


_PLAIN = frozenset({int, float, type(None)})


def as_table(rows: list[tuple[Any, ...]]) -> np.ndarray:
    """`as_numbers` of rows of equal length, as a [row, column] array: in one conversion when every value is an
    int, a float or NULL (SQLite's values, or the read's compacted ones), else value by value."""
    width = len(rows[0]) if rows else 0
    if set(map(type, chain.from_iterable(rows))) <= _PLAIN:
        try:
            out = np.array(rows, dtype=float).reshape(len(rows), width)  # None: NaN
            out[~np.isfinite(out)] = np.nan
            return out
        except OverflowError:  # an integer beyond the float range
            pass
    return as_numbers(list(chain.from_iterable(rows))).reshape(len(rows), width)


def as_numbers(cells: list[Any]) -> np.ndarray:
    """`as_number` of many database values at once: NaN where a value is no finite number."""
    try:
        out = np.array([float(x) if type(x) in _FLOATS else np.nan if x is None else _slow(x) for x in cells],
                       dtype=float)
    except (ArithmeticError, ValueError):  # an integer beyond the float range, a signaling NaN
        out = np.array([_slow(x) for x in cells], dtype=float)
    out[~np.isfinite(out)] = np.nan
    return out


def _slow(raw: Any) -> float:
    number = as_number(raw)
    return np.nan if number is None else number


def exact_difference(a: Any, b: Any) -> float:
    """a - b computed in decimal, so 100.01 - 100.00 is exactly 0.01."""
    return float(_decimal(a) - _decimal(b))


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def beyond(a: np.ndarray, b: np.ndarray, tolerance: float, exact: Callable[[int], float],
           absolute: bool = False) -> np.ndarray:
    """Elementwise a - b > tolerance (|a - b| with `absolute`) as `exact_difference` decides it: in floats where the
    difference is clearly apart from the tolerance (floats are off by a few ulps, the guard is a billionth), and
    exactly, from the raw values (`exact(i)`: the exact difference of element i), within a hair of it. So money
    is compared as exactly as one day's check compares it, without a Decimal per value."""
    with np.errstate(invalid="ignore", over="ignore"):
        difference = a - b
        if absolute:
            difference = np.abs(difference)
        out = difference > tolerance
        near = np.abs(difference - tolerance) <= 1e-9 * (np.abs(a) + np.abs(b) + abs(tolerance)) + 1e-300
    for i in np.flatnonzero(near).tolist():
        d = exact(i)
        out[i] = (abs(d) if absolute else d) > tolerance
    return out
