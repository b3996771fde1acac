"""What a level of trusted baselines keeps from the level before it. Pure, no I/O.

A day's baseline (its window's median, MAD, size and alerted days left out) depends only on the alerted flags of
the `span` days before it in its block, so it is kept while none of them changed; a count's tail probabilities
depend only on their inputs, so they are kept while those are the same. A kept number is the number judging
again would give: the levels judge fewer and fewer days from scratch as they converge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..config import BaselineWindow
from .statistics import row_stats
from .window import Series, windows

Baseline = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Median, MAD, size and alerted days left out of each judged day's window."""


class Memo:
    """Per series index: the baselines last built, with the alerted flags they were built with, and the tails."""

    def __init__(self, size: int, window: BaselineWindow):
        self.window = window
        self.alerted: np.ndarray | None = None
        self.fresh = np.zeros(size, dtype=bool)
        """The indexes whose kept baselines were built (or kept) under `alerted`."""
        self.stale = np.arange(0)
        """The current level's days whose windows are built again."""
        self.baselines: dict[str, Baseline] = {}
        self.kept_tails: dict[str, tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]] = {}

    def level(self, series: Series, days: np.ndarray, alerted: np.ndarray) -> None:
        """A level judges `days` under `alerted`: those whose window saw a flag change are built again."""
        stale = ~self.fresh[days]
        if self.alerted is not None:
            changed = np.concatenate([[0], np.cumsum(alerted != self.alerted)])  # changes before each index
            since = np.maximum(days - self.window.span, series.floor_of(days))
            stale |= changed[days] > changed[since]
        self.stale = days[stale]
        self.alerted = alerted.copy()
        self.fresh[:] = False
        self.fresh[days] = True

    def baseline(self, key: str, series: Series, days: np.ndarray, alerted: np.ndarray) -> Baseline:
        """The baseline of each of the level's `days` in `series` (named `key`: a metric's values, or orders)."""
        n = len(series.values)
        kept = self.baselines.setdefault(key, (np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=int),
                                               np.zeros(n, dtype=int)))
        if len(self.stale):
            w = windows(series, self.stale, self.window, alerted)
            for array, values in zip(kept, (*row_stats(w.values), w.alerted_left_out), strict=True):
                array[self.stale] = values
        return kept[0][days], kept[1][days], kept[2][days], kept[3][days]

    def tails(self, key: str, days: np.ndarray, inputs: tuple[np.ndarray, ...],
              compute: Callable[..., tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """`compute(*inputs)` (elementwise) of the days, computed only where an input differs from the last time."""
        n = len(self.fresh)
        known, before, after = self.kept_tails.setdefault(key, (np.zeros(n, dtype=bool),
                                                                [np.full(n, np.nan) for _ in inputs],
                                                                [np.full(n, np.nan) for _ in range(2)]))
        todo = ~known[days]
        for kept, value in zip(before, inputs, strict=True):
            was = kept[days]
            todo |= ~((was == value) | (np.isnan(was) & np.isnan(value)))
        if todo.any():
            at = days[todo]
            for kept, value in zip(before, inputs, strict=True):
                kept[at] = value[todo]
            for kept, value in zip(after, compute(*(value[todo] for value in inputs)), strict=True):
                kept[at] = value
            known[at] = True
        return after[0][days], after[1][days]
