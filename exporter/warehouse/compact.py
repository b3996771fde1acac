"""A database value as the judge keeps it: the smallest Python number that is exactly it. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..judge.values import Values


def row_values(index: dict[str, int], values: Sequence[Any]) -> Values:
    """A row's values by logical column (`index`: `index_of` the columns), each `compact` when the driver returned
    a Decimal among them."""
    return Values(index, tuple(map(compact, values) if Decimal in map(type, values) else values))


def compact(value: Any) -> Any:
    """A daily value as the smallest Python number that is exactly it: a Decimal (PostgreSQL's and MariaDB's
    SUM) becomes an int when whole, a float when it has at most 15 significant digits (the float's shortest repr
    is then the same decimal, so `exact_difference` and every message read the same number); anything else as
    it came (10^15 or more stays a Decimal: a huge value is judged as it was). A backtest holds ~14 values per
    segment-day: a Decimal is 104 bytes, a float 24."""
    if type(value) is Decimal and value.is_finite() and value.adjusted() < 15:  # |value| < 10^15: no edge case
        if value == value.to_integral_value():
            return int(value)
        if len(value.as_tuple().digits) <= 15:
            return float(value)
    return value
