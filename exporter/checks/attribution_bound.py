"""attribution_bound: attributed orders and revenue of each model never exceed the day's orders and revenue."""

from __future__ import annotations

from typing import Any

from ..families import METRIC_VALUE
from ..judge.model import CheckName, CheckResult, Outcome, Reason
from ..judge.statistics import as_number, exact_difference
from ..numbers import fmt
from .alerting import status_alert, status_cases
from .parts import ATTRIBUTION
from .spec import Check, Day


def attribution_bound(model: str, column: str, raw: Any, base: str, raw_base: Any, tolerance: float) -> CheckResult:
    """Attributed <= base, money within the same tolerance as reconciliation (exact decimal arithmetic)."""
    check = CheckName.ATTRIBUTION_BOUND
    attributed, total = as_number(raw), as_number(raw_base)
    if attributed is None or total is None:
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           f"not evaluated: {column if attributed is None else base} is not a number", model=model,
                           reason=Reason.INVALID_INPUTS)
    difference = exact_difference(raw, raw_base)
    if difference > tolerance:
        return CheckResult(check, column, Outcome.FAILED, f"{column} {fmt(attributed)} exceeds {base} {fmt(total)}",
                           value=attributed, expected=total, difference=difference, model=model)
    return CheckResult(check, column, Outcome.PASSED, f"{column} {fmt(attributed)} <= {base} {fmt(total)}",
                       value=attributed, expected=total, difference=difference, model=model)


def _evaluate(d: Day) -> list[CheckResult]:
    c, v = d.c, d.values
    return [attribution_bound(model.name, column, v[column], base, v[base], tolerance)
            for model in c.attribution_models
            for base, column, tolerance in (("orders", model.orders, 0.0),
                                            ("revenue", model.revenue, c.thresholds.revenue_tolerance))]


CHECK = Check(
    (CheckName.ATTRIBUTION_BOUND,), "Each model's attributed orders and revenue do not exceed the day's orders and "
    "revenue (revenue within the reconciliation tolerance; CRITICAL otherwise).", _evaluate, part=ATTRIBUTION,
    gauges=lambda r: [(METRIC_VALUE, r.value, {})],
    alerts=lambda c: [status_alert(c, "DailyMetricsOverAttribution", CheckName.ATTRIBUTION_BOUND,
                                   "{{ $labels.metric }} exceeds its base",
                                   "attributed orders or revenue exceed the day's total, which is impossible.")],
    cases=lambda c: status_cases(CheckName.ATTRIBUTION_BOUND, "DailyMetricsOverAttribution",
                                 "attributed_orders_last_click"))
