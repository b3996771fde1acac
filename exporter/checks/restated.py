"""restated: did D-1 .. D-restatement.days change since the results ledger judged them?"""

from __future__ import annotations

from ..config import Config
from ..families import RESTATEMENTS
from ..judge.model import CheckName, CheckResult, Severity
from ..judge.restatement import restated
from ..numbers import number
from .alerting import Alert, Case, selector
from .spec import Check, Day


def _evaluate(d: Day) -> list[CheckResult]:
    """The total's, on the judged day of a check that read the ledger (a backtest reads none)."""
    if d.segment is not None or d.h.ledger is None or d.day != d.h.last:
        return []
    return list(restated(d.day, d.h.rows, d.h.ledger.stored, d.c, d.h.ledger.error))


def _alerts(c: Config) -> list[Alert]:
    return [Alert("DailyMetricsRestated", f"{RESTATEMENTS}{{{selector(c)}}} > 0", Severity.WARN,
                  "{{ $labels.metric }} of an already judged day changed",
                  f"{{{{ $value }}}} of the previous {c.restatement.days} days of {{{{ $labels.metric }}}} changed by "
                  f"more than {number(c.restatement.tolerance * 100)} % since they were judged in pipeline "
                  "{{ $labels.pipeline }}: dashboards and reports built on the old numbers are out of date. The job's "
                  "report names each day with its old and new value.",
                  (("check", CheckName.RESTATED),))]


def _cases(c: Config) -> list[Case]:
    return [Case("a restated day fires", [(RESTATEMENTS, {"metric": "revenue"}, 1)],
                 {"DailyMetricsRestated": [{"check": CheckName.RESTATED, "metric": "revenue"}]}),
            Case("no restated day does not fire", [(RESTATEMENTS, {"metric": "revenue"}, 0)],
                 {"DailyMetricsRestated": []})]


CHECK = Check(
    (CheckName.RESTATED,), "Each volume metric of the previous `restatement.days` days still has the value the "
    "ledger stored when it was judged, within `restatement.tolerance` (WARN per changed day).", _evaluate,
    alerts=_alerts, cases=_cases)
