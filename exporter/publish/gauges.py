"""Every computed value as Prometheus gauges, in a fresh registry per run. Builds, never sends (no I/O)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timezone

from prometheus_client import CollectorRegistry, Gauge

from ..config import Config
from ..judge.drop_rule import limits
from ..judge.model import CheckName, Evaluation, Outcome

PREFIX = "dmm_"


@dataclass(frozen=True)
class RunInfo:
    """When the run started and ended."""

    started: float
    finished: float


# name -> (labels, help). The README's metric table is checked against this catalogue.
FAMILIES: dict[str, tuple[tuple[str, ...], str]] = {
    "metric_value": (("metric",), "Value of the metric on the target day (volume, rate, attributed)."),
    "baseline_median": (("metric",), "Median of the metric over the usable baseline days."),
    "baseline_mad": (("metric",), "Unscaled median absolute deviation over the usable baseline days."),
    "zscore": (("metric",), "Robust z-score (value - median) / MAD; -Inf/+Inf on a flat baseline."),
    "fraction_of_median_ratio": (("metric",), "Value divided by the baseline median."),
    "baseline_size": (("metric",), "Number of usable baseline days."),
    "attribution_coverage_ratio": (("model", "metric"), "Attributed orders divided by orders."),
    "reconciliation_daily_value": (("metric",), "The daily_metrics value that is reconciled."),
    "reconciliation_fact_value": (("metric",), "The same quantity computed from fct_orders."),
    "reconciliation_difference": (("metric",), "daily_metrics value minus fct_orders value."),
    "restatements": (("metric",), "Days of D-1 .. D-restatement.days whose value changed since they were judged."),
    "check_status": (("check", "metric"), "Check severity: 0 OK, 1 WARN, 2 CRITICAL."),
    "check_evaluated": (("check", "metric"), "1 when the check could be evaluated, 0 when not (reported as WARN)."),
    "status": ((), "Overall severity of the run: 0 OK, 1 WARN, 2 CRITICAL."),
    "daily_rows": ((), "Number of daily_metrics rows found for the target day (1 expected)."),
    "threshold_warn_fraction_ratio": (("metric",), "WARN when the fraction of median is below this."),
    "threshold_warn_zscore": (("metric",), "WARN when the z-score is at or below this."),
    "threshold_critical_fraction_ratio": (("metric",), "CRITICAL when the fraction of median is below this."),
    "threshold_critical_zscore": (("metric",), "CRITICAL when the z-score is at or below this."),
    "threshold_spike_warn_fraction_ratio": (("metric",), "Spike WARN when the fraction of median is above this."),
    "threshold_spike_warn_zscore": (("metric",), "Spike WARN when the z-score is at or above this."),
    "threshold_spike_critical_fraction_ratio": (("metric",),
                                                "Spike CRITICAL when the fraction of median is above this."),
    "threshold_spike_critical_zscore": (("metric",), "Spike CRITICAL when the z-score is at or above this."),
    "accepted_shift_timestamp_seconds": (("metric",), "The latest accepted level shift on or before the day "
                                                      "(00:00 UTC): baselines start there."),
    "threshold_attribution_coverage_min_ratio": ((), "WARN when attribution coverage is below this."),
    "threshold_reconciliation_revenue_tolerance": ((), "CRITICAL when |revenue difference| exceeds this."),
    "threshold_min_baseline_size": (("metric",), "Fewer usable baseline days than this: insufficient history."),
    "known_event": ((), "1 when the target day is a known event of the calendar (its drops are expected), else 0."),
    "data_date_timestamp_seconds": ((), "The target day evaluated, as a Unix time (00:00 UTC)."),
    "last_run_timestamp_seconds": ((), "When this run finished."),
    "last_success_timestamp_seconds": ((), "When the last run that evaluated finished."),
    "run_duration_seconds": ((), "Wall time of the run."),
    "up": ((), "1 when the run evaluated the day, 0 when it could not (database down, bad config)."),
}


PER_SEGMENT = ("metric_value", "baseline_median", "baseline_mad", "zscore", "fraction_of_median_ratio",
               "baseline_size", "attribution_coverage_ratio", "reconciliation_daily_value",
               "reconciliation_fact_value", "reconciliation_difference", "check_status", "check_evaluated")
"""The families that get a `segment` label on a segmented table (empty for the total: today's series)."""


def build_registry(config: Config, run: RunInfo, evaluation: Evaluation | None) -> CollectorRegistry:
    """A fresh registry holding this run's gauges; `evaluation` None means the run could not evaluate."""
    registry = CollectorRegistry()
    gauges: dict[str, Gauge] = {}
    segmented = config.segments is not None

    def put(name: str, value: float | None, **labels: str) -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return  # an undefined value gets no series, never a fake 0
        if name not in gauges:  # created on first use: an unlabelled Gauge would export a 0 at once
            names, doc = FAMILIES[name]
            names = (*names, "segment") if segmented and name in PER_SEGMENT else names
            gauges[name] = Gauge(PREFIX + name, doc, names, registry=registry)
        (gauges[name].labels(**labels) if labels else gauges[name]).set(value)

    put("up", 0 if evaluation is None else 1)
    put("last_run_timestamp_seconds", run.finished)
    put("run_duration_seconds", run.finished - run.started)
    if evaluation is None:  # only the run gauges: put over the group, they leave the last verdict in place
        return registry
    put("data_date_timestamp_seconds", _midnight(evaluation.target_date))
    if config.attribution_models:  # the thresholds of checks the config has, and only those
        put("threshold_attribution_coverage_min_ratio", config.thresholds.coverage_min)
    if config.fact:
        put("threshold_reconciliation_revenue_tolerance", config.thresholds.revenue_tolerance)
    for metric in config.drop_metrics:  # each metric's own thresholds, for the directions it is judged in
        rule = config.drop_rule(metric)
        for direction in rule.directions:
            prefix = "spike_" if direction == "spike" else ""
            for level in ("warn", "critical"):
                frac, z = limits(rule.thresholds, level, direction)
                put(f"threshold_{prefix}{level}_fraction_ratio", frac, metric=metric)
                put(f"threshold_{prefix}{level}_zscore", z, metric=metric)
        put("threshold_min_baseline_size", rule.baseline.minimum, metric=metric)
        shifts = [s.day for s in config.shifts(metric) if s.day <= evaluation.target_date]
        if shifts:
            put("accepted_shift_timestamp_seconds", _midnight(max(shifts)), metric=metric)
    put("known_event", 1 if evaluation.known_event else 0)
    put("last_success_timestamp_seconds", run.finished)
    put("status", int(evaluation.severity))
    put("daily_rows", evaluation.daily_rows)
    _checks(put, evaluation, segmented)
    for metric, days in restatements(evaluation).items():  # the total's: the ledger records the total
        put("restatements", days, metric=metric)
    return registry


def _checks(put, evaluation: Evaluation, segmented: bool) -> None:
    """Each check's status and numbers, labelled with its metric (and segment: empty for the total)."""
    for c in evaluation.checks:
        of = {"metric": c.metric, **({"segment": c.segment.label if c.segment else ""} if segmented else {})}
        put("check_status", int(c.severity), check=c.name, **of)
        put("check_evaluated", 0 if c.outcome is Outcome.NOT_EVALUATED else 1, check=c.name, **of)
        if c.name in (CheckName.DROP, CheckName.SPIKE):
            put("metric_value", c.value, **of)
            put("baseline_median", c.median, **of)
            put("baseline_mad", c.mad, **of)
            put("zscore", c.z, **of)
            put("fraction_of_median_ratio", c.frac, **of)
            put("baseline_size", c.baseline_days, **of)
        elif c.name is CheckName.ATTRIBUTION_BOUND:
            put("metric_value", c.value, **of)
        elif c.name is CheckName.ATTRIBUTION_COVERAGE:
            put("attribution_coverage_ratio", c.coverage, model=c.model or "", **of)
        elif c.name is CheckName.RECONCILIATION:
            put("reconciliation_daily_value", c.value, **of)
            put("reconciliation_fact_value", c.expected, **of)
            put("reconciliation_difference", c.difference, **of)


def _midnight(day: date) -> float:
    return datetime.combine(day, datetime.min.time(), timezone.utc).timestamp()


def restatements(evaluation: Evaluation) -> dict[str, int]:
    """Per volume metric, how many days `restated` reported (0: none); a metric it could not evaluate is absent."""
    checks = [c for c in evaluation.checks if c.name is CheckName.RESTATED and c.outcome is not Outcome.NOT_EVALUATED]
    return {m: sum(c.outcome is Outcome.WARNED for c in checks if c.metric == m) for m in dict.fromkeys(
        c.metric for c in checks)}
