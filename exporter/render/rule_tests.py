"""promtool unit tests for the rendered rules: a firing and a not-firing case per alert, at the boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from ..config import Config
from ..judge.model import CheckName
from .rules import Alert, alerts, runbook_annotation

DAY = 1795564800
"""2026-11-25 00:00 UTC: the data day of the cases that push one (their data_date annotation)."""


@dataclass
class Case:
    """Constant input series, an evaluation time, and the alerts expected then (others: none)."""

    title: str
    series: list[tuple[str, dict, float]]
    checks: dict[str, list[dict]]
    eval_minutes: int = 5
    absent_series: bool = False


def _drop(frac: float, z: float, metric: str = "orders") -> list[tuple[str, dict, float]]:
    m = {"metric": metric}
    return [("dmm_fraction_of_median_ratio", m, frac), ("dmm_zscore", m, z),
            ("dmm_metric_value", m, 42.0), ("dmm_baseline_median", m, 100.0)]


def _spike_cases(c: Config) -> list[Case]:
    """Boundaries of the spike rules on the first metric judged for spikes (none: no spike alert is rendered)."""
    metric = next((m for m in c.drop_metrics if "spike" in c.drop_rule(m).directions), None)
    if metric is None:
        return []
    t, spike = c.drop_rule(metric).thresholds, {"metric": metric, "check": CheckName.SPIKE}
    above_crit, above_warn = round(t.spike_critical_frac + 0.01, 6), round(t.spike_warn_frac + 0.01, 6)
    return [
        Case("critical spike: z exactly at its threshold fires", _drop(above_crit, t.spike_critical_z, metric),
             {"DailyMetricsSharpSpike": [spike], "DailyMetricsSpike": []}),
        Case("critical spike: frac exactly at its threshold does not fire",
             _drop(t.spike_critical_frac, t.spike_critical_z + 1, metric), {"DailyMetricsSharpSpike": []}),
        Case("warn spike: z exactly at its threshold fires", _drop(above_warn, t.spike_warn_z, metric),
             {"DailyMetricsSpike": [spike], "DailyMetricsSharpSpike": []}),
        Case("warn spike: frac exactly at its threshold does not fire",
             _drop(t.spike_warn_frac, t.spike_warn_z + 1, metric),
             {"DailyMetricsSpike": [], "DailyMetricsSharpSpike": []}),
        Case("a spike on a known-event day is expected: no spike alert",
             [*_drop(above_crit * 10, t.spike_critical_z + 100, metric), ("dmm_known_event", {}, 1)],
             {"DailyMetricsSpike": [], "DailyMetricsSharpSpike": []}),
    ]


def cases(c: Config) -> list[Case]:
    """Boundaries of the rules that judge `orders` (its own thresholds where the config overrides them), and of
    the spike rules where a metric is judged for spikes."""
    return _drop_and_other_cases(c) + _spike_cases(c)


def _drop_and_other_cases(c: Config) -> list[Case]:
    a, rule, money = c.alerting, c.drop_rule("orders"), c.thresholds
    t, minimum = rule.thresholds, rule.baseline.minimum
    drop = {"metric": "orders", "check": CheckName.DROP}
    status = {"check": CheckName.VALID_VALUE, "metric": "revenue"}
    below_crit, below_warn = round(t.critical_frac - 0.01, 6), round(t.warn_frac - 0.01, 6)
    return [
        Case("critical drop: z exactly at its threshold fires", _drop(below_crit, t.critical_z),
             {"DailyMetricsSharpDrop": [drop], "DailyMetricsDrop": []}),
        Case("critical drop: frac exactly at its threshold does not fire", _drop(t.critical_frac, t.critical_z - 1),
             {"DailyMetricsSharpDrop": []}),
        Case("warn drop: z exactly at its threshold fires", _drop(below_warn, t.warn_z),
             {"DailyMetricsDrop": [drop], "DailyMetricsSharpDrop": []}),
        Case("warn drop: frac exactly at its threshold does not fire", _drop(t.warn_frac, t.warn_z - 1),
             {"DailyMetricsDrop": [], "DailyMetricsSharpDrop": []}),
        Case("drop: z just above the warn threshold does not fire", _drop(0.0, t.warn_z + 0.01),
             {"DailyMetricsDrop": [], "DailyMetricsSharpDrop": []}),
        Case("a drop on a known-event day is expected: no drop alert", [*_drop(0.0, t.critical_z - 100),
                                                                        ("dmm_known_event", {}, 1)],
             {"DailyMetricsDrop": [], "DailyMetricsSharpDrop": []}),
        Case("insufficient history fires and is not also 'not evaluated'",
             [("dmm_baseline_size", {"metric": "orders"}, minimum - 1),
              ("dmm_check_evaluated", {"check": CheckName.DROP, "metric": "orders"}, 0)],
             {"DailyMetricsInsufficientHistory": [drop], "DailyMetricsCheckNotEvaluated": []}),
        Case("enough history does not fire", [("dmm_baseline_size", {"metric": "orders"}, minimum)],
             {"DailyMetricsInsufficientHistory": []}),
        Case("a check that could not be evaluated fires",
             [("dmm_check_evaluated", {"check": CheckName.RECONCILIATION, "metric": "revenue"}, 0),
              ("dmm_check_evaluated", {"check": CheckName.DROP, "metric": "revenue"}, 1)],
             {"DailyMetricsCheckNotEvaluated": [{"check": CheckName.RECONCILIATION, "metric": "revenue"}]}),
        Case("coverage below its minimum fires",
             [("dmm_attribution_coverage_ratio", {"model": "first_click", "metric": "attributed_orders_first_click"},
               round(money.coverage_min - 0.01, 6))],
             {"DailyMetricsAttributionCoverageLow": [{"model": "first_click", "metric": "attributed_orders_first_click",
                                                      "check": CheckName.ATTRIBUTION_COVERAGE}]}),
        Case("coverage exactly at its minimum does not fire",
             [("dmm_attribution_coverage_ratio", {"model": "first_click", "metric": "attributed_orders_first_click"},
               money.coverage_min)], {"DailyMetricsAttributionCoverageLow": []}),
        Case("reconciliation: any order difference and revenue beyond the tolerance fire",
             [("dmm_reconciliation_difference", {"metric": "orders"}, 1),
              ("dmm_reconciliation_daily_value", {"metric": "orders"}, 400),
              ("dmm_reconciliation_fact_value", {"metric": "orders"}, 399),
              ("dmm_reconciliation_difference", {"metric": "revenue"}, -round(money.revenue_tolerance + 0.01, 6))],
             {"DailyMetricsReconciliationMismatch": [{"metric": "orders", "check": CheckName.RECONCILIATION},
                                                     {"metric": "revenue", "check": CheckName.RECONCILIATION}]}),
        Case("reconciliation: revenue exactly at the tolerance does not fire",
             [("dmm_reconciliation_difference", {"metric": "orders"}, 0),
              ("dmm_reconciliation_difference", {"metric": "revenue"}, money.revenue_tolerance)],
             {"DailyMetricsReconciliationMismatch": []}),
        Case("no row or two rows fire", [("dmm_daily_rows", {}, 0)],
             {"DailyMetricsRowMissing": [{"check": CheckName.ROW_PRESENT, "metric": "daily_metrics"}]}),
        Case("one row does not fire", [("dmm_daily_rows", {}, 1)], {"DailyMetricsRowMissing": []}),
        Case("hard rules fire on CRITICAL checks",
             [("dmm_check_status", status, 2),
              ("dmm_check_status", {"check": CheckName.ORDERS_WITH_TRAFFIC, "metric": "orders"}, 2),
              ("dmm_check_status", {"check": CheckName.ATTRIBUTION_BOUND,
                                    "metric": "attributed_orders_last_click"}, 2)],
             {"DailyMetricsInvalidValue": [status],
              "DailyMetricsOrdersMissing": [{"check": CheckName.ORDERS_WITH_TRAFFIC, "metric": "orders"}],
              "DailyMetricsOverAttribution": [{"check": CheckName.ATTRIBUTION_BOUND,
                                               "metric": "attributed_orders_last_click"}]}),
        Case("hard rules do not fire on OK or WARN checks",
             [("dmm_check_status", status, 1),
              ("dmm_check_status", {"check": CheckName.ORDERS_WITH_TRAFFIC, "metric": "orders"}, 0),
              ("dmm_check_status", {"check": CheckName.ATTRIBUTION_BOUND,
                                    "metric": "attributed_orders_last_click"}, 1)],
             {"DailyMetricsInvalidValue": [], "DailyMetricsOrdersMissing": [], "DailyMetricsOverAttribution": []}),
        Case("a restated day fires", [("dmm_restatements", {"metric": "revenue"}, 1)],
             {"DailyMetricsRestated": [{"check": CheckName.RESTATED, "metric": "revenue"}]}),
        Case("no restated day does not fire", [("dmm_restatements", {"metric": "revenue"}, 0)],
             {"DailyMetricsRestated": []}),
        Case("the job could not evaluate", [("dmm_up", {}, 0)], {"DailyMetricsMonitorDown": [{}]}),
        Case("the job evaluated", [("dmm_up", {}, 1)], {"DailyMetricsMonitorDown": []}),
        Case("no push for just over the warning age", [("push_time_seconds", {}, 0)],
             {"DailyMetricsMonitorNotRun": [{}], "DailyMetricsMonitorNotRunCritical": []},
             eval_minutes=int(a.not_run_warning_hours * 60) + 1),
        Case("a push exactly at the warning age does not fire", [("push_time_seconds", {}, 0)],
             {"DailyMetricsMonitorNotRun": []}, eval_minutes=int(a.not_run_warning_hours * 60)),
        Case("no push for just over the critical age", [("push_time_seconds", {}, 0)],
             {"DailyMetricsMonitorNotRunCritical": [{}]}, eval_minutes=int(a.not_run_critical_hours * 60) + 1),
        Case("a gateway without our group is quiet until its 'for' has passed", [("dmm_up", {}, 1)],
             {"DailyMetricsMonitorAbsent": []}, eval_minutes=int(a.absent_for_minutes) - 1, absent_series=True),
        Case("a gateway without our group fires after its 'for'", [("dmm_up", {}, 1)],
             {"DailyMetricsMonitorAbsent": [{}]}, eval_minutes=int(a.absent_for_minutes) + 1, absent_series=True),
        Case("a gateway with our group does not fire", [("push_time_seconds", {}, 0)],
             {"DailyMetricsMonitorAbsent": []}, eval_minutes=int(a.absent_for_minutes) + 1),
        Case("a day older than the maximum lag fires",
             [("dmm_last_run_timestamp_seconds", {}, DAY + a.data_lag_max_hours * 3600 + 60),
              ("dmm_data_date_timestamp_seconds", {}, DAY)], {"DailyMetricsStaleData": [{}]}),
        Case("a day exactly at the maximum lag does not fire",
             [("dmm_last_run_timestamp_seconds", {}, DAY + a.data_lag_max_hours * 3600),
              ("dmm_data_date_timestamp_seconds", {}, DAY)], {"DailyMetricsStaleData": []}),
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
        values = {(name, _key(labels)): value for name, labels, value in case.series}
        count = case.eval_minutes + 2
        series = [{"series": _selector(name, {**group, **labels}), "values": f"{_go(value)}x{count}"}
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
    return {"severity": alert.severity, **dict(alert.labels)}


def _key(labels: dict) -> tuple:
    return tuple(sorted(labels.items()))


def _selector(name: str, labels: dict) -> str:
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


_SOURCES = {
    "DailyMetricsSharpDrop": ("dmm_fraction_of_median_ratio", ("metric",)),
    "DailyMetricsSharpSpike": ("dmm_fraction_of_median_ratio", ("metric",)),
    "DailyMetricsSpike": ("dmm_fraction_of_median_ratio", ("metric",)),
    "DailyMetricsDrop": ("dmm_fraction_of_median_ratio", ("metric",)),
    "DailyMetricsInsufficientHistory": ("dmm_baseline_size", ("metric",)),
    "DailyMetricsCheckNotEvaluated": ("dmm_check_evaluated", ("check", "metric")),
    "DailyMetricsAttributionCoverageLow": ("dmm_attribution_coverage_ratio", ("model", "metric")),
    "DailyMetricsRowMissing": ("dmm_daily_rows", ()),
    "DailyMetricsMonitorDown": ("dmm_up", ()),
    "DailyMetricsRestated": ("dmm_restatements", ("metric",)),
    "DailyMetricsInvalidValue": ("dmm_check_status", ("check", "metric")),
    "DailyMetricsOrdersMissing": ("dmm_check_status", ("check", "metric")),
    "DailyMetricsOverAttribution": ("dmm_check_status", ("check", "metric")),
}


def _alert_value(name: str, labels: dict, values: dict, minutes: int) -> float:
    """The sample value the alert's expression returns for these labels."""
    if name in ("DailyMetricsMonitorNotRun", "DailyMetricsMonitorNotRunCritical"):
        return minutes * 60 - values[("push_time_seconds", ())]
    if name == "DailyMetricsMonitorAbsent":
        return 1.0
    if name == "DailyMetricsStaleData":
        return values[("dmm_last_run_timestamp_seconds", ())] - values[("dmm_data_date_timestamp_seconds", ())]
    if name == "DailyMetricsReconciliationMismatch":
        return abs(values[("dmm_reconciliation_difference", _key({"metric": labels["metric"]}))])
    family, keys = _SOURCES[name]
    return values[(family, _key({k: labels[k] for k in keys}))]


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

    day = values.get(("dmm_data_date_timestamp_seconds", ()))
    return {"summary": _BLOCK.sub(one, alert.summary), "description": _BLOCK.sub(one, alert.description),
            "data_date": "unknown" if day is None else f"{datetime.fromtimestamp(day, timezone.utc):%Y-%m-%d}",
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
