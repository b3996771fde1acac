"""The Grafana dashboard, rendered from the config: a metric added to the config gets its panels."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..numbers import number

DATASOURCE = {"type": "prometheus", "uid": "dmm-prometheus"}
STATUS_MAPPING = [{"type": "value", "options": {
    "0": {"text": "OK", "color": "green", "index": 0},
    "1": {"text": "WARN", "color": "orange", "index": 1},
    "2": {"text": "CRITICAL", "color": "red", "index": 2}}}]
STATUS_THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "orange", "value": 1},
                                                   {"color": "red", "value": 2}]}


class _Layout:
    """Hands out panel ids and grid positions, row by row on Grafana's 24-column grid."""

    def __init__(self):
        self.panels: list[dict] = []
        self.x = self.y = self.row_height = 0

    def add(self, panel: dict, w: int, h: int) -> None:
        if self.x + w > 24:
            self.x, self.y, self.row_height = 0, self.y + self.row_height, 0
        panel["id"] = len(self.panels) + 1
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.panels.append(panel)
        self.x += w
        self.row_height = max(self.row_height, h)

    def row(self, title: str) -> None:
        if self.x:
            self.x, self.y, self.row_height = 0, self.y + self.row_height, 0
        self.add({"type": "row", "title": title, "collapsed": False, "panels": []}, 24, 1)
        self.x, self.y, self.row_height = 0, self.y + 1, 0


def _target(expr: str, legend: str, ref: str = "A", instant: bool = False) -> dict:
    target: dict[str, Any] = {"datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "refId": ref}
    if instant:
        target.update(instant=True, range=False, format="table")
    return target


def _panel(kind: str, title: str, targets: list[dict], description: str = "", unit: str | None = None,
           mappings=None, thresholds=None, options=None) -> dict:
    defaults: dict = {}
    if unit:
        defaults["unit"] = unit
    if mappings:
        defaults["mappings"] = mappings
    if thresholds:
        defaults.update(thresholds=thresholds, color={"mode": "thresholds"})
    for i, t in enumerate(targets):
        t["refId"] = chr(ord("A") + i)
    return {"type": kind, "title": title, "description": description, "datasource": DATASOURCE,
            "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": []}, "options": options or {}}


def dashboard(c: Config) -> dict:
    """The dashboard JSON model (schemaVersion 39, Grafana 10.4)."""
    sel = f'job="{c.job}",pipeline=~"$pipeline"'
    layout = _Layout()
    total = f'{sel},segment=""' if c.segments else sel  # the total's series (a family without segments matches)
    _verdict_row(layout, c, total)
    _statistics_rows(layout, c, total)
    if c.segments:
        _segment_rows(layout, c, sel)
    return {
        "uid": uid(c), "title": f"daily-metrics-monitor: {c.pipeline}",
        "tags": ["data-quality", "daily-metrics-monitor"],
        "timezone": "utc", "schemaVersion": 39, "version": 1, "editable": True, "refresh": "5m",
        "time": {"from": "now-30d", "to": "now"},
        "description": "Verdicts and statistics pushed by daily-metrics-monitor. Rendered: do not edit.",
        "templating": {"list": [
            _variable("pipeline", f'label_values(dmm_up{{job="{c.job}"}}, pipeline)', c.pipeline),
            _variable("metric", f'label_values(dmm_metric_value{{{sel}}}, metric)'),
            *([_variable("segment", f'label_values(dmm_metric_value{{{sel}}}, segment)')] if c.segments else []),
        ]},
        "annotations": {"list": _annotations(c)},
        "panels": layout.panels,
    }


def _annotations(c: Config) -> list[dict]:
    """Grafana's annotations: the pipeline's firing CRITICAL and WARN alerts, and its known-event days.

    Drawn where the verdict was live: from the push of a day's verdict to the next, on the same time axis
    as the panels' pushed values (a backfill stamps them at the end of the data day).
    """
    sel = f'job="{c.job}",pipeline=~"$pipeline"'

    def alerts(severity: str, level: str, colour: str) -> dict:
        return _annotation(f"{level} alerts", colour,
                           f'ALERTS{{alertstate="firing",severity="{severity}",{sel}}}', "{{alertname}}",
                           f"{level}: {{{{check}}}} {{{{metric}}}} ({{{{alertname}}}}) in pipeline {{{{pipeline}}}}",
                           "pipeline,severity,check,metric")

    return [alerts("critical", "CRITICAL", "red"), alerts("warning", "WARN", "orange"),
            _annotation("Known events", "blue", f"dmm_known_event{{{sel}}} == 1", "known event",
                        "Known event (calendar) in pipeline {{pipeline}}: the day's drops are expected, "
                        "the drop alerts hold back", "pipeline")]


def _annotation(name: str, colour: str, expr: str, title: str, text: str, tags: str) -> dict:
    return {"name": name, "datasource": DATASOURCE, "enable": True, "hide": False, "iconColor": colour,
            "expr": expr, "step": "5m", "titleFormat": title, "textFormat": text, "tagKeys": tags,
            "useValueForTime": False}


def _verdict_row(layout: _Layout, c: Config, sel: str) -> None:
    """The run's verdict: status, up, ages, firing alerts (of every segment), one tile per check, known event."""
    every = sel.removesuffix(',segment=""')
    layout.row("Verdict")
    layout.add(_panel("stat", "Overall status", [_target(f"dmm_status{{{sel}}}", "{{pipeline}}")],
                      "Worst check of the last run: OK, WARN or CRITICAL.", mappings=STATUS_MAPPING,
                      thresholds=STATUS_THRESHOLDS), 4, 5)
    layout.add(_panel("stat", "Job evaluated (up)", [_target(f"dmm_up{{{sel}}}", "{{pipeline}}")],
                      "0 when the last run could not evaluate (database down, bad config).",
                      mappings=[{"type": "value", "options": {"0": {"text": "DOWN", "color": "red", "index": 0},
                                                              "1": {"text": "UP", "color": "green", "index": 1}}}],
                      thresholds={"mode": "absolute", "steps": [{"color": "red", "value": None},
                                                                {"color": "green", "value": 1}]}), 4, 5)
    layout.add(_panel("stat", "Last successful run", [_target(
        f"time() - max_over_time(dmm_last_success_timestamp_seconds{{{sel}}}[35d])", "{{pipeline}}")],
        "Age of the last run that evaluated the day.", unit="s",
        thresholds={"mode": "absolute", "steps": [
            {"color": "green", "value": None}, {"color": "orange", "value": c.alerting.not_run_warning_hours * 3600},
            {"color": "red", "value": c.alerting.not_run_critical_hours * 3600}]}), 4, 5)
    layout.add(_panel("stat", "Data date age", [_target(f"time() - dmm_data_date_timestamp_seconds{{{sel}}}",
                                                        "{{pipeline}}")],
                      "How old the day judged by the last run is (00:00 UTC of that day).", unit="s",
                      thresholds={"mode": "absolute", "steps": [
                          {"color": "green", "value": None},
                          {"color": "orange", "value": c.alerting.data_lag_max_hours * 3600}]}), 4, 5)
    layout.add(_panel("table", "Firing alerts", [_target(
        f'ALERTS{{alertstate="firing",alertname=~"DailyMetrics.*",{every}}}', "", instant=True)],
        "Alerts Prometheus is firing now for the selected pipelines."), 8, 5)
    layout.add(_panel("stat", "Checks", [_target(f"dmm_check_status{{{sel}}}", "{{check}} {{metric}}")],
                      "One tile per check of the last run.", mappings=STATUS_MAPPING, thresholds=STATUS_THRESHOLDS,
                      options={"colorMode": "background", "graphMode": "none", "textMode": "value_and_name",
                               "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}), 20, 8)
    layout.add(_panel("stat", "Known event", [_target(f"dmm_known_event{{{sel}}}", "{{pipeline}}")],
                      "1 when the judged day is on the calendar of known events: its drops are expected and "
                      "the drop alerts hold back.",
                      mappings=[{"type": "value", "options": {"0": {"text": "no", "color": "green", "index": 0},
                                                              "1": {"text": "known event", "color": "blue",
                                                                    "index": 1}}}]), 4, 8)


def _statistics_rows(layout: _Layout, c: Config, sel: str) -> None:
    """The numbers behind the verdict: levels, drop statistics, funnel, attribution, reconciliation, baselines."""
    layout.row("Volume metrics against their baseline")
    for metric in c.volume_metrics:
        layout.add(_level_panel(metric, sel, c.drop_rule(metric).baseline.name), 8, 8)
    layout.row("Drop statistics")
    layout.add(_panel("timeseries", title="Robust z-score", targets=[
        _target(f'dmm_zscore{{{sel},metric=~"$metric"}}', "{{metric}}"),
        _target(f'dmm_threshold_warn_zscore{{{sel},metric=~"$metric"}}', "{{metric}} WARN level"),
        _target(f'dmm_threshold_critical_zscore{{{sel},metric=~"$metric"}}', "{{metric}} CRITICAL level")],
        description=f"(value - median) / MAD; WARN at or below {number(c.thresholds.warn_z)}, CRITICAL at or below "
                    f"{number(c.thresholds.critical_z)} (with the fraction below its level too)."), 12, 8)
    layout.add(_panel("timeseries", title="Fraction of median", targets=[
        _target(f'dmm_fraction_of_median_ratio{{{sel},metric=~"$metric"}}', "{{metric}}"),
        _target(f'dmm_threshold_warn_fraction_ratio{{{sel},metric=~"$metric"}}', "{{metric}} WARN level"),
        _target(f'dmm_threshold_critical_fraction_ratio{{{sel},metric=~"$metric"}}', "{{metric}} CRITICAL level")],
        description=f"value / median; WARN below {number(c.thresholds.warn_frac)}, CRITICAL below "
                    f"{number(c.thresholds.critical_frac)}.", unit="percentunit"), 12, 8)
    rates = "|".join(r.name for r in c.rates)
    if rates or c.attribution_models:
        layout.row("Funnel and attribution")
    if rates:
        layout.add(_panel("timeseries", title="Funnel rates", targets=[
            _target(f'dmm_metric_value{{{sel},metric=~"{rates}"}}', "{{metric}}"),
            _target(f'dmm_baseline_median{{{sel},metric=~"{rates}"}}', "{{metric}} median")],
            description="; ".join(f"{r.name} = {r.numerator} / {r.denominator}" for r in c.rates),
            unit="percentunit"), 12, 8)
    if c.attribution_models:
        layout.add(_panel("timeseries", title="Attribution coverage", targets=[
            _target(f"dmm_attribution_coverage_ratio{{{sel}}}", "{{model}}"),
            _target(f"dmm_threshold_attribution_coverage_min_ratio{{{sel}}}", "minimum")],
            description="Attributed orders / orders per model; WARN below the minimum.", unit="percentunit"), 12, 8)
    layout.row("Reconciliation with fct_orders" if c.fact else "Baselines")
    if c.fact:
        layout.add(_panel("timeseries", title="Reconciliation difference (daily_metrics - fct_orders)", targets=[
            _target(f"dmm_reconciliation_difference{{{sel}}}", "{{metric}}"),
            _target(f"dmm_threshold_reconciliation_revenue_tolerance{{{sel}}}", "revenue tolerance")],
            description="Any order difference is CRITICAL; revenue beyond the tolerance is CRITICAL."), 12, 8)
    layout.add(_panel("timeseries", title="Baseline days used", targets=[
        _target(f'dmm_baseline_size{{{sel},metric=~"$metric"}}', "{{metric}}"),
        _target(f'dmm_threshold_min_baseline_size{{{sel},metric=~"$metric"}}', "{{metric}} minimum")],
        description="Fewer usable days than the minimum: insufficient history (WARN)."), 12, 8)


def _level_panel(metric: str, sel: str, baseline: str) -> dict:
    one = f'{sel},metric="{metric}"'
    median = f"dmm_baseline_median{{{one}}}"
    return _panel("timeseries", title=f"{metric} vs {baseline} median", targets=[
        _target(f"dmm_metric_value{{{one}}}", metric),
        _target(median, "median"),
        _target(f"{median} * on (job, pipeline, metric) dmm_threshold_warn_fraction_ratio{{{one}}}", "WARN level"),
        _target(f"{median} * on (job, pipeline, metric) dmm_threshold_critical_fraction_ratio{{{one}}}",
                "CRITICAL level")],
        description=f"{metric} for the day against its baseline median and the WARN/CRITICAL levels "
                    "(median x threshold fraction).")


def _segment_rows(layout: _Layout, c: Config, sel: str) -> None:
    """A segmented table: each volume metric per judged segment (the `segment` variable picks them), and the
    segments' failing checks."""
    one = f'{sel},segment=~"$segment",segment!=""'
    layout.row("Segments")
    layout.add(_panel("table", "Failing segment checks", [_target(f"dmm_check_status{{{one}}} > 0", "",
                                                                  instant=True)],
                      "Every WARN (1) or CRITICAL (2) check of a judged segment in the last run."), 24, 6)
    for metric in c.volume_metrics:
        layout.add(_panel("timeseries", title=f"{metric} by segment", targets=[
            _target(f'dmm_metric_value{{{one},metric="{metric}"}}', "{{segment}}"),
            _target(f'dmm_baseline_median{{{one},metric="{metric}"}}', "{{segment}} median")],
            description=f"{metric} of each judged segment (and other) against its own baseline median."), 8, 8)
    layout.add(_panel("timeseries", title="Fraction of median by segment", targets=[
        _target(f'dmm_fraction_of_median_ratio{{{one},metric=~"$metric"}}', "{{metric}} {{segment}}")],
        description="value / median of each segment's metrics; the drop levels are the total's unless "
                    "overridden.", unit="percentunit"), 12, 8)
    layout.add(_panel("timeseries", title="Robust z-score by segment", targets=[
        _target(f'dmm_zscore{{{one},metric=~"$metric"}}', "{{metric}} {{segment}}")],
        description="(value - median) / MAD of each segment's metrics."), 12, 8)


def uid(c: Config) -> str:
    """Grafana's uid (at most 40 characters): one dashboard per pipeline."""
    text = f"dmm-{c.pipeline}"
    if len(text) <= 40:
        return text
    import hashlib

    return f"{text[:31]}-{hashlib.sha256(c.pipeline.encode()).hexdigest()[:8]}"


def _variable(name: str, query: str, current: str | None = None) -> dict:
    selected = {"text": [current], "value": [current]} if current else {"text": ["All"], "value": ["$__all"]}
    return {"name": name, "label": name, "type": "query", "datasource": DATASOURCE,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
            "current": {"selected": True, **selected}, "sort": 1}
