"""Layer 2, relationships: attribution within its bounds and coverage, reconciliation with fct_orders. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..config import Thresholds
from ..numbers import fmt
from .model import CheckName, CheckResult, Outcome
from .statistics import as_number, exact_difference


def attribution_bound(model: str, column: str, raw: Any, base: str, raw_base: Any, tolerance: float) -> CheckResult:
    """Attributed <= base, money within the same tolerance as reconciliation (exact decimal arithmetic)."""
    check = CheckName.ATTRIBUTION_BOUND
    attributed, total = as_number(raw), as_number(raw_base)
    if attributed is None or total is None:
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           f"not evaluated: {column if attributed is None else base} is not a number", model=model)
    difference = exact_difference(raw, raw_base)
    if difference > tolerance:
        return CheckResult(check, column, Outcome.FAILED, f"{column} {fmt(attributed)} exceeds {base} {fmt(total)}",
                           value=attributed, expected=total, difference=difference, model=model)
    return CheckResult(check, column, Outcome.PASSED, f"{column} {fmt(attributed)} <= {base} {fmt(total)}",
                       value=attributed, expected=total, difference=difference, model=model)


def coverage(model: str, column: str, values: Mapping[str, Any], t: Thresholds) -> CheckResult:
    """Attributed orders / orders at or above the minimum, else WARN."""
    check = CheckName.ATTRIBUTION_COVERAGE
    attributed, orders = as_number(values[column]), as_number(values["orders"])
    if attributed is None or orders is None or orders <= 0:
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           "not evaluated: needs orders > 0 and attributed orders", model=model)
    ratio = attributed / orders
    if not math.isfinite(ratio):  # orders so small that the division overflows
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           "not evaluated: the coverage is not finite (values too large to compare)", model=model)
    outcome = Outcome.WARNED if ratio < t.coverage_min else Outcome.PASSED
    relation = "below" if outcome is Outcome.WARNED else "at or above"
    return CheckResult(check, column, outcome, f"{model} coverage {ratio:.1%} {relation} minimum {t.coverage_min:.0%}",
                       value=attributed, coverage=ratio, model=model)


def reconcile(metric: str, raw: Any, raw_fact: Any, tolerance: float, fact_expr: str) -> CheckResult:
    """daily_metrics against the fact table's aggregate: any difference beyond `tolerance` is CRITICAL."""
    check = CheckName.RECONCILIATION
    value, fact = as_number(raw), as_number(raw_fact)
    if value is None or fact is None:
        return CheckResult(check, metric, Outcome.NOT_EVALUATED,
                           f"not evaluated: {metric} or {fact_expr} is not a number")
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
