"""Judging one day: turn Measurements into an Evaluation, every check of the three layers. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from ..config import Config, Rate
from . import completeness, relationships, sanity
from .model import CheckResult, DayRow, Evaluation, Measurements
from .statistics import as_number
from .window import baseline_days


def evaluate(m: Measurements, c: Config) -> Evaluation:
    """Every check of the three layers on the target day."""
    day = m.target_date
    today = [r for r in m.rows if r.day == day]
    presence = completeness.row_present(len(today), c.daily_table.display, day)
    if len(today) != 1:
        return Evaluation(day, (presence,), len(today))
    values = today[0].values
    checks = [presence] + [completeness.valid_value(name, values[name], _physical(c, name))
                           for name in c.volume_metrics]
    drops = _drops(m, c, values)
    events_drop = next(d for d in drops if d.metric == "events")
    checks.append(completeness.orders_with_traffic(
        values, sanity.traffic_normal(events_drop, c.drop_rule("events").thresholds)))
    for model in c.attribution_models:
        for base, column, tolerance in (("orders", model.orders, 0.0),
                                        ("revenue", model.revenue, c.thresholds.revenue_tolerance)):
            checks.append(relationships.attribution_bound(model.name, column, values[column], base, values[base],
                                                          tolerance))
    checks += [relationships.coverage(model.name, model.orders, values, c.thresholds) for model in c.attribution_models]
    checks += _reconciliation(m, c, values)
    return Evaluation(day, tuple(checks + drops), 1, m.events.get(day))


def _drops(m: Measurements, c: Config, values: Mapping[str, Any]) -> list[CheckResult]:
    by_day = _single_rows(m.rows, m.target_date)
    measures = {**{name: partial(_volume, name=name) for name in c.volume_metrics},
                **{rate.name: partial(_rate, rate=rate) for rate in c.rates}}
    drops = []
    for name, measure in measures.items():
        rule = c.drop_rule(name)
        history = baseline_days(by_day, m.target_date, rule.baseline, m.events)
        drops.append(sanity.drop(name, measure(values), [measure(v) for v in history], rule,
                                 m.events.get(m.target_date)))
    return drops


def _reconciliation(m: Measurements, c: Config, values: Mapping[str, Any]) -> list[CheckResult]:
    fact = c.fact.table.display
    orders = relationships.reconcile("orders", values["orders"], m.fact_orders, 0.0, f"{fact} count(*)")
    fact_rows = as_number(m.fact_orders)
    if m.fact_revenue is None and fact_rows:
        return [orders, relationships.fact_revenue_all_null(fact_rows, _volume(values, "revenue"), fact,
                                                            c.fact.revenue_column, m.target_date)]
    fact_revenue = 0 if m.fact_revenue is None else m.fact_revenue
    return [orders, relationships.reconcile("revenue", values["revenue"], fact_revenue, c.thresholds.revenue_tolerance,
                                            f"{fact} sum({c.fact.revenue_column})")]


def _single_rows(rows: tuple[DayRow, ...], day: date) -> dict[date, Mapping[str, Any]]:
    """Values by day, before `day`, of the days that have exactly one row."""
    by_day: dict[date, list[Mapping[str, Any]]] = {}
    for r in rows:
        if r.day < day:
            by_day.setdefault(r.day, []).append(r.values)
    return {d: found[0] for d, found in by_day.items() if len(found) == 1}


def _volume(values: Mapping[str, Any], name: str) -> float | None:
    return as_number(values[name])


def _rate(values: Mapping[str, Any], rate: Rate) -> float | None:
    num, den = as_number(values[rate.numerator]), as_number(values[rate.denominator])
    return None if num is None or not den else num / den


def _physical(c: Config, name: str) -> str:
    """Where a logical metric lives, for messages: ' (marts.kpi_daily.visits)' when that is not obvious."""
    column = c.column(name)
    if column == name and c.daily_table.display == "daily_metrics":
        return ""
    return f" ({c.daily_table.display}.{column})"
