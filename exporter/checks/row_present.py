"""row_present: exactly one daily_metrics row for the day; none is a missing day, several a broken grain."""

from __future__ import annotations

from datetime import date

from ..config import Config
from ..families import DAILY_ROWS
from ..judge.model import CheckName, CheckResult, Outcome, Segment, Severity
from .alerting import Alert, Case, selector
from .spec import Check, Day


def row_present(rows: int, table: str, day: date) -> CheckResult:
    """Exactly one row for the day: none is a missing day, several a broken grain."""
    if rows == 1:
        return CheckResult(CheckName.ROW_PRESENT, "daily_metrics", Outcome.PASSED, f"one row for {day}", value=1)
    why = f"no {table} row for {day}" if not rows else f"{rows} {table} rows for {day}: the grain is broken"
    return CheckResult(CheckName.ROW_PRESENT, "daily_metrics", Outcome.FAILED, why, value=rows)


def _evaluate(d: Day) -> list[CheckResult]:
    """The total's row; a judged segment's only when it has several (none: judged as vanished, or no history)."""
    if d.segment is not None and d.rows == 1:
        return []
    return [row_present(d.rows, _table(d.c, d.segment), d.day)]


def _table(c: Config, segment: Segment | None) -> str:
    return c.daily_table.display if segment is None else f"{c.daily_table.display} [{segment.label}]"


def _alerts(c: Config) -> list[Alert]:
    return [Alert("DailyMetricsRowMissing", f"{DAILY_ROWS}{{{selector(c)}}} != 1", Severity.CRITICAL,
                  "daily_metrics has {{ $value }} rows for the day",
                  "daily_metrics holds {{ $value }} rows for the target day in pipeline {{ $labels.pipeline }} "
                  "(exactly 1 expected): the day is missing or its grain is broken.",
                  (("check", CheckName.ROW_PRESENT), ("metric", "daily_metrics")))]


def _cases(c: Config) -> list[Case]:
    return [Case("no row or two rows fire", [(DAILY_ROWS, {}, 0)],
                 {"DailyMetricsRowMissing": [{"check": CheckName.ROW_PRESENT, "metric": "daily_metrics"}]}),
            Case("one row does not fire", [(DAILY_ROWS, {}, 1)], {"DailyMetricsRowMissing": []})]


CHECK = Check((CheckName.ROW_PRESENT,), "Exactly one daily_metrics row for the day (CRITICAL: none, or several).",
              _evaluate, alerts=_alerts, cases=_cases)
