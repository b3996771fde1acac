"""Judging days: turn what was read into Evaluations, every check of the three layers. Pure, no I/O.

`evaluate_days` is the one judgement: `check` is the backtest of its one day. The rows are laid out as one
series per metric over consecutive days, and each metric's drops and spikes are judged for all the days at
once (judge/trust.py); the row and relationship checks are judged day by day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..config import Config, Shift
from . import completeness, relationships, sanity
from .contributions import contributions
from .layout import Layout, day_events, lay_out, series
from .model import CheckResult, Evaluation, History, Measurements, Segment
from .statistics import as_number
from .trust import Judged, judge_metric


def evaluate(m: Measurements, c: Config) -> Evaluation:
    """Every check of the three layers on the target day; what the config leaves out is said in `notes`."""
    return evaluate_days(m.history, c, [m.target_date])[0]


def evaluate_days(h: History, c: Config, days: Sequence[date]) -> list[Evaluation]:
    """Every check on each of `days`, from one read of the history (the rows from the first day's lookback on)."""
    return list(iter_days(h, c, days))


def iter_days(h: History, c: Config, days: Sequence[date]) -> Iterator[Evaluation]:
    """The same, one day at a time: every metric is judged on every day at once first (NumPy), then each day's
    checks are built when asked for."""
    layout = lay_out(h, c, min(days) - timedelta(days=c.lookback), max(days))
    local = np.array([layout.index(d) for d in days])
    targets = np.concatenate([b * layout.size + local for b in range(len(layout.blocks))])
    events = day_events(h, layout)
    rules = {name: sanity.judging(c.drop_rule(name)) for name in c.drop_metrics}
    j = _Judgement(c, h, layout, {name: judge_metric(series(c, name, layout, events), rules[name].rule, targets)
                                  for name in c.drop_metrics}, rules, {name: c.shifts(name) for name in rules})
    for k, day in enumerate(days):
        stats = {name: judged.at(slice(k, None, len(days))) for name, judged in j.judged.items()}
        parts = [_evaluate_day(j, day, b, {name: rows[b] for name, rows in stats.items()})
                 for b in range(len(layout.blocks))]
        yield _whole(c, parts) if c.segments else parts[0]


@dataclass(frozen=True)
class _Judgement:
    """What every day's checks read: the config, the history, its layout, each metric judged, rules and shifts."""

    c: Config
    h: History
    layout: Layout
    judged: dict[str, Judged]
    rules: dict[str, sanity.Judging]
    shifts: dict[str, tuple[Shift, ...]]


def _whole(c: Config, parts: list[Evaluation]) -> Evaluation:
    """The total's evaluation with every segment's checks after its own, and the contributions to its drops."""
    checks = tuple(check for part in parts for check in part.checks)
    total = parts[0]
    return replace(total, checks=checks, segmented=True, contributions=contributions(c, checks))


def _evaluate_day(j: _Judgement, day: date, b: int, stats: dict[str, tuple]) -> Evaluation:
    c, h, layout = j.c, j.h, j.layout
    segment, rows = layout.blocks[b], layout.rows[b][layout.index(day)]
    checks = _day_checks(j, day, rows, stats, segment, len(rows) == 1 and rows[0] is layout.zero)
    for check in checks if segment is not None else ():  # fresh objects, not yet shared: tagged in place
        object.__setattr__(check, "segment", segment)  # (dataclasses.replace costs 10 us a check)
    return Evaluation(day, tuple(checks), len(rows), h.events.get(day) if len(rows) == 1 else None, notes(c))


def _day_checks(j: _Judgement, day: date, rows: list[Mapping[str, Any]], stats: dict[str, tuple],
                segment: Segment | None, vanished: bool) -> list[CheckResult]:
    """The day's checks of one block: a judged segment without a row that day has none (no history yet, or the
    whole day is missing: the total's row_present says so), and one without a row since is judged as 0."""
    if segment is not None and not rows:
        return []
    c, h = j.c, j.h
    if segment is None or len(rows) > 1:
        presence = completeness.row_present(len(rows), _table(c, segment), day)
        if len(rows) != 1:
            return [presence]
    values = rows[0]
    checks = [] if segment is not None else [presence]
    if not vanished:
        checks += [completeness.valid_value(name, values[name], _physical(c, name)) for name in c.volume_metrics]
    event = h.events.get(day)
    changes = [check for name in c.drop_metrics
               for check in sanity.changes(name, stats[name], j.rules[name], event,
                                           _shift_on(j.shifts[name], day), day)]
    if vanished:  # no row: its volume metrics dropped to 0; its rates and attribution are undefined, not judged
        return [check for check in changes if check.metric in c.volume_metrics]
    if c.traffic:
        traffic_check = next(d for d in changes if d.metric == c.traffic)
        checks.append(completeness.orders_with_traffic(
            values, sanity.traffic_normal(traffic_check, j.rules[c.traffic].rule.thresholds), c.traffic))
    for model in c.attribution_models:
        for base, column, tolerance in (("orders", model.orders, 0.0),
                                        ("revenue", model.revenue, c.thresholds.revenue_tolerance)):
            checks.append(relationships.attribution_bound(model.name, column, values[column], base, values[base],
                                                          tolerance))
    checks += [relationships.coverage(model.name, model.orders, values, c.thresholds) for model in c.attribution_models]
    if segment is None:
        orders, revenue = h.facts.get(day, (0, None))
        checks += _reconciliation(c, values, orders, revenue, day)
    elif c.segments and c.segments.reconciled and not segment.other:
        orders, revenue = h.segment_facts.get((day, segment), (0, None))
        checks += _reconciliation(c, values, orders, revenue, day)
    return checks + changes


def _table(c: Config, segment: Segment | None) -> str:
    return c.daily_table.display if segment is None else f"{c.daily_table.display} [{segment.label}]"


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


def _physical(c: Config, name: str) -> str:
    """Where a logical metric lives, for messages: ' (marts.kpi_daily.visits)' when that is not obvious."""
    column = c.column(name)
    if column == name and c.daily_table.display == "daily_metrics":
        return ""
    return f" ({c.daily_table.display}.{column})"
