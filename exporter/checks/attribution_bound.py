"""attribution_bound: attributed orders and revenue of each model never exceed the day's orders and revenue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..config import Config
from ..families import METRIC_VALUE
from ..judge.model import CheckName, CheckResult, Outcome, Reason
from ..judge.statistics import as_number, beyond, exact_difference
from ..numbers import fmt
from .alerting import status_alert, status_cases
from .parts import ATTRIBUTION
from .spec import Cells, Check, Day

CHECK_NAME = str(CheckName.ATTRIBUTION_BOUND)


PASSED, FAILED, INVALID = 0, 2, 3


def rule(attributed: np.ndarray, total: np.ndarray, tolerance: float, exact: Callable[[int], float]) -> np.ndarray:
    """The rule, elementwise: invalid where either is no number (3, not evaluated); attributed - total beyond the
    tolerance fails (2, decided exactly: `beyond`); else passed (0)."""
    valid = (attributed == attributed) & (total == total)  # NaN: no number
    return np.where(valid, np.where(beyond(attributed, total, tolerance, exact), FAILED, PASSED), INVALID)


def _bounds(c: Config) -> list[tuple[str, str, str, float]]:
    """(model, base, attributed column, tolerance) of each bound."""
    return [(model.name, base, column, tolerance) for model in c.attribution_models
            for base, column, tolerance in (("orders", model.orders, 0.0),
                                            ("revenue", model.revenue, c.thresholds.revenue_tolerance))]


def verdicts(cells: Cells) -> dict[tuple[str, str], np.ndarray]:
    def exact(column: str, base: str) -> Callable[[int], float]:
        return lambda i: exact_difference(cells.row(i)[column], cells.row(i)[base])

    return {(CHECK_NAME, column): rule(cells.column(column), cells.column(base), tolerance, exact(column, base))
            for _, base, column, tolerance in _bounds(cells.c)}


def attribution_bound(model: str, column: str, raw: Any, base: str, raw_base: Any, code: int) -> CheckResult:
    """Attributed <= base, money within the same tolerance as reconciliation (decided exactly), by its verdict
    `code` (`verdicts`)."""
    check = CheckName.ATTRIBUTION_BOUND
    attributed, total = as_number(raw), as_number(raw_base)
    if code == INVALID:
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           f"not evaluated: {column if attributed is None else base} is not a number", model=model,
                           reason=Reason.INVALID_INPUTS)
    assert attributed is not None and total is not None  # valid inputs
    difference = exact_difference(raw, raw_base)
    if code == FAILED:
        return CheckResult(check, column, Outcome.FAILED, f"{column} {fmt(attributed)} exceeds {base} {fmt(total)}",
                           value=attributed, expected=total, difference=difference, model=model)
    return CheckResult(check, column, Outcome.PASSED, f"{column} {fmt(attributed)} <= {base} {fmt(total)}",
                       value=attributed, expected=total, difference=difference, model=model)


def _evaluate(d: Day) -> list[CheckResult]:
    return [attribution_bound(model, column, d.values[column], base, d.values[base], d.verdict(CHECK_NAME, column))
            for model, base, column, _ in _bounds(d.c)]


CHECK = Check(
    (CheckName.ATTRIBUTION_BOUND,), "Each model's attributed orders and revenue do not exceed the day's orders and "
    "revenue (revenue within the reconciliation tolerance; CRITICAL otherwise).", _evaluate, part=ATTRIBUTION,
    verdicts=verdicts,
    gauges=lambda r: [(METRIC_VALUE, r.value, {})],
    alerts=lambda c: [status_alert(c, "DailyMetricsOverAttribution", CheckName.ATTRIBUTION_BOUND,
                                   "{{ $labels.metric }} exceeds its base",
                                   "attributed orders or revenue exceed the day's total, which is impossible.")],
    cases=lambda c: status_cases(CheckName.ATTRIBUTION_BOUND, "DailyMetricsOverAttribution",
                                 "attributed_orders_last_click"))
