"""reconciliation: the day's orders and revenue equal what fct_orders gives (revenue within a tolerance)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..config import Config
from ..families import (
    RECONCILIATION_DAILY,
    RECONCILIATION_DIFFERENCE,
    RECONCILIATION_FACT,
    THRESHOLD_REVENUE_TOLERANCE,
)
from ..judge.model import CheckName, CheckResult, Outcome, Reason, Severity
from ..judge.statistics import as_number, exact_difference
from ..numbers import fmt, number
from .alerting import Alert, Case, query, selector
from .parts import FACT
from .spec import Check, Day


def reconcile(metric: str, raw: Any, raw_fact: Any, tolerance: float, fact_expr: str) -> CheckResult:
    """daily_metrics against the fact table's aggregate: any difference beyond `tolerance` is CRITICAL."""
    check = CheckName.RECONCILIATION
    value, fact = as_number(raw), as_number(raw_fact)
    if value is None or fact is None:
        return CheckResult(check, metric, Outcome.NOT_EVALUATED,
                           f"not evaluated: {metric} or {fact_expr} is not a number", reason=Reason.INVALID_INPUTS)
    difference = exact_difference(raw, raw_fact)
    outcome = Outcome.FAILED if abs(difference) > tolerance else Outcome.PASSED
    return CheckResult(check, metric, outcome,
                       f"{metric} {fmt(value)} vs {fact_expr} {fmt(fact)} (difference {fmt(round(difference, 4))})",
                       value=value, expected=fact, difference=difference)


def fact_revenue_all_null(fact_rows: float, value: float | None, fact_table: str, revenue_column: str,
                          day: Any) -> CheckResult:
    """Fact rows exist but every revenue is NULL: the sum is NULL, which no reconciliation can pass."""
    return CheckResult(CheckName.RECONCILIATION, "revenue", Outcome.FAILED,
                       f"{fact_table} has {fmt(fact_rows)} rows for {day} but {fact_table} sum({revenue_column}) "
                       f"is NULL: every {revenue_column} is NULL", value=value)


def _evaluate(d: Day) -> list[CheckResult]:
    """The total against the day's facts; a judged segment against its own when the segments are reconciled."""
    c, segment = d.c, d.segment
    if segment is None:
        orders, revenue = d.h.facts.get(d.day, (0, None))
    elif c.segments and c.segments.reconciled and not segment.other:
        orders, revenue = d.h.segment_facts.get((d.day, segment), (0, None))
    else:
        return []
    return _reconciliation(c, d.values, orders, revenue, d.day)


def _reconciliation(c: Config, values: Mapping[str, Any], fact_orders: Any, fact_revenue: Any,
                    day: date) -> list[CheckResult]:
    assert c.fact is not None  # the part is present
    fact = c.fact.table.display
    orders = reconcile("orders", values["orders"], fact_orders, 0.0, f"{fact} count(*)")
    fact_rows = as_number(fact_orders)
    if fact_revenue is None and fact_rows:
        return [orders, fact_revenue_all_null(fact_rows, as_number(values["revenue"]), fact,
                                              c.fact.revenue_column, day)]
    revenue = 0 if fact_revenue is None else fact_revenue
    return [orders, reconcile("revenue", values["revenue"], revenue, c.thresholds.revenue_tolerance,
                              f"{fact} sum({c.fact.revenue_column})")]


def _alerts(c: Config) -> list[Alert]:
    sel, tolerance = selector(c), number(c.thresholds.revenue_tolerance)
    return [Alert("DailyMetricsReconciliationMismatch",
                  f'abs({RECONCILIATION_DIFFERENCE}{{{sel},metric="orders"}}) > 0\nor\n'
                  f'abs({RECONCILIATION_DIFFERENCE}{{{sel},metric="revenue"}}) > {tolerance}',
                  Severity.CRITICAL, "daily_metrics {{ $labels.metric }} does not reconcile with fct_orders",
                  f"daily_metrics {{{{ $labels.metric }}}} = {query(c, RECONCILIATION_DAILY)}, fct_orders gives "
                  f"{query(c, RECONCILIATION_FACT)} "
                  f"(absolute difference {{{{ $value | printf \"%.4g\" }}}}, tolerance "
                  f"0 for orders, {tolerance} for revenue) in pipeline {{{{ $labels.pipeline }}}}.",
                  (("check", CheckName.RECONCILIATION),))]


def _cases(c: Config) -> list[Case]:
    tolerance = c.thresholds.revenue_tolerance
    return [Case("reconciliation: any order difference and revenue beyond the tolerance fire",
                 [(RECONCILIATION_DIFFERENCE, {"metric": "orders"}, 1),
                  (RECONCILIATION_DAILY, {"metric": "orders"}, 400),
                  (RECONCILIATION_FACT, {"metric": "orders"}, 399),
                  (RECONCILIATION_DIFFERENCE, {"metric": "revenue"}, -round(tolerance + 0.01, 6))],
                 {"DailyMetricsReconciliationMismatch": [{"metric": "orders", "check": CheckName.RECONCILIATION},
                                                         {"metric": "revenue", "check": CheckName.RECONCILIATION}]}),
            Case("reconciliation: revenue exactly at the tolerance does not fire",
                 [(RECONCILIATION_DIFFERENCE, {"metric": "orders"}, 0),
                  (RECONCILIATION_DIFFERENCE, {"metric": "revenue"}, tolerance)],
                 {"DailyMetricsReconciliationMismatch": []})]


def _panels(c: Config, sel: str) -> list[tuple[dict, int, int]]:
    from .panels import panel, target

    return [(panel("timeseries", title="Reconciliation difference (daily_metrics - fct_orders)", targets=[
        target(f"{RECONCILIATION_DIFFERENCE}{{{sel}}}", "{{metric}}"),
        target(f"{THRESHOLD_REVENUE_TOLERANCE}{{{sel}}}", "revenue tolerance")],
        description="Any order difference is CRITICAL; revenue beyond the tolerance is CRITICAL."), 12, 8)]


CHECK = Check(
    (CheckName.RECONCILIATION,), "daily_metrics orders equal fct_orders count(*), revenue equals sum(revenue) within "
    "`thresholds.reconciliation_revenue_tolerance` (CRITICAL otherwise; per judged segment with "
    "`segments.fact_columns`).", _evaluate, part=FACT,
    gauges=lambda r: [(RECONCILIATION_DAILY, r.value, {}), (RECONCILIATION_FACT, r.expected, {}),
                      (RECONCILIATION_DIFFERENCE, r.difference, {})],
    alerts=_alerts, cases=_cases, panels=_panels,
    thresholds=lambda c, _: [(THRESHOLD_REVENUE_TOLERANCE, c.thresholds.revenue_tolerance, {})])
