"""orders_with_traffic: orders = 0 while the traffic metric is normal means order tracking or loading broke."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..judge.drop_rule import codes as drop_codes
from ..judge.model import CheckName, CheckResult, Outcome, Reason
from ..judge.statistics import as_number
from ..numbers import fmt
from . import change
from .alerting import status_alert, status_cases
from .parts import TRAFFIC
from .spec import Cells, Check, Day

CHECK_NAME = str(CheckName.ORDERS_WITH_TRAFFIC)


PASSED, FAILED, INVALID = 0, 2, 3


def rule(orders: np.ndarray, visits: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The rule, elementwise: inputs not numbers >= 0 are invalid (3, not evaluated); orders = 0 while visits > 0
    and traffic is normal fails (2); else passes (0)."""
    with np.errstate(invalid="ignore"):
        valid = (orders >= 0) & (visits >= 0)
        return np.where(valid, np.where((orders == 0) & (visits > 0) & normal, FAILED, PASSED), INVALID)


def normal(cells: Cells, traffic: str) -> np.ndarray:
    """Traffic is normal where its first judged direction could not judge it (too little history to tell) or its
    statistics do not cross a drop level (known events too)."""
    judged, codes = cells.changes[traffic]
    first = next(iter(codes.values()))
    rule_ = cells.c.drop_rule(traffic)
    return (first >= change.UNDEFINED) | (drop_codes(judged.z, judged.frac, rule_.thresholds, "drop") == 0)


def verdicts(cells: Cells) -> dict[tuple[str, str], np.ndarray]:
    traffic = cells.c.traffic
    assert traffic is not None  # the part is present
    return {(CHECK_NAME, "orders"): rule(cells.column("orders"), cells.column(traffic), normal(cells, traffic))}


def orders_with_traffic(values: Mapping[str, Any], traffic: str, code: int) -> CheckResult:
    """orders = 0 while the traffic metric is > 0 and did not drop, by its verdict `code` (`verdicts`): order
    tracking or loading broke."""
    check = CheckName.ORDERS_WITH_TRAFFIC
    orders, visits = as_number(values["orders"]), as_number(values[traffic])
    if code == INVALID:
        return CheckResult(check, "orders", Outcome.NOT_EVALUATED, f"not evaluated: orders or {traffic} invalid",
                           reason=Reason.INVALID_INPUTS)
    assert orders is not None and visits is not None  # valid inputs
    if code == FAILED:
        return CheckResult(check, "orders", Outcome.FAILED,
                           f"orders = 0 while traffic is normal ({traffic} = {fmt(visits)})", value=orders)
    why = "orders > 0" if orders else "no orders, but traffic is not normal either"
    return CheckResult(check, "orders", Outcome.PASSED, why, value=orders)


def _evaluate(d: Day) -> list[CheckResult]:
    traffic = d.c.traffic
    assert traffic is not None  # the part is present
    return [orders_with_traffic(d.values, traffic, d.verdict(CHECK_NAME, "orders"))]


CHECK = Check(
    (CheckName.ORDERS_WITH_TRAFFIC,), "orders > 0 whenever the traffic metric is > 0 and did not drop (CRITICAL: "
    "no orders while traffic is normal).", _evaluate, part=TRAFFIC, verdicts=verdicts,
    alerts=lambda c: [status_alert(c, "DailyMetricsOrdersMissing", CheckName.ORDERS_WITH_TRAFFIC,
                                   "orders = 0 while traffic is normal",
                                   "no orders were recorded although traffic is normal: order tracking or loading "
                                   "broke.")],
    cases=lambda c: status_cases(CheckName.ORDERS_WITH_TRAFFIC, "DailyMetricsOrdersMissing", "orders"))
