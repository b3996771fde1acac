"""Prometheus alerting rules rendered from the job's own config: the job and the alerts never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..judge.model import CheckName
from ..numbers import number
from .change_alerts import about, change_alerts, on
from .drops import described, either

DATA_DATE = ('{{ with printf "dmm_data_date_timestamp_seconds{job=\'%s\',pipeline=\'%s\'}" $labels.job '
             '$labels.pipeline | query }}{{ (. | first | value | toTime).Format "2006-01-02" }}'
             '{{ else }}unknown{{ end }}')
"""The data day the pipeline's last push judged (YYYY-MM-DD): the notification templates name it."""


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    severity: str
    summary: str
    description: str
    labels: tuple[tuple[str, str], ...] = ()
    for_: str = "0s"
    daily: bool = True
    """A daily alert reads pushed gauges: it keeps firing through a missed scrape of the gateway."""

    def rule(self, runbook: str | None, keep_firing_for: str) -> dict:
        rule: dict[str, Any] = {"alert": self.name, "expr": self.expr}
        if self.for_ != "0s":
            rule["for"] = self.for_
        if self.daily:
            rule["keep_firing_for"] = keep_firing_for
        rule["labels"] = {"severity": self.severity, **dict(self.labels)}
        rule["annotations"] = {"summary": self.summary, "description": self.description, "data_date": DATA_DATE,
                               **runbook_annotation(runbook, self.name)}
        return rule


def runbook_annotation(runbook: str | None, alert: str) -> dict:
    """runbook_url: the alert's section of the runbook where one is hosted (alerts.runbook_url); never a dead link."""
    return {"runbook_url": f"{runbook}#{alert.lower()}"} if runbook else {}


def gauge_query(family: str, by_metric: bool = True, segmented: bool = False) -> str:
    """A template snippet that prints another gauge of the alert's group (and segment), 4 significant digits."""
    metric = ",metric='%s'" if by_metric else ""
    args = "$labels.job $labels.pipeline" + (" $labels.metric" if by_metric else "")
    if segmented:
        metric, args = metric + ",segment='%s'", args + " $labels.segment"
    return (f'{{{{ with printf "{family}{{job=\'%s\',pipeline=\'%s\'{metric}}}" {args} | query }}}}'
            f'{{{{ . | first | value | printf "%.4g" }}}}{{{{ end }}}}')


def alerts(c: Config) -> list[Alert]:
    """Every alert of the checks the config has, in the order of the runbook."""
    left_out = set()
    if not c.attribution_models:
        left_out |= {"DailyMetricsAttributionCoverageLow", "DailyMetricsOverAttribution"}
    if c.fact is None:
        left_out.add("DailyMetricsReconciliationMismatch")
    if c.traffic is None:
        left_out.add("DailyMetricsOrdersMissing")
    return [a for a in _all_alerts(c) if a.name not in left_out]


def _all_alerts(c: Config) -> list[Alert]:
    t, a = c.thresholds, c.alerting
    sel = f'job="{c.job}",pipeline="{c.pipeline}"'

    def query(family: str) -> str:
        return gauge_query(family, segmented=c.segments is not None)

    minimum = either(c, lambda r: r.baseline.minimum, lambda m, n: f"dmm_baseline_size{{{sel}{m}}} < {number(n)}")
    names = {c.drop_rule(m).baseline.name for m in c.drop_metrics}
    numbers = (f"{about(c)} = {query('dmm_metric_value')} vs "
               f"{names.pop() if len(names) == 1 else 'baseline'} median "
               f"{query('dmm_baseline_median')} (z={query('dmm_zscore')}, "
               f"frac={{{{ $value | printf \"%.4g\" }}}}) in pipeline {{{{ $labels.pipeline }}}}.")
    status = f"dmm_check_status{{{sel},check=\"%s\"}} == 2"
    check_desc = f"Check {{{{ $labels.check }}}} on {about(c)} failed in pipeline {{{{ $labels.pipeline }}}}: %s"
    return [
        *change_alerts(c, sel, numbers, Alert),
        Alert("DailyMetricsInsufficientHistory", minimum, "warning",
              f"{about(c)} has too little history to judge a drop",
              f"Only {{{{ $value }}}} baseline days are usable for {about(c)} in pipeline "
              f"{{{{ $labels.pipeline }}}} (at least "
              f"{described(c, lambda r: r.baseline.minimum, lambda n: f'{n} needed')}).",
              (("check", CheckName.DROP),)),
        Alert("DailyMetricsCheckNotEvaluated",
              f"dmm_check_evaluated{{{sel}}} == 0\nunless {on(c, 'check')}\n"
              f'label_replace({minimum}, "check", "{CheckName.DROP}", "", "")',
              "warning", f"Check {{{{ $labels.check }}}} on {about(c)} could not be evaluated",
              f"The inputs of check {{{{ $labels.check }}}} on {about(c)} are missing or invalid in pipeline "
              "{{ $labels.pipeline }}: not evaluated is never a pass. See the job's report."),
        Alert("DailyMetricsAttributionCoverageLow",
              f"dmm_attribution_coverage_ratio{{{sel}}} < {number(t.coverage_min)}", "warning",
              "{{ $labels.model }} attribution coverage collapsed",
              f"{{{{ $labels.model }}}} attribution covers {{{{ $value | humanizePercentage }}}} of orders in pipeline "
              f"{{{{ $labels.pipeline }}}} (minimum {number(t.coverage_min)} of orders).",
              (("check", CheckName.ATTRIBUTION_COVERAGE),)),
        Alert("DailyMetricsReconciliationMismatch",
              f'abs(dmm_reconciliation_difference{{{sel},metric="orders"}}) > 0\nor\n'
              f'abs(dmm_reconciliation_difference{{{sel},metric="revenue"}}) > {number(t.revenue_tolerance)}',
              "critical", "daily_metrics {{ $labels.metric }} does not reconcile with fct_orders",
              f"daily_metrics {{{{ $labels.metric }}}} = {query('dmm_reconciliation_daily_value')}, fct_orders gives "
              f"{query('dmm_reconciliation_fact_value')} "
              f"(absolute difference {{{{ $value | printf \"%.4g\" }}}}, tolerance "
              f"0 for orders, {number(t.revenue_tolerance)} for revenue) in pipeline {{{{ $labels.pipeline }}}}.",
              (("check", CheckName.RECONCILIATION),)),
        Alert("DailyMetricsRowMissing", f"dmm_daily_rows{{{sel}}} != 1", "critical",
              "daily_metrics has {{ $value }} rows for the day",
              "daily_metrics holds {{ $value }} rows for the target day in pipeline {{ $labels.pipeline }} "
              "(exactly 1 expected): the day is missing or its grain is broken.",
              (("check", CheckName.ROW_PRESENT), ("metric", "daily_metrics"))),
        Alert("DailyMetricsInvalidValue", status % CheckName.VALID_VALUE, "critical",
              f"{about(c)} is NULL, negative or not a number",
              check_desc % "the value is NULL, NaN, infinite, text or negative."),
        Alert("DailyMetricsOrdersMissing", status % CheckName.ORDERS_WITH_TRAFFIC, "critical",
              "orders = 0 while traffic is normal",
              check_desc % "no orders were recorded although traffic is normal: order tracking or loading broke."),
        Alert("DailyMetricsOverAttribution", status % CheckName.ATTRIBUTION_BOUND, "critical",
              "{{ $labels.metric }} exceeds its base",
              check_desc % "attributed orders or revenue exceed the day's total, which is impossible."),
        Alert("DailyMetricsRestated", f"dmm_restatements{{{sel}}} > 0", "warning",
              "{{ $labels.metric }} of an already judged day changed",
              f"{{{{ $value }}}} of the previous {c.restatement.days} days of {{{{ $labels.metric }}}} changed by "
              f"more than {number(c.restatement.tolerance * 100)} % since they were judged in pipeline "
              "{{ $labels.pipeline }}: dashboards and reports built on the old numbers are out of date. The job's "
              "report names each day with its old and new value.",
              (("check", CheckName.RESTATED),)),
        Alert("DailyMetricsMonitorDown", f"dmm_up{{{sel}}} == 0", "critical",
              "daily-metrics-monitor could not evaluate the day",
              "The monitor job of pipeline {{ $labels.pipeline }} ran but could not evaluate (database down, "
              "bad config, missing table): nobody knows whether the numbers are right."),
        _not_run("DailyMetricsMonitorNotRun", a.not_run_warning_hours, "warning", sel),
        _not_run("DailyMetricsMonitorNotRunCritical", a.not_run_critical_hours, "critical", sel),
        Alert("DailyMetricsMonitorAbsent", f"absent(push_time_seconds{{{sel}}})", "critical",
              "the Pushgateway holds no daily-metrics-monitor group for {{ $labels.pipeline }}",
              "No push of job {{ $labels.job }}, pipeline {{ $labels.pipeline }} is on the Pushgateway: "
              "the job never ran, or the gateway lost its state.",
              for_=_duration(a.absent_for_minutes * 60), daily=False),
        Alert("DailyMetricsStaleData",
              f"dmm_last_run_timestamp_seconds{{{sel}}} - dmm_data_date_timestamp_seconds{{{sel}}} > "
              f"{number(a.data_lag_max_hours * 3600)}", "warning",
              "the monitor judged an old day",
              f"The last run of pipeline {{{{ $labels.pipeline }}}} judged a day {{{{ $value | humanizeDuration }}}} "
              f"before it ran (more than {number(a.data_lag_max_hours)} h): the DAG ran on stale data."),
    ]


def _not_run(name: str, hours: float, severity: str, sel: str) -> Alert:
    return Alert(name, f"time() - push_time_seconds{{{sel}}} > {number(hours * 3600)}", severity,
                 f"daily-metrics-monitor has not pushed for more than {number(hours)} h",
                 f"The last push of pipeline {{{{ $labels.pipeline }}}} was {{{{ $value | humanizeDuration }}}} ago "
                 f"(more than {number(hours)} h): the DAG or the monitor task did not run.")


def _duration(seconds: float) -> str:
    return f"{int(seconds)}s"


def keep_firing_for(c: Config) -> str:
    """Four scrape intervals of the gateway: three missed scrapes in a row neither resolve nor re-page."""
    return _duration(4 * c.alerting.scrape_interval_seconds)


def rule_file(c: Config) -> dict:
    """The rule file as data, ready to dump as YAML: one group per pipeline."""
    rules = [a.rule(c.alerting.runbook_url, keep_firing_for(c)) for a in alerts(c)]
    return {"groups": [{"name": f"daily-metrics-monitor:{c.pipeline}", "rules": rules}]}
