"""Trusted baselines: a metric judged on many days at once, leaving alerted days out of later baselines. Pure.

With `exclude_alerted`, a day whose drop (or spike) alerted never enters a later baseline. Which days alerted
depends on their own baselines, so the judgement is repeated in levels: level 0 judges every day read on its
plain window, level k leaves out the days level k-1 found alerted. A day's dependence on earlier days grows by
one reach per level and the levels are bounded (`BaselineWindow.levels`), so the result depends only on the
rows the job reads: `check --date D` and `backtest` compute the same levels over the same rows and agree on
every day. The levels stop early when nothing changes (a clean history converges at level 1), and each level
builds again only the baselines and count tails whose inputs changed (judge/memo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..config import DropRule
from . import escalation
from .counting import Counting, counted_z
from .drop_rule import codes
from .memo import Memo
from .statistics import fraction_rows, robust_z_rows
from .window import Series


@dataclass(frozen=True)
class Judged:
    """A metric judged on some days: the day's value, its baseline's statistics, the codes per direction."""

    days: np.ndarray
    value: np.ndarray
    median: np.ndarray
    mad: np.ndarray
    size: np.ndarray
    z: np.ndarray
    frac: np.ndarray
    codes: dict[str, np.ndarray]
    alerted_left_out: np.ndarray
    p: np.ndarray
    """The count statistic's adjusted tail probability (NaN: the day is judged by the robust z)."""
    escalated: np.ndarray
    """How many consecutive days the WARN that became CRITICAL stood (0: not escalated)."""

    @cached_property
    def finite(self) -> np.ndarray:
        """The baseline's median and MAD are numbers: values too large to average or subtract give inf or NaN,
        which is never a verdict. (An infinite z or frac from them is a verdict: beyond every threshold.)"""
        return np.isfinite(self.median) & np.isfinite(self.mad)

    def at(self, picked: slice | np.ndarray) -> list[tuple]:
        """The judged days `picked` as plain Python numbers (value, median, mad, z, frac, size, left out, finite,
        adjusted p, escalated run, codes by direction): what a report of each day reads, without a NumPy
        scalar per number."""
        columns = [self.value, self.median, self.mad, self.z, self.frac, self.size, self.alerted_left_out,
                   self.finite, self.p, self.escalated]
        codes = [dict(zip(self.codes, c, strict=True))
                 for c in zip(*(a[picked].tolist() for a in self.codes.values()), strict=True)]
        return list(zip(*(a[picked].tolist() for a in columns), codes, strict=True))

    def alerted(self, series: Series, minimum: int) -> np.ndarray:
        """The days whose drop or spike alerted: judged (a value, enough history, finite), not a known event."""
        judged = ~np.isnan(self.value) & (self.size >= minimum) & self.finite & ~series.events[self.days]
        return judged & (np.max(np.stack(list(self.codes.values())), axis=0) > 0)


def judge_metric(series: Series, rule: DropRule, days: np.ndarray, counting: Counting | None = None) -> Judged:
    """The metric judged on `days` (indexes into the series) by its rule, on trusted baselines.

    Level k (of L) judges only the days that can still reach the judged ones: those at most (L - k) windows
    before the first of them (a window reads `span` days back), so a check of one day judges a
    shrinking slice of the history at each level, and the judged days' results are those of judging all.
    Escalation reads the escalate_after_days - 1 days before each judged day, judged the same way."""
    window = rule.baseline
    days, picked = escalation.days_with_run(series, days, rule.thresholds.escalate_after_days)
    back = window.span
    local = np.arange(len(series.values)) - series.floor_of(np.arange(len(series.values)))
    first = int(local[days].min()) if len(days) else 0
    valued = np.flatnonzero(~np.isnan(series.values) & ~series.events)  # only these can alert
    alerted = np.zeros(len(series.values), dtype=bool)
    levels = window.levels if len(valued) > window.minimum else 0
    memo = Memo(len(series.values), window)
    for k in range(levels):
        judged = valued[local[valued] >= first - (levels - k) * back]
        found = np.zeros_like(alerted)
        found[judged] = _judge(series, rule, judged, alerted, counting, memo).alerted(series, window.minimum)
        if np.array_equal(found[judged], alerted[judged]):
            break
        alerted = found
    return escalation.judged(_judge(series, rule, days, alerted, counting, memo), series, rule, picked)


def _judge(series: Series, rule: DropRule, days: np.ndarray, alerted: np.ndarray,
           counting: Counting | None = None, memo: Memo | None = None) -> Judged:
    """`days` judged with the `alerted` days left out of their baselines (`memo`: what the level before built)."""
    memo = memo or Memo(len(series.values), rule.baseline)
    memo.level(series, days, alerted)
    median, mad, size, left_out = memo.baseline("values", series, days, alerted)
    value = series.values[days]
    z, frac = robust_z_rows(value, median, mad), fraction_rows(value, median)
    p = np.full(len(days), np.nan)
    if counting is not None:
        count_z, p = counted_z(counting, series, rule, days, alerted, median, mad, memo)
        z = np.where(np.isnan(p), z, count_z)
    return Judged(days, value, median, mad, size, z, frac,
                  {d: codes(z, frac, rule.thresholds, d) for d in rule.directions}, left_out, p,
                  np.zeros(len(days), dtype=int))
