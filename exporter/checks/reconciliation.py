"""reconciliation: the day's orders and revenue equal what fct_orders gives (revenue within a tolerance)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from ..config import Config
from ..families import (
    RECONCILIATION_DAILY,
    RECONCILIATION_DIFFERENCE,
    RECONCILIATION_FACT,
    THRESHOLD_REVENUE_TOLERANCE,
)
from ..judge.model import CheckName, CheckResult, History, Outcome, Reason, Segment, Severity
from ..judge.statistics import as_number, as_numbers, beyond, exact_difference
from ..numbers import fmt, number
from .alerting import Alert, Case, query, selector
from .parts import FACT
from .spec import Cells, Check, Day

CHECK_NAME = str(CheckName.RECONCILIATION)


PASSED, FAILED, INVALID, ALL_NULL = 0, 2, 3, 4


def rule(value: np.ndarray, fact: np.ndarray, tolerance: float, exact: Callable[[int], float]) -> np.ndarray:
    """The rule, elementwise: invalid where either is no number (3, not evaluated); |value - fact| beyond the
    tolerance fails (2, decided exactly: `beyond`); else passed (0)."""
    valid = (value == value) & (fact == fact)  # NaN: no number
    return np.where(valid, np.where(beyond(value, fact, tolerance, exact, absolute=True), FAILED, PASSED), INVALID)


def _facts(cells: Cells, i: int) -> tuple[Any, Any]:
    facts = cells.facts(i)
    assert facts is not None  # a reconciled cell
    return facts


def verdicts(cells: Cells) -> dict[tuple[str, str], np.ndarray]:
    """Orders and revenue of every reconciled cell (the total, judged segments with segments.fact_columns); the
    others pass (they have no reconciliation)."""
    n = len(cells.numbers)
    facts = [cells.facts(i) for i in range(n)]
    reconciled = np.array([f is not None for f in facts], dtype=bool)
    fact_orders = as_numbers([f[0] if f else None for f in facts])  # None: no number, never compared
    null = np.array([f is not None and f[1] is None for f in facts], dtype=bool)
    fact_revenue = as_numbers([None if f is None else 0 if f[1] is None else f[1] for f in facts])

    def exact(metric: str, k: int) -> Callable[[int], float]:
        return lambda i: exact_difference(cells.row(i)[metric], _facts(cells, i)[k] or 0)

    orders = rule(cells.column("orders"), fact_orders, 0.0, exact("orders", 0))
    revenue = rule(cells.column("revenue"), fact_revenue, cells.c.thresholds.revenue_tolerance, exact("revenue", 1))
    all_null = null & (fact_orders == fact_orders) & (fact_orders != 0)  # fact rows, every revenue NULL
    return {(CHECK_NAME, "orders"): np.where(reconciled, orders, PASSED),
            (CHECK_NAME, "revenue"): np.where(reconciled, np.where(all_null, ALL_NULL, revenue), PASSED)}


def reconcile(metric: str, raw: Any, raw_fact: Any, fact_expr: str, code: int) -> CheckResult:
    """daily_metrics against the fact table's aggregate, by its verdict `code` (`verdicts`: any difference beyond
    the tolerance is CRITICAL)."""
    check = CheckName.RECONCILIATION
    value, fact = as_number(raw), as_number(raw_fact)
    if code == INVALID:
        return CheckResult(check, metric, Outcome.NOT_EVALUATED,
                           f"not evaluated: {metric} or {fact_expr} is not a number", reason=Reason.INVALID_INPUTS)
    assert value is not None and fact is not None  # valid inputs
    difference = exact_difference(raw, raw_fact)
    outcome = Outcome.FAILED if code == FAILED else Outcome.PASSED
    return CheckResult(check, metric, outcome,
                       f"{metric} {fmt(value)} vs {fact_expr} {fmt(fact)} (difference {fmt(round(difference, 4))})",
                       value=value, expected=fact, difference=difference)


def fact_revenue_all_null(fact_rows: float, value: float | None, fact_table: str, revenue_column: str,
                          day: Any) -> CheckResult:
    """Fact rows exist but every revenue is NULL: the sum is NULL, which no reconciliation can pass."""
    return CheckResult(CheckName.RECONCILIATION, "revenue", Outcome.FAILED,
                       f"{fact_table} has {fmt(fact_rows)} rows for {day} but {fact_table} sum({revenue_column}) "
                       f"is NULL: every {revenue_column} is NULL", value=value)


def facts(c: Config, h: History, day: date, segment: Segment | None) -> tuple[Any, Any] | None:
    """The fct_orders (count, sum) a block's day is reconciled with: the total's, a judged segment's when the
    segments are reconciled, else None (no reconciliation; nor before the history's first day, whose facts were
    not read: the days a check judges before its own)."""
    if day < h.first:
        return None
    if segment is None:
        return h.facts.get(day, (0, None))
    if c.segments and c.segments.reconciled and not segment.other:
        return h.segment_facts.get((day, segment), (0, None))
    return None


def _evaluate(d: Day) -> list[CheckResult]:
    """The total against the day's facts; a judged segment against its own when the segments are reconciled."""
    found = facts(d.c, d.h, d.day, d.segment)
    if found is None:
        return []
    c, (orders, revenue) = d.c, found
    assert c.fact is not None  # the part is present
    fact = c.fact.table.display
    checks = [reconcile("orders", d.values["orders"], orders, f"{fact} count(*)", d.verdict(CHECK_NAME, "orders"))]
    if d.verdict(CHECK_NAME, "revenue") == ALL_NULL:
        return [*checks, fact_revenue_all_null(as_number(orders) or 0.0, as_number(d.values["revenue"]), fact,
                                               c.fact.revenue_column, d.day)]
    return [*checks, reconcile("revenue", d.values["revenue"], 0 if revenue is None else revenue,
                               f"{fact} sum({c.fact.revenue_column})", d.verdict(CHECK_NAME, "revenue"))]


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
    "`segments.fact_columns`).", _evaluate, part=FACT, verdicts=verdicts,
    gauges=lambda r: [(RECONCILIATION_DAILY, r.value, {}), (RECONCILIATION_FACT, r.expected, {}),
                      (RECONCILIATION_DIFFERENCE, r.difference, {})],
    alerts=_alerts, cases=_cases, panels=_panels,
    thresholds=lambda c, _: [(THRESHOLD_REVENUE_TOLERANCE, c.thresholds.revenue_tolerance, {})])
