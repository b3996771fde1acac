"""valid_value: every volume metric of the day is a finite, non-negative number."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..judge.model import CheckName, CheckResult, Outcome
from ..judge.statistics import as_number, not_a_number
from ..numbers import fmt
from .alerting import about, status_alert, status_cases
from .spec import Check, Day


def valid_value(name: str, raw: Any, where: str = "") -> CheckResult:
    """A volume metric is a finite, non-negative number."""
    value, problem = as_number(raw), not_a_number(raw)
    if value is not None and value < 0:
        problem = f"is negative ({fmt(value)})"
    if problem or value is None:
        return CheckResult(CheckName.VALID_VALUE, name, Outcome.FAILED, f"{name}{where} {problem}", value=value)
    return CheckResult(CheckName.VALID_VALUE, name, Outcome.PASSED, f"{name} = {fmt(value)}", value=value)


def _evaluate(d: Day) -> list[CheckResult]:
    return [valid_value(name, d.values[name], _physical(d.c, name)) for name in d.c.volume_metrics]


def _physical(c: Config, name: str) -> str:
    """Where a logical metric lives, for messages: ' (marts.kpi_daily.visits)' when that is not obvious."""
    column = c.column(name)
    if column == name and c.daily_table.display == "daily_metrics":
        return ""
    return f" ({c.daily_table.display}.{column})"


CHECK = Check(
    (CheckName.VALID_VALUE,), "Each volume metric is a finite, non-negative number (CRITICAL: NULL, NaN, infinite, "
    "text or negative).", _evaluate,
    alerts=lambda c: [status_alert(c, "DailyMetricsInvalidValue", CheckName.VALID_VALUE,
                                   f"{about(c)} is NULL, negative or not a number",
                                   "the value is NULL, NaN, infinite, text or negative.")],
    cases=lambda c: status_cases(CheckName.VALID_VALUE, "DailyMetricsInvalidValue", "revenue"))
