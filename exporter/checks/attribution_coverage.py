"""attribution_coverage: each model attributes at least the minimum share of the day's orders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..config import Config, Thresholds
from ..families import COVERAGE, THRESHOLD_COVERAGE_MIN
from ..judge.model import CheckName, CheckResult, Outcome, Reason, Severity
from ..judge.statistics import as_number
from ..numbers import number
from .alerting import Alert, Case, selector
from .parts import ATTRIBUTION
from .spec import Cells, Check, Day

CHECK_NAME = str(CheckName.ATTRIBUTION_COVERAGE)


PASSED, WARNED, INVALID, NOT_FINITE = 0, 1, 3, 4


def rule(attributed: np.ndarray, orders: np.ndarray, minimum: float) -> tuple[np.ndarray, np.ndarray]:
    """The rule, elementwise: (code, coverage). Inputs invalid without attributed orders and orders > 0 (3); the
    coverage not finite where the division overflows (4); below the minimum WARN (1); else passed (0)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        valid = (attributed == attributed) & (orders > 0)  # NaN: no number
        ratio = np.where(valid, attributed / np.where(valid, orders, 1.0), np.nan)
        code = np.where(ratio < minimum, WARNED, PASSED)
    return np.where(valid, np.where(np.isfinite(ratio), code, NOT_FINITE), INVALID), ratio


def verdicts(cells: Cells) -> dict[tuple[str, str], np.ndarray]:
    minimum, orders = cells.c.thresholds.coverage_min, cells.column("orders")
    return {(CHECK_NAME, m.orders): rule(cells.column(m.orders), orders, minimum)[0]
            for m in cells.c.attribution_models}


def coverage(model: str, column: str, values: Mapping[str, Any], t: Thresholds, code: int) -> CheckResult:
    """Attributed orders / orders at or above the minimum, else WARN, by its verdict `code` (`verdicts`)."""
    check = CheckName.ATTRIBUTION_COVERAGE
    attributed, orders = as_number(values[column]), as_number(values["orders"])
    if code == INVALID:
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           "not evaluated: needs orders > 0 and attributed orders", model=model,
                           reason=Reason.INVALID_INPUTS)
    if code == NOT_FINITE:  # orders so small that the division overflows
        return CheckResult(check, column, Outcome.NOT_EVALUATED,
                           "not evaluated: the coverage is not finite (values too large to compare)", model=model,
                           reason=Reason.NOT_FINITE)
    assert attributed is not None and orders is not None  # valid inputs
    ratio = attributed / orders
    outcome = Outcome.WARNED if code == WARNED else Outcome.PASSED
    relation = "below" if outcome is Outcome.WARNED else "at or above"
    return CheckResult(check, column, outcome, f"{model} coverage {ratio:.1%} {relation} minimum {t.coverage_min:.0%}",
                       value=attributed, coverage=ratio, model=model)


def _evaluate(d: Day) -> list[CheckResult]:
    return [coverage(model.name, model.orders, d.values, d.c.thresholds, d.verdict(CHECK_NAME, model.orders))
            for model in d.c.attribution_models]


def _alerts(c: Config) -> list[Alert]:
    return [Alert("DailyMetricsAttributionCoverageLow",
                  f"{COVERAGE}{{{selector(c)}}} < {number(c.thresholds.coverage_min)}", Severity.WARN,
                  "{{ $labels.model }} attribution coverage collapsed",
                  f"{{{{ $labels.model }}}} attribution covers {{{{ $value | humanizePercentage }}}} of orders in "
                  f"pipeline {{{{ $labels.pipeline }}}} (minimum {number(c.thresholds.coverage_min)} of orders).",
                  (("check", CheckName.ATTRIBUTION_COVERAGE),))]


def _cases(c: Config) -> list[Case]:
    labels = {"model": "first_click", "metric": "attributed_orders_first_click"}
    return [Case("coverage below its minimum fires",
                 [(COVERAGE, labels, round(c.thresholds.coverage_min - 0.01, 6))],
                 {"DailyMetricsAttributionCoverageLow": [{**labels, "check": CheckName.ATTRIBUTION_COVERAGE}]}),
            Case("coverage exactly at its minimum does not fire", [(COVERAGE, labels, c.thresholds.coverage_min)],
                 {"DailyMetricsAttributionCoverageLow": []})]


def _panels(c: Config, sel: str) -> list[tuple[dict, int, int]]:
    from .panels import panel, target

    return [(panel("timeseries", title="Attribution coverage", targets=[
        target(f"{COVERAGE}{{{sel}}}", "{{model}}"), target(f"{THRESHOLD_COVERAGE_MIN}{{{sel}}}", "minimum")],
        description="Attributed orders / orders per model; WARN below the minimum.", unit="percentunit"), 12, 8)]


CHECK = Check(
    (CheckName.ATTRIBUTION_COVERAGE,), "Each model's attributed orders / orders is at least "
    "`thresholds.attribution_coverage_min` (WARN below).", _evaluate, part=ATTRIBUTION, verdicts=verdicts,
    gauges=lambda r: [(COVERAGE, r.coverage, {"model": r.model or ""})], alerts=_alerts, cases=_cases,
    panels=_panels, thresholds=lambda c, _: [(THRESHOLD_COVERAGE_MIN, c.thresholds.coverage_min, {})])
