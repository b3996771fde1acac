"""Prometheus alerting rules rendered from the job's own config: the job and the alerts never disagree."""

from __future__ import annotations

from ..checks import spec_of
from ..checks.alerting import Alert, about, on, selector
from ..checks.change import minimum_expr
from ..config import Config
from ..families import CHECK_EVALUATED, DATA_DATE, LAST_RUN, PUSH_TIME, UP
from ..judge.model import CheckName, Severity
from ..numbers import number

RUNBOOK = (CheckName.DROP, None, CheckName.ATTRIBUTION_COVERAGE, CheckName.RECONCILIATION, CheckName.ROW_PRESENT,
           CheckName.VALID_VALUE, CheckName.ORDERS_WITH_TRAFFIC, CheckName.ATTRIBUTION_BOUND, CheckName.RESTATED)
"""The order of the runbook: each check's alerts (None: a check that could not be evaluated), then the run's."""


def alerts(c: Config) -> list[Alert]:
    """Every alert of the checks the config has, in the order of the runbook, then the run's own alerts."""
    out: list[Alert] = []
    for name in RUNBOOK:
        spec = spec_of(name) if name else None
        if spec is None:
            out.append(_not_evaluated(c))
        elif spec.enabled(c):
            out += spec.alerts(c)
    return out + _run_alerts(c)


def _not_evaluated(c: Config) -> Alert:
    sel = selector(c)
    return Alert("DailyMetricsCheckNotEvaluated",
                 f"{CHECK_EVALUATED}{{{sel}}} == 0\nunless {on(c, 'check')}\n"
                 f'label_replace({minimum_expr(c)}, "check", "{CheckName.DROP}", "", "")',
                 Severity.WARN, f"Check {{{{ $labels.check }}}} on {about(c)} could not be evaluated",
                 f"The inputs of check {{{{ $labels.check }}}} on {about(c)} are missing or invalid in pipeline "
                 "{{ $labels.pipeline }}: not evaluated is never a pass. See the job's report.")


def _run_alerts(c: Config) -> list[Alert]:
    """The run's own alerts: it could not evaluate, it did not run, its group is gone, it judged an old day."""
    a, sel = c.alerting, selector(c)
    return [
        Alert("DailyMetricsMonitorDown", f"{UP}{{{sel}}} == 0", Severity.CRITICAL,
              "daily-metrics-monitor could not evaluate the day",
              "The monitor job of pipeline {{ $labels.pipeline }} ran but could not evaluate (database down, "
              "bad config, missing table): nobody knows whether the numbers are right."),
        _not_run("DailyMetricsMonitorNotRun", a.not_run_warning_hours, Severity.WARN, sel),
        _not_run("DailyMetricsMonitorNotRunCritical", a.not_run_critical_hours, Severity.CRITICAL, sel),
        Alert("DailyMetricsMonitorAbsent", f"absent({PUSH_TIME}{{{sel}}})", Severity.CRITICAL,
              "the Pushgateway holds no daily-metrics-monitor group for {{ $labels.pipeline }}",
              "No push of job {{ $labels.job }}, pipeline {{ $labels.pipeline }} is on the Pushgateway: "
              "the job never ran, or the gateway lost its state.",
              for_=_duration(a.absent_for_minutes * 60), daily=False),
        Alert("DailyMetricsStaleData",
              f"{LAST_RUN}{{{sel}}} - {DATA_DATE}{{{sel}}} > "
              f"{number(a.data_lag_max_hours * 3600)}", Severity.WARN,
              "the monitor judged an old day",
              f"The last run of pipeline {{{{ $labels.pipeline }}}} judged a day {{{{ $value | humanizeDuration }}}} "
              f"before it ran (more than {number(a.data_lag_max_hours)} h): the DAG ran on stale data."),
    ]


def _not_run(name: str, hours: float, severity: Severity, sel: str) -> Alert:
    return Alert(name, f"time() - {PUSH_TIME}{{{sel}}} > {number(hours * 3600)}", severity,
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
