"""The rows of a judgement laid out by day, one block per judged segment (the total first). Pure, no I/O.

Every block spans the same days, so block b's day g is element b * size + g of a metric's series: one
vectorised pass judges every day of every segment, and a window never reaches into another block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

import numpy as np

from ..config import Config
from .model import History, Segment
from .statistics import as_table
from .values import Values, index_of
from .window import Series

Rows = list[Mapping[str, Any]]


@dataclass(frozen=True)
class Layout:
    """The days from `start` as indexes, and each block's rows per day (block 0: the total)."""

    start: date
    blocks: tuple[Segment | None, ...]
    rows: list[list[Rows]]
    """rows[block][day]: the day's rows; a judged segment's day without a row, once its history started, holds
    `zero` (its volume metrics 0: a segment that vanished dropped to 0)."""
    zero: Mapping[str, Any]
    numbers: np.ndarray
    """[block * size + day, logical column]: the day's value where it has exactly one row, NaN elsewhere."""

    @property
    def size(self) -> int:
        return len(self.rows[0])

    def index(self, day: date) -> int:
        return (day - self.start).days


def lay_out(h: History, c: Config, start: date, last: date) -> Layout:
    """The history's rows from `start` to `last` in blocks: the total, then each judged segment."""
    blocks: tuple[Segment | None, ...] = (None, *h.segments)
    position = {s: b for b, s in enumerate(blocks)}
    size = (last - start).days + 1
    rows: list[list[Rows]] = [[[] for _ in range(size)] for _ in blocks]
    since = [size] * len(blocks)
    for r in h.rows:
        b, g = position.get(r.segment), (r.day - start).days
        if b is None:
            continue
        since[b] = min(since[b], max(g, 0))
        if 0 <= g < size and r.values:
            rows[b][g].append(r.values)
    zero = {name: 0 for name in c.logical_columns}
    present = [any(rows[b][g] for b in range(len(blocks))) for g in range(size)]
    for b in range(1, len(blocks)):
        for g in range(since[b], size):
            if present[g] and not rows[b][g]:
                rows[b][g].append(zero)
    return Layout(start, blocks, rows, zero, _numbers(c, rows, size))


def _numbers(c: Config, rows: list[list[Rows]], size: int) -> np.ndarray:
    names = c.logical_columns
    single = [(b * size + g, day[0]) for b, block in enumerate(rows) for g, day in enumerate(block) if len(day) == 1]
    out = np.full((len(rows) * size, len(names)), np.nan)
    if single:
        index = index_of(names)
        named = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        out[np.array([i for i, _ in single])] = as_table(
            [row.raw if type(row) is Values and row.index is index else named(row) for _, row in single])
    return out


def series(c: Config, name: str, layout: Layout, events: np.ndarray) -> Series:
    """The metric's value on each day of each block that has exactly one row (NaN elsewhere), events, shifts."""
    rate = next((r for r in c.rates if r.name == name), None)
    size, column = layout.size, c.logical_columns.index
    if rate:
        num, den = layout.numbers[:, column(rate.numerator)], layout.numbers[:, column(rate.denominator)]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            values = np.where(den != 0, num / den, np.nan)  # NaN where either is NaN: as `_rate` said None
    else:
        values = layout.numbers[:, column(name)]
    shift_from = np.full(size, -1)
    for shift in c.shifts(name):
        shift_from[max(layout.index(shift.day), 0):] = max(layout.index(shift.day), 0)
    offsets = np.repeat(np.arange(len(layout.blocks)) * size, size)
    tiled = np.tile(shift_from, len(layout.blocks))
    return Series(values, np.tile(events, len(layout.blocks)), np.where(tiled >= 0, tiled + offsets, -1), offsets)


def day_events(h: History, layout: Layout) -> np.ndarray:
    return np.array([layout.start + timedelta(days=g) in h.events for g in range(layout.size)])
