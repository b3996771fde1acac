"""Escalation: a WARN drop or spike that stands N consecutive days on one metric and segment becomes CRITICAL.

Computed from what the job reads: a judgement of day D also judges the N - 1 days before it (the lookback
reaches them, Config.lookback), so `check --date D` and the backtest of D see the same run. A day breaks the
run when it is not WARN or worse: OK, not judged (no value, too little history) or a known event. Pure.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING

import numpy as np

from ..config import DropRule
from .window import Series

if TYPE_CHECKING:
    from .trust import Judged


def days_with_run(series: Series, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`days` and the n - 1 days before each in its block, in order, and where the given days are among them."""
    if n <= 1 or not len(days):
        return days, np.arange(len(days))
    back = days[:, None] - np.arange(n)[None, :]
    back = back[back >= np.reshape(series.floor_of(days), (-1, 1))]
    extended = np.unique(np.concatenate([back, days]))
    return extended, np.searchsorted(extended, days)


def runs(warned: np.ndarray, days: np.ndarray, block: np.ndarray | int = 0) -> np.ndarray:
    """For each of the ordered `days` (of `block`), how many consecutive days up to it are `warned` (0 where it
    is not): a run never crosses from one block (segment) into the next."""
    same = np.diff(np.broadcast_to(block, days.shape)) == 0
    after = np.concatenate([[False], (np.diff(days) == 1) & same & warned[:-1]])  # yesterday is here, warned
    start = warned & ~after
    first = np.maximum.accumulate(np.where(start, np.arange(len(days)), 0))
    return np.where(warned, np.arange(len(days)) - first + 1, 0)


def judged(j: Judged, series: Series, rule: DropRule, picked: np.ndarray) -> Judged:
    """The judged days at `picked`, each WARN whose run reached escalate_after_days made CRITICAL."""
    n = rule.thresholds.escalate_after_days
    counted = ~np.isnan(j.value) & (j.size >= rule.baseline.minimum) & j.finite & ~series.events[j.days]
    codes, escalated = dict(j.codes), np.zeros(len(j.days), dtype=int)
    if n >= 1:
        for direction, code in j.codes.items():
            run = runs(counted & (code >= 1), j.days, series.floor_of(j.days))
            up = (code == 1) & (run >= n)
            codes[direction] = np.where(up, 2, code)
            escalated = np.where(up, n, escalated)  # the run the job can see: n days (it reads no further)
    picked_j = replace(j, codes=codes, escalated=escalated)
    return replace(picked_j, **{f.name: _at(getattr(picked_j, f.name), picked) for f in fields(picked_j)})


def _at(value, picked: np.ndarray):
    return {k: v[picked] for k, v in value.items()} if isinstance(value, dict) else value[picked]
