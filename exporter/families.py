"""Every metric family the job pushes, in one place: its name, help, labels and type.

This is the only module that spells a `dmm_` name. The gauges, the alert rules, their promtool tests, the
dashboard and the delivery read the families from here, so a renamed family is renamed everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "dmm_"


@dataclass(frozen=True)
class Family:
    """One pushed family: `str(family)` (and an f-string) gives its full name, as PromQL spells it."""

    short: str
    help: str
    labels: tuple[str, ...] = ()
    per_segment: bool = False
    """On a segmented table the family also gets a `segment` label (empty for the total)."""
    type: str = "gauge"

    @property
    def name(self) -> str:
        return PREFIX + self.short

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        return format(self.name, spec)


def _f(short: str, labels: tuple[str, ...], help: str, per_segment: bool = False) -> Family:
    return Family(short, help, labels, per_segment)


METRIC_VALUE = _f("metric_value", ("metric",), "Value of the metric on the target day (volume, rate, attributed).",
                  True)
BASELINE_MEDIAN = _f("baseline_median", ("metric",), "Median of the metric over the usable baseline days.", True)
BASELINE_MAD = _f("baseline_mad", ("metric",), "Unscaled median absolute deviation over the usable baseline days.",
                  True)
ZSCORE = _f("zscore", ("metric",), "Robust z-score (value - median) / MAD; -Inf/+Inf on a flat baseline.", True)
FRACTION = _f("fraction_of_median_ratio", ("metric",), "Value divided by the baseline median.", True)
BASELINE_SIZE = _f("baseline_size", ("metric",), "Number of usable baseline days.", True)
COVERAGE = _f("attribution_coverage_ratio", ("model", "metric"), "Attributed orders divided by orders.", True)
RECONCILIATION_DAILY = _f("reconciliation_daily_value", ("metric",), "The daily_metrics value that is reconciled.",
                          True)
RECONCILIATION_FACT = _f("reconciliation_fact_value", ("metric",), "The same quantity computed from fct_orders.",
                         True)
RECONCILIATION_DIFFERENCE = _f("reconciliation_difference", ("metric",), "daily_metrics value minus fct_orders value.",
                               True)
RESTATEMENTS = _f("restatements", ("metric",),
                  "Days of D-1 .. D-restatement.days whose value changed since they were judged.")
CHECK_STATUS = _f("check_status", ("check", "metric"), "Check severity: 0 OK, 1 WARN, 2 CRITICAL.", True)
ESCALATION_STREAK = _f("check_escalation_streak", ("check", "metric"),
                       "Drop or spike: the consecutive WARN days that made it CRITICAL (escalate_after_days; "
                       "0: not escalated).", True)
CHECK_EVALUATED = _f("check_evaluated", ("check", "metric"),
                     "1 when the check could be evaluated, 0 when not (reported as WARN).", True)
INCIDENT_START = _f("check_incident_start_timestamp_seconds", ("check", "metric"),
                    "A check not OK: the first day (00:00 UTC) of its run of non-OK days, at most 13 days back.", True)
INCIDENT_DAY = _f("check_incident_day", ("check", "metric"),
                  "A check not OK: the days of its run, the judged day included (1: new; 14: 14 or more).", True)
STATUS = _f("status", (), "Overall severity of the run: 0 OK, 1 WARN, 2 CRITICAL.")
DAILY_ROWS = _f("daily_rows", (), "Number of daily_metrics rows found for the target day (1 expected).")
THRESHOLD_WARN_FRACTION = _f("threshold_warn_fraction_ratio", ("metric",),
                             "WARN when the fraction of median is below this.")
THRESHOLD_WARN_ZSCORE = _f("threshold_warn_zscore", ("metric",), "WARN when the z-score is at or below this.")
THRESHOLD_CRITICAL_FRACTION = _f("threshold_critical_fraction_ratio", ("metric",),
                                 "CRITICAL when the fraction of median is below this.")
THRESHOLD_CRITICAL_ZSCORE = _f("threshold_critical_zscore", ("metric",),
                               "CRITICAL when the z-score is at or below this.")
THRESHOLD_SPIKE_WARN_FRACTION = _f("threshold_spike_warn_fraction_ratio", ("metric",),
                                   "Spike WARN when the fraction of median is above this.")
THRESHOLD_SPIKE_WARN_ZSCORE = _f("threshold_spike_warn_zscore", ("metric",),
                                 "Spike WARN when the z-score is at or above this.")
THRESHOLD_SPIKE_CRITICAL_FRACTION = _f("threshold_spike_critical_fraction_ratio", ("metric",),
                                       "Spike CRITICAL when the fraction of median is above this.")
THRESHOLD_SPIKE_CRITICAL_ZSCORE = _f("threshold_spike_critical_zscore", ("metric",),
                                     "Spike CRITICAL when the z-score is at or above this.")
ACCEPTED_SHIFT = _f("accepted_shift_timestamp_seconds", ("metric",),
                    "The latest accepted level shift on or before the day (00:00 UTC): baselines start there.")
THRESHOLD_COVERAGE_MIN = _f("threshold_attribution_coverage_min_ratio", (),
                            "WARN when attribution coverage is below this.")
THRESHOLD_REVENUE_TOLERANCE = _f("threshold_reconciliation_revenue_tolerance", (),
                                 "CRITICAL when |revenue difference| exceeds this.")
THRESHOLD_MIN_BASELINE_SIZE = _f("threshold_min_baseline_size", ("metric",),
                                 "Fewer usable baseline days than this: insufficient history.")
KNOWN_EVENT = _f("known_event", (),
                 "1 when the target day is a known event of the calendar (its drops are expected), else 0.")
DATA_DATE = _f("data_date_timestamp_seconds", (), "The target day evaluated, as a Unix time (00:00 UTC).")
LAST_RUN = _f("last_run_timestamp_seconds", (), "When this run finished.")
LAST_SUCCESS = _f("last_success_timestamp_seconds", (), "When the last run that evaluated finished.")
RUN_DURATION = _f("run_duration_seconds", (), "Wall time of the run.")
UP = _f("up", (), "1 when the run evaluated the day, 0 when it could not (database down, bad config).")

FAMILIES: dict[str, Family] = {f.short: f for f in (
    METRIC_VALUE, BASELINE_MEDIAN, BASELINE_MAD, ZSCORE, FRACTION, BASELINE_SIZE, COVERAGE, RECONCILIATION_DAILY,
    RECONCILIATION_FACT, RECONCILIATION_DIFFERENCE, RESTATEMENTS, CHECK_STATUS, CHECK_EVALUATED, INCIDENT_START,
    INCIDENT_DAY, ESCALATION_STREAK, STATUS, DAILY_ROWS,
    THRESHOLD_WARN_FRACTION, THRESHOLD_WARN_ZSCORE, THRESHOLD_CRITICAL_FRACTION, THRESHOLD_CRITICAL_ZSCORE,
    THRESHOLD_SPIKE_WARN_FRACTION, THRESHOLD_SPIKE_WARN_ZSCORE, THRESHOLD_SPIKE_CRITICAL_FRACTION,
    THRESHOLD_SPIKE_CRITICAL_ZSCORE, ACCEPTED_SHIFT, THRESHOLD_COVERAGE_MIN, THRESHOLD_REVENUE_TOLERANCE,
    THRESHOLD_MIN_BASELINE_SIZE, KNOWN_EVENT, DATA_DATE, LAST_RUN, LAST_SUCCESS, RUN_DURATION, UP)}
"""By short name, in the order of the metrics page's table (docs/operations/metrics.md)."""

PUSH_TIME = "push_time_seconds"
"""The Pushgateway's own family (not ours): when a group was last pushed."""
