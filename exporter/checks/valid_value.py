"""valid_value: every volume metric of the day is a finite, non-negative number."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..config import Config
from ..judge.model import CheckName, CheckResult, Outcome
from ..judge.statistics import as_number, not_a_number
from ..numbers import fmt
from .alerting import about, status_alert, status_cases
from .spec import Cells, Check, Day

CHECK_NAME = str(CheckName.VALID_VALUE)


def rule(value: np.ndarray) -> np.ndarray:
    """The rule, elementwise: a finite number >= 0 passes (0), anything else fails (2); NaN stands for NULL, NaN,
    infinite, text (`as_numbers`)."""
    with np.errstate(invalid="ignore"):
        return np.where(value >= 0, 0, 2)


def verdicts(cells: Cells) -> dict[tuple[str, str], np.ndarray]:
    return {(CHECK_NAME, name): rule(cells.column(name)) for name in cells.c.volume_metrics}


def valid_value(name: str, raw: Any, where: str, failed: bool) -> CheckResult:
    """A volume metric is a finite, non-negative number (`failed`: its code in `verdicts` is not OK); the message
    says why not."""
    value = as_number(raw)
    if failed:
        problem = not_a_number(raw) or f"is negative ({fmt(value or 0.0)})"
        return CheckResult(CheckName.VALID_VALUE, name, Outcome.FAILED, f"{name}{where} {problem}", value=value)
    assert value is not None  # passed: a number
    return CheckResult(CheckName.VALID_VALUE, name, Outcome.PASSED, f"{name} = {fmt(value)}", value=value)


def _evaluate(d: Day) -> list[CheckResult]:
    return [valid_value(name, d.values[name], _physical(d.c, name), d.verdict(CHECK_NAME, name) > 0)
            for name in d.c.volume_metrics]


def _physical(c: Config, name: str) -> str:
    """Where a logical metric lives, for messages: ' (marts.kpi_daily.visits)' when that is not obvious."""
    column = c.column(name)
    if column == name and c.daily_table.display == "daily_metrics":
        return ""
    return f" ({c.daily_table.display}.{column})"


CHECK = Check(
    (CheckName.VALID_VALUE,), "Each volume metric is a finite, non-negative number (CRITICAL: NULL, NaN, infinite, "
    "text or negative).", _evaluate, verdicts=verdicts,
    alerts=lambda c: [status_alert(c, "DailyMetricsInvalidValue", CheckName.VALID_VALUE,
                                   f"{about(c)} is NULL, negative or not a number",
                                   "the value is NULL, NaN, infinite, text or negative.")],
    cases=lambda c: status_cases(CheckName.VALID_VALUE, "DailyMetricsInvalidValue", "revenue"))
