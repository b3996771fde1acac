"""Which days of a metric are judged as counts, and their z from the count's tail probability. Pure, no I/O.

A volume metric is a count; a rate is its numerator over its denominator (the trials); the revenue metric is
money and follows orders: its value and baseline are put in orders' units (× the baseline's median orders /
median revenue), so a segment's revenue is exactly as certain as its orders. A day's false alerts are
controlled across segments and metrics: Benjamini-Hochberg over a metric's segments that day, Bonferroni over
the metrics judged as counts (valid however they move together), so adding segments does not add pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..config import Config, DropRule
from .counts import SCALE, benjamini_hochberg, count_tails, one_sided, rate_tails, z_of
from .layout import Layout
from .memo import Memo
from .window import Series


@dataclass(frozen=True)
class Counting:
    """A metric's days judged as counts (`on`, by series index) and what a rate or money metric needs."""

    on: np.ndarray
    trials: np.ndarray | None = None
    """A rate's denominator by series index (its numerator is value × trials)."""
    orders: np.ndarray | None = None
    """Money: the orders by series index, whose baseline puts the metric in orders' units."""
    metrics: int = 1
    """How many metrics are judged as counts: each day's budget of false alerts is shared among them."""


def counting(c: Config, name: str, layout: Layout) -> Counting | None:
    """How `name` is judged on each block of the layout: None when no day of it is a count."""
    rule = c.drop_rule(name)
    on = np.repeat([counted(rule, segment is not None) for segment in layout.blocks], layout.size)
    if not on.any():
        return None
    metrics = sum(any(counted(c.drop_rule(m), segment is not None) for segment in layout.blocks)
                  for m in c.drop_metrics)
    rate = next((r for r in c.rates if r.name == name), None)
    if rate:
        return Counting(on, trials=layout.numbers[:, c.logical_columns.index(rate.denominator)], metrics=metrics)
    if name == "revenue":
        return Counting(on, orders=layout.numbers[:, c.logical_columns.index("orders")], metrics=metrics)
    return Counting(on, metrics=metrics)


def pooled(dispersion: np.ndarray, on: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Each day's dispersion index (variance / the Poisson's or binomial's): the median of that day's counted
    segments' own indexes, at least 1 (Poisson, binomial). 7 baseline days estimate a spread poorly (a squared
    MAD of 7 values is off by half either way), while a metric's segments share their kind of noise (a page
    view is many per visit in every country): a window that looks calm or wild by chance neither pages on noise
    nor hides a segment's loss. Alone on its day (the total) a test keeps its own index."""
    with np.errstate(invalid="ignore"):
        own = np.where(np.isfinite(dispersion), np.maximum(dispersion, 1.0), np.nan)
    shared = np.ones(len(day))
    mine = np.flatnonzero(on & np.isfinite(own))
    if len(mine):
        order = mine[np.lexsort((own[mine], day[mine]))]
        days, start, size = np.unique(day[order], return_index=True, return_counts=True)
        sorted_own = own[order]
        median = (sorted_own[start + (size - 1) // 2] + sorted_own[start + size // 2]) / 2
        at = np.searchsorted(days, day)
        known = (at < len(days)) & (days[np.minimum(at, len(days) - 1)] == day)
        shared = np.where(known, median[np.minimum(at, len(days) - 1)], np.nan)
    return np.maximum(np.where(np.isnan(shared), np.nan_to_num(own, nan=1.0), shared), 1.0)


def counted(rule: DropRule, segment: bool) -> bool:
    """`statistic: auto`: a segment's day, or any day of a spike-only metric, is a count; the total keeps the
    robust z (the seed's rule, right where counts are large)."""
    return rule.statistic == "count" or (rule.statistic == "auto" and (segment or rule.direction == "spike"))


def counted_z(how: Counting, series: Series, rule: DropRule, days: np.ndarray, alerted: np.ndarray,
              median: np.ndarray, mad: np.ndarray, memo: Memo) -> tuple[np.ndarray, np.ndarray]:
    """(z, adjusted p) of the counted days among `days`: NaN where the day is not a count or has no tail (a
    median of 0, a rate outside (0, 1)); the caller keeps the robust z there."""
    value, day = series.values[days], np.asarray(days - series.floor_of(days))
    spread = (SCALE * mad) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return _tails(how, series, rule, days, alerted, median, spread, value, day, memo)


def _tails(how: Counting, series: Series, rule: DropRule, days: np.ndarray, alerted: np.ndarray,
           median: np.ndarray, spread: np.ndarray, value: np.ndarray, day: np.ndarray,
           memo: Memo) -> tuple[np.ndarray, np.ndarray]:
    judged = how.on[days] & ~np.isnan(value)  # the day's counted segments with a value: what `pooled` reads
    if how.trials is not None:
        n = how.trials[days]
        binomial = n * median * (1 - median)
        variance = binomial * pooled(spread * n * n / binomial, judged, day)
        lower, upper = memo.tails("rate", days, (value * n, n, median, variance), rate_tails)
    elif how.orders is not None:
        orders = memo.baseline("orders", replace(series, values=how.orders), days, alerted)[0]
        unit = np.where((median > 0) & (orders > 0), orders / median, np.nan)  # orders per unit of money
        variance = orders * pooled(spread * unit * unit / orders, judged, day)
        lower, upper = memo.tails("count", days, (value * unit, orders, variance), count_tails)
    else:
        lower, upper = memo.tails("count", days, (value, median, median * pooled(spread / median, judged, day)),
                                  count_tails)
    on = how.on[days] & ~np.isnan(lower)
    p, sign = one_sided(lower, upper, rule.directions)
    p = np.where(p < 1, np.minimum(p * how.metrics, 1.0), p)  # Bonferroni over the metrics, BH over segments
    adjusted = benjamini_hochberg(np.where(on, p, np.nan), day)  # what the thresholds read, through z
    side = np.where(p < 1, adjusted, np.minimum(lower, upper))  # a side the rule does not judge: its raw tail
    return np.where(on, z_of(side, sign), np.nan), np.where(on, adjusted, np.nan)
