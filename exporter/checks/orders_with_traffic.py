"""orders_with_traffic: orders = 0 while the traffic metric is normal means order tracking or loading broke."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..config import Thresholds
from ..judge.drop_rule import classify
from ..judge.model import CheckName, CheckResult, Outcome, Reason
from ..judge.statistics import as_number
from ..numbers import fmt
from .alerting import status_alert, status_cases
from .parts import TRAFFIC
from .spec import Check, Day


def orders_with_traffic(values: Mapping[str, Any], traffic_normal: bool, traffic: str = "events") -> CheckResult:
    """orders = 0 while the traffic metric is > 0 and did not drop: order tracking or loading broke."""
    check = CheckName.ORDERS_WITH_TRAFFIC
    orders, visits = as_number(values["orders"]), as_number(values[traffic])
    if orders is None or visits is None or orders < 0 or visits < 0:
        return CheckResult(check, "orders", Outcome.NOT_EVALUATED, f"not evaluated: orders or {traffic} invalid",
                           reason=Reason.INVALID_INPUTS)
    if orders == 0 and visits > 0 and traffic_normal:
        return CheckResult(check, "orders", Outcome.FAILED,
                           f"orders = 0 while traffic is normal ({traffic} = {fmt(visits)})", value=orders)
    why = "orders > 0" if orders > 0 else "no orders, but traffic is not normal either"
    return CheckResult(check, "orders", Outcome.PASSED, why, value=orders)


def traffic_normal(events: CheckResult, t: Thresholds) -> bool:
    """Events did not drop: too little history to tell, or a value within the drop thresholds (known events too)."""
    if events.outcome is Outcome.NOT_EVALUATED or events.z is None:
        return True
    return classify(events.z, events.frac, t, "drop") is Outcome.PASSED


def _evaluate(d: Day) -> list[CheckResult]:
    traffic = d.c.traffic
    assert traffic is not None  # the part is present
    events = next(change for change in d.changes if change.metric == traffic)
    return [orders_with_traffic(d.values, traffic_normal(events, d.c.drop_rule(traffic).thresholds), traffic)]


CHECK = Check(
    (CheckName.ORDERS_WITH_TRAFFIC,), "orders > 0 whenever the traffic metric is > 0 and did not drop (CRITICAL: "
    "no orders while traffic is normal).", _evaluate, part=TRAFFIC,
    alerts=lambda c: [status_alert(c, "DailyMetricsOrdersMissing", CheckName.ORDERS_WITH_TRAFFIC,
                                   "orders = 0 while traffic is normal",
                                   "no orders were recorded although traffic is normal: order tracking or loading "
                                   "broke.")],
    cases=lambda c: status_cases(CheckName.ORDERS_WITH_TRAFFIC, "DailyMetricsOrdersMissing", "orders"))
