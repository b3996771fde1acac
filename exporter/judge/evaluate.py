"""Judging days: turn what was read into Evaluations, every check of the three layers. Pure, no I/O.

`evaluate_days` is the one judgement: `check` is the backtest of its one day. The rows are laid out as one
series per metric over consecutive days, and each metric's drops and spikes are judged for all the days at
once (judge/trust.py); the row and relationship checks are judged day by day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..config import Config, Rate, Shift
from . import completeness, relationships, sanity
from .model import CheckResult, Evaluation, History, Measurements
from .statistics import as_number
from .trust import Judged, judge_metric
from .window import Series


def evaluate(m: Measurements, c: Config) -> Evaluation:
    """Every check of the three layers on the target day; what the config leaves out is said in `notes`."""
    return evaluate_days(m.history, c, [m.target_date])[0]


@dataclass(frozen=True)
class _Layout:
    """The days of a judgement as indexes from `start`, and each day's rows."""

    start: date
    rows: list[list[Mapping[str, Any]]]

    @property
    def size(self) -> int:
        return len(self.rows)

    def index(self, day: date) -> int:
        return (day - self.start).days


def evaluate_days(h: History, c: Config, days: Sequence[date]) -> list[Evaluation]:
    """Every check on each of `days`, from one read of the history (the rows from the first day's lookback on)."""
    start = min(days) - timedelta(days=c.lookback)
    layout = _Layout(start, [[] for _ in range((max(days) - start).days + 1)])
    for r in h.rows:
        if 0 <= layout.index(r.day) < layout.size:
            layout.rows[layout.index(r.day)].append(r.values)
    targets = np.array([layout.index(d) for d in days])
    events = np.array([start + timedelta(days=g) in h.events for g in range(layout.size)])
    judged = {name: judge_metric(_series(c, name, layout, events), c.drop_rule(name), targets)
              for name in c.drop_metrics}
    return [_evaluate_day(c, h, day, layout.rows[layout.index(day)], judged, k) for k, day in enumerate(days)]


def _evaluate_day(c: Config, h: History, day: date, rows: list[Mapping[str, Any]], judged: dict[str, Judged],
                  k: int) -> Evaluation:
    presence = completeness.row_present(len(rows), c.daily_table.display, day)
    if len(rows) != 1:
        return Evaluation(day, (presence,), len(rows), notes=notes(c))
    values = rows[0]
    checks = [presence] + [completeness.valid_value(name, values[name], _physical(c, name))
                           for name in c.volume_metrics]
    event = h.events.get(day)
    changes = [check for name in c.drop_metrics
               for check in sanity.changes(name, judged[name], k, c.drop_rule(name), event,
                                           _shift_on(c.shifts(name), day), day)]
    if c.traffic:
        traffic_check = next(d for d in changes if d.metric == c.traffic)
        checks.append(completeness.orders_with_traffic(
            values, sanity.traffic_normal(traffic_check, c.drop_rule(c.traffic).thresholds), c.traffic))
    for model in c.attribution_models:
        for base, column, tolerance in (("orders", model.orders, 0.0),
                                        ("revenue", model.revenue, c.thresholds.revenue_tolerance)):
            checks.append(relationships.attribution_bound(model.name, column, values[column], base, values[base],
                                                          tolerance))
    checks += [relationships.coverage(model.name, model.orders, values, c.thresholds) for model in c.attribution_models]
    orders, revenue = h.facts.get(day, (0, None))
    checks += _reconciliation(c, values, orders, revenue, day)
    return Evaluation(day, tuple(checks + changes), 1, event, notes(c))


def notes(c: Config) -> tuple[str, ...]:
    """One line per part of the model the config leaves out, so a report never hides a check that did not run."""
    said = []
    if c.fact is None:
        said.append("no reconciliation: fct_orders is null in the config")
    if c.traffic is None:
        said.append("no orders_with_traffic check: metrics.traffic is null in the config")
    if not c.attribution_models:
        said.append("no attribution checks: metrics.attribution_models is empty in the config")
    return tuple(said)


def _series(c: Config, name: str, layout: _Layout, events: np.ndarray) -> Series:
    """The metric's value on each day that has exactly one row (NaN elsewhere), its events and shifts."""
    rate = next((r for r in c.rates if r.name == name), None)
    values = np.full(layout.size, np.nan)
    for g, rows in enumerate(layout.rows):
        if len(rows) == 1:
            number = _rate(rows[0], rate) if rate else as_number(rows[0][name])
            values[g] = np.nan if number is None else number
    shift_from = np.full(layout.size, -1)
    for shift in c.shifts(name):
        shift_from[max(layout.index(shift.day), 0):] = max(layout.index(shift.day), 0)
    return Series(values, events, shift_from)


def _shift_on(shifts: tuple[Shift, ...], day: date) -> Shift | None:
    """The latest accepted shift on or before `day`."""
    return next((s for s in reversed(shifts) if s.day <= day), None)


def _reconciliation(c: Config, values: Mapping[str, Any], fact_orders: Any, fact_revenue: Any,
                    day: date) -> list[CheckResult]:
    if c.fact is None:
        return []
    fact = c.fact.table.display
    orders = relationships.reconcile("orders", values["orders"], fact_orders, 0.0, f"{fact} count(*)")
    fact_rows = as_number(fact_orders)
    if fact_revenue is None and fact_rows:
        return [orders, relationships.fact_revenue_all_null(fact_rows, as_number(values["revenue"]), fact,
                                                            c.fact.revenue_column, day)]
    revenue = 0 if fact_revenue is None else fact_revenue
    return [orders, relationships.reconcile("revenue", values["revenue"], revenue, c.thresholds.revenue_tolerance,
                                            f"{fact} sum({c.fact.revenue_column})")]


def _rate(values: Mapping[str, Any], rate: Rate) -> float | None:
    num, den = as_number(values[rate.numerator]), as_number(values[rate.denominator])
    return None if num is None or not den else num / den


def _physical(c: Config, name: str) -> str:
    """Where a logical metric lives, for messages: ' (marts.kpi_daily.visits)' when that is not obvious."""
    column = c.column(name)
    if column == name and c.daily_table.display == "daily_metrics":
        return ""
    return f" ({c.daily_table.display}.{column})"
