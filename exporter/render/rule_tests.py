"""promtool unit tests for the rendered rules: a firing and a not-firing case per alert, at the boundaries."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..checks import spec_of
from ..checks.alerting import Alert, Case, runbook_annotation
from ..config import Config
from ..families import (
    BASELINE_SIZE,
    CHECK_EVALUATED,
    CHECK_STATUS,
    COVERAGE,
    DAILY_ROWS,
    DATA_DATE,
    FRACTION,
    LAST_RUN,
    PUSH_TIME,
    RECONCILIATION_DIFFERENCE,
    RESTATEMENTS,
    UP,
)
from ..judge.model import CheckName
from .rules import RUNBOOK, alerts

DAY = 1795564800
"""2026-11-25 00:00 UTC: the data day of the cases that push one (their data_date annotation)."""


def cases(c: Config) -> list[Case]:
    """Each check's cases in the order of the runbook (its thresholds where the config overrides them), then the
    run's own."""
    return [case for name in RUNBOOK for case in (spec_of(name).cases(c) if name else _not_evaluated())] + \
        _run_cases(c)


def _not_evaluated() -> list[Case]:
    return [Case("a check that could not be evaluated fires",
                 [(CHECK_EVALUATED, {"check": CheckName.RECONCILIATION, "metric": "revenue"}, 0),
                  (CHECK_EVALUATED, {"check": CheckName.DROP, "metric": "revenue"}, 1)],
                 {"DailyMetricsCheckNotEvaluated": [{"check": CheckName.RECONCILIATION, "metric": "revenue"}]})]


def _run_cases(c: Config) -> list[Case]:
    a = c.alerting
    return [
        Case("the job could not evaluate", [(UP, {}, 0)], {"DailyMetricsMonitorDown": [{}]}),
        Case("the job evaluated", [(UP, {}, 1)], {"DailyMetricsMonitorDown": []}),
        Case("no push for just over the warning age", [(PUSH_TIME, {}, 0)],
             {"DailyMetricsMonitorNotRun": [{}], "DailyMetricsMonitorNotRunCritical": []},
             eval_minutes=int(a.not_run_warning_hours * 60) + 1),
        Case("a push exactly at the warning age does not fire", [(PUSH_TIME, {}, 0)],
             {"DailyMetricsMonitorNotRun": []}, eval_minutes=int(a.not_run_warning_hours * 60)),
        Case("no push for just over the critical age", [(PUSH_TIME, {}, 0)],
             {"DailyMetricsMonitorNotRunCritical": [{}]}, eval_minutes=int(a.not_run_critical_hours * 60) + 1),
        Case("a gateway without our group is quiet until its 'for' has passed", [(UP, {}, 1)],
             {"DailyMetricsMonitorAbsent": []}, eval_minutes=int(a.absent_for_minutes) - 1, absent_series=True),
        Case("a gateway without our group fires after its 'for'", [(UP, {}, 1)],
             {"DailyMetricsMonitorAbsent": [{}]}, eval_minutes=int(a.absent_for_minutes) + 1, absent_series=True),
        Case("a gateway with our group does not fire", [(PUSH_TIME, {}, 0)],
             {"DailyMetricsMonitorAbsent": []}, eval_minutes=int(a.absent_for_minutes) + 1),
        Case("a day older than the maximum lag fires",
             [(LAST_RUN, {}, DAY + a.data_lag_max_hours * 3600 + 60), (DATA_DATE, {}, DAY)],
             {"DailyMetricsStaleData": [{}]}),
        Case("a day exactly at the maximum lag does not fire",
             [(LAST_RUN, {}, DAY + a.data_lag_max_hours * 3600), (DATA_DATE, {}, DAY)],
             {"DailyMetricsStaleData": []}),
    ]


def test_file(c: Config, rule_path: str) -> dict:
    """The promtool test file as data."""
    by_name = {a.name: a for a in alerts(c)}
    group = {"job": c.job, "pipeline": c.pipeline}
    tests = []
    for case in cases(c):
        checks = {name: expected for name, expected in case.checks.items() if name in by_name}
        if not checks:  # a case of alerts the config leaves out
            continue
        values = {(str(name), _key(labels)): value for name, labels, value in case.series}
        count = case.eval_minutes + 2
        series = [{"series": _selector(str(name), {**group, **labels}), "values": f"{_go(value)}x{count}"}
                  for name, labels, value in case.series]
        rule_tests = []
        for alert_name, expected in checks.items():
            alert = by_name[alert_name]
            exp = []
            for labels in expected:
                full = {**group, **labels, **_rule_labels(alert)}
                value = _alert_value(alert_name, labels, values, case.eval_minutes)
                exp.append({"exp_labels": full,
                            "exp_annotations": expand(alert, full, value, values, c.alerting.runbook_url)})
            rule_tests.append({"eval_time": f"{case.eval_minutes}m", "alertname": alert_name, "exp_alerts": exp})
        tests.append({"name": case.title, "interval": "1m",
                      "input_series": [] if case.absent_series else series, "alert_rule_test": rule_tests})
    return {"rule_files": [rule_path], "evaluation_interval": "1m", "tests": tests}


def _rule_labels(alert: Alert) -> dict:
    return {"severity": alert.severity.alert, **dict(alert.labels)}


def _key(labels: dict) -> tuple:
    return tuple(sorted(labels.items()))


def _selector(name: str, labels: dict) -> str:
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


_SOURCES = {
    "DailyMetricsSharpDrop": (FRACTION, ("metric",)),
    "DailyMetricsSharpSpike": (FRACTION, ("metric",)),
    "DailyMetricsSpike": (FRACTION, ("metric",)),
    "DailyMetricsDrop": (FRACTION, ("metric",)),
    "DailyMetricsInsufficientHistory": (BASELINE_SIZE, ("metric",)),
    "DailyMetricsCheckNotEvaluated": (CHECK_EVALUATED, ("check", "metric")),
    "DailyMetricsAttributionCoverageLow": (COVERAGE, ("model", "metric")),
    "DailyMetricsRowMissing": (DAILY_ROWS, ()),
    "DailyMetricsMonitorDown": (UP, ()),
    "DailyMetricsRestated": (RESTATEMENTS, ("metric",)),
    "DailyMetricsInvalidValue": (CHECK_STATUS, ("check", "metric")),
    "DailyMetricsOrdersMissing": (CHECK_STATUS, ("check", "metric")),
    "DailyMetricsOverAttribution": (CHECK_STATUS, ("check", "metric")),
}
"""The family whose sample an alert's expression returns, and the labels that pick it."""


def _alert_value(name: str, labels: dict, values: dict, minutes: int) -> float:
    """The sample value the alert's expression returns for these labels."""
    if name in ("DailyMetricsMonitorNotRun", "DailyMetricsMonitorNotRunCritical"):
        return minutes * 60 - values[(PUSH_TIME, ())]
    if name == "DailyMetricsMonitorAbsent":
        return 1.0
    if name == "DailyMetricsStaleData":
        return values[(str(LAST_RUN), ())] - values[(str(DATA_DATE), ())]
    if name == "DailyMetricsReconciliationMismatch":
        return abs(values[(str(RECONCILIATION_DIFFERENCE), _key({"metric": labels["metric"]}))])
    family, keys = _SOURCES[name]
    return values[(str(family), _key({k: labels[k] for k in keys}))]


_BLOCK = re.compile(r"(\{\{ with \$labels\.segment \}\} \[\{\{ \. \}\}\]\{\{ end \}\})|"
                    r"\{\{ with printf \"(\w+)\{[^}]*\}\" [^|]*\| query \}\}\{\{ \. \| first \| value \| printf "
                    r"\"%\.4g\" \}\}\{\{ end \}\}|\{\{ ([^}]*) \}\}")


def expand(alert: Alert, labels: dict, value: float, values: dict, runbook: str | None) -> dict:
    """The annotations as Prometheus renders them, for the few template forms the rules use."""

    def one(match: re.Match) -> str:
        if match.group(1):
            return f" [{labels['segment']}]" if labels.get("segment") else ""
        if match.group(2):
            found = values.get((match.group(2), _key({"metric": labels["metric"]})))
            return "" if found is None else _printf(found)
        expr = match.group(3)
        if expr.startswith("$labels."):
            return str(labels.get(expr[len("$labels."):], ""))
        formats = {"$value": _go, '$value | printf "%.4g"': _printf,
                   "$value | humanizePercentage": lambda v: _printf(v * 100) + "%",
                   "$value | humanizeDuration": _duration}
        if expr not in formats:
            raise ValueError(f"template form {expr!r} has no expansion for the rule tests")
        return formats[expr](value)

    day = values.get((str(DATA_DATE), ()))
    return {"summary": _BLOCK.sub(one, alert.summary), "description": _BLOCK.sub(one, alert.description),
            "data_date": "unknown" if day is None else f"{datetime.fromtimestamp(day, timezone.utc):%Y-%m-%d}",
            **({"incident": ""} if alert.incident else {}),  # the cases push no dmm_check_incident_* gauges
            **runbook_annotation(runbook, alert.name)}


def _go(v: float) -> str:
    """Go's %v of a float64 for the values used here."""
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def _printf(v: float) -> str:
    return f"{v:.4g}"


def _duration(v: float) -> str:
    """Prometheus' humanizeDuration for durations of a second or more."""
    seconds = int(v)
    d, h, m, s = seconds // 86400, seconds // 3600 % 24, seconds // 60 % 60, seconds % 60
    if d:
        return f"{d}d {h}h {m}m {s}s"
    if h:
        return f"{h}h {m}m {s}s"
    if m:
        return f"{m}m {s}s"
    return f"{_printf(v)}s"
