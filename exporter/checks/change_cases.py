"""The promtool cases of the drop and spike alerts: each level's boundaries, known events, too little history."""

from __future__ import annotations

from ..config import Config
from ..families import (
    BASELINE_MEDIAN,
    BASELINE_SIZE,
    CHECK_EVALUATED,
    FRACTION,
    KNOWN_EVENT,
    METRIC_VALUE,
    ZSCORE,
)
from ..judge.model import CheckName
from .alerting import Case


def _drop(frac: float, z: float, metric: str = "orders") -> list:
    m = {"metric": metric}
    return [(FRACTION, m, frac), (ZSCORE, m, z), (METRIC_VALUE, m, 42.0), (BASELINE_MEDIAN, m, 100.0)]


def cases(c: Config) -> list[Case]:
    """Boundaries of the rules that judge `orders` (its own thresholds where the config overrides them), and of
    the spike rules where a metric is judged for spikes."""
    return _drop_cases(c) + _spike_cases(c)


def _drop_cases(c: Config) -> list[Case]:
    rule = c.drop_rule("orders")
    t, minimum = rule.thresholds, rule.baseline.minimum
    drop = {"metric": "orders", "check": CheckName.DROP}
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
                                                                        (KNOWN_EVENT, {}, 1)],
             {"DailyMetricsDrop": [], "DailyMetricsSharpDrop": []}),
        Case("insufficient history fires and is not also 'not evaluated'",
             [(BASELINE_SIZE, {"metric": "orders"}, minimum - 1),
              (CHECK_EVALUATED, {"check": CheckName.DROP, "metric": "orders"}, 0)],
             {"DailyMetricsInsufficientHistory": [drop], "DailyMetricsCheckNotEvaluated": []}),
        Case("enough history does not fire", [(BASELINE_SIZE, {"metric": "orders"}, minimum)],
             {"DailyMetricsInsufficientHistory": []}),
    ]


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
             [*_drop(above_crit * 10, t.spike_critical_z + 100, metric), (KNOWN_EVENT, {}, 1)],
             {"DailyMetricsSpike": [], "DailyMetricsSharpSpike": []}),
    ]
