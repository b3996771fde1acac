"""Layer 1, completeness: the day's row exists, its values are valid, orders come with normal traffic. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..numbers import fmt
from .model import CheckName, CheckResult, Outcome
from .statistics import as_number, not_a_number


def row_present(rows: int, table: str, day: date) -> CheckResult:
    """Exactly one row for the day: none is a missing day, several a broken grain."""
    if rows == 1:
        return CheckResult(CheckName.ROW_PRESENT, "daily_metrics", Outcome.PASSED, f"one row for {day}", value=1)
    why = f"no {table} row for {day}" if not rows else f"{rows} {table} rows for {day}: the grain is broken"
    return CheckResult(CheckName.ROW_PRESENT, "daily_metrics", Outcome.FAILED, why, value=rows)


def valid_value(name: str, raw: Any, where: str = "") -> CheckResult:
    """A volume metric is a finite, non-negative number."""
    value, problem = as_number(raw), not_a_number(raw)
    if value is not None and value < 0:
        problem = f"is negative ({fmt(value)})"
    if problem or value is None:
        return CheckResult(CheckName.VALID_VALUE, name, Outcome.FAILED, f"{name}{where} {problem}", value=value)
    return CheckResult(CheckName.VALID_VALUE, name, Outcome.PASSED, f"{name} = {fmt(value)}", value=value)


def orders_with_traffic(values: Mapping[str, Any], traffic_normal: bool, traffic: str = "events") -> CheckResult:
    """orders = 0 while the traffic metric is > 0 and did not drop: order tracking or loading broke."""
    check = CheckName.ORDERS_WITH_TRAFFIC
    orders, visits = as_number(values["orders"]), as_number(values[traffic])
    if orders is None or visits is None or orders < 0 or visits < 0:
        return CheckResult(check, "orders", Outcome.NOT_EVALUATED, f"not evaluated: orders or {traffic} invalid")
    if orders == 0 and visits > 0 and traffic_normal:
        return CheckResult(check, "orders", Outcome.FAILED,
                           f"orders = 0 while traffic is normal ({traffic} = {fmt(visits)})", value=orders)
    why = "orders > 0" if orders > 0 else "no orders, but traffic is not normal either"
    return CheckResult(check, "orders", Outcome.PASSED, why, value=orders)
