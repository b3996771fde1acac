"""The Grafana dashboard, rendered from the config: a metric added to the config gets its panels."""

from __future__ import annotations

from .. import families as F
from ..checks import spec_of
from ..checks.panels import DATASOURCE, panel, target
from ..config import Config
from ..judge.model import CheckName, Severity
from ..numbers import number

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
            _variable("pipeline", f'label_values({F.UP}{{job="{c.job}"}}, pipeline)', c.pipeline),
            _variable("metric", f'label_values({F.METRIC_VALUE}{{{sel}}}, metric)'),
            *([_variable("segment", f'label_values({F.METRIC_VALUE}{{{sel}}}, segment)')] if c.segments else []),
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

    def alerts(severity: Severity, colour: str) -> dict:
        level = severity.name
        return _annotation(f"{level} alerts", colour,
                           f'ALERTS{{alertstate="firing",severity="{severity.alert}",{sel}}}', "{{alertname}}",
                           f"{level}: {{{{check}}}} {{{{metric}}}} ({{{{alertname}}}}) in pipeline {{{{pipeline}}}}",
                           "pipeline,severity,check,metric")

    return [alerts(Severity.CRITICAL, "red"), alerts(Severity.WARN, "orange"),
            _annotation("Known events", "blue", f"{F.KNOWN_EVENT}{{{sel}}} == 1", "known event",
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
    layout.add(panel("stat", "Overall status", [target(f"{F.STATUS}{{{sel}}}", "{{pipeline}}")],
                      "Worst check of the last run: OK, WARN or CRITICAL.", mappings=STATUS_MAPPING,
                      thresholds=STATUS_THRESHOLDS), 4, 5)
    layout.add(panel("stat", "Job evaluated (up)", [target(f"{F.UP}{{{sel}}}", "{{pipeline}}")],
                      "0 when the last run could not evaluate (database down, bad config).",
                      mappings=[{"type": "value", "options": {"0": {"text": "DOWN", "color": "red", "index": 0},
                                                              "1": {"text": "UP", "color": "green", "index": 1}}}],
                      thresholds={"mode": "absolute", "steps": [{"color": "red", "value": None},
                                                                {"color": "green", "value": 1}]}), 4, 5)
    layout.add(panel("stat", "Last successful run", [target(
        f"time() - max_over_time({F.LAST_SUCCESS}{{{sel}}}[35d])", "{{pipeline}}")],
        "Age of the last run that evaluated the day.", unit="s",
        thresholds={"mode": "absolute", "steps": [
            {"color": "green", "value": None}, {"color": "orange", "value": c.alerting.not_run_warning_hours * 3600},
            {"color": "red", "value": c.alerting.not_run_critical_hours * 3600}]}), 4, 5)
    layout.add(panel("stat", "Data date age", [target(f"time() - {F.DATA_DATE}{{{sel}}}",
                                                        "{{pipeline}}")],
                      "How old the day judged by the last run is (00:00 UTC of that day).", unit="s",
                      thresholds={"mode": "absolute", "steps": [
                          {"color": "green", "value": None},
                          {"color": "orange", "value": c.alerting.data_lag_max_hours * 3600}]}), 4, 5)
    layout.add(panel("table", "Firing alerts", [target(
        f'ALERTS{{alertstate="firing",alertname=~"DailyMetrics.*",{every}}}', "", instant=True)],
        "Alerts Prometheus is firing now for the selected pipelines."), 8, 5)
    layout.add(panel("stat", "Checks", [target(f"{F.CHECK_STATUS}{{{sel}}}", "{{check}} {{metric}}")],
                      "One tile per check of the last run.", mappings=STATUS_MAPPING, thresholds=STATUS_THRESHOLDS,
                      options={"colorMode": "background", "graphMode": "none", "textMode": "value_and_name",
                               "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}), 20, 8)
    layout.add(panel("stat", "Known event", [target(f"{F.KNOWN_EVENT}{{{sel}}}", "{{pipeline}}")],
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
    layout.add(panel("timeseries", title="Robust z-score", targets=[
        target(f'{F.ZSCORE}{{{sel},metric=~"$metric"}}', "{{metric}}"),
        target(f'{F.THRESHOLD_WARN_ZSCORE}{{{sel},metric=~"$metric"}}', "{{metric}} WARN level"),
        target(f'{F.THRESHOLD_CRITICAL_ZSCORE}{{{sel},metric=~"$metric"}}', "{{metric}} CRITICAL level")],
        description=f"(value - median) / MAD; WARN at or below {number(c.thresholds.warn_z)}, CRITICAL at or below "
                    f"{number(c.thresholds.critical_z)} (with the fraction below its level too)."), 12, 8)
    layout.add(panel("timeseries", title="Fraction of median", targets=[
        target(f'{F.FRACTION}{{{sel},metric=~"$metric"}}', "{{metric}}"),
        target(f'{F.THRESHOLD_WARN_FRACTION}{{{sel},metric=~"$metric"}}', "{{metric}} WARN level"),
        target(f'{F.THRESHOLD_CRITICAL_FRACTION}{{{sel},metric=~"$metric"}}', "{{metric}} CRITICAL level")],
        description=f"value / median; WARN below {number(c.thresholds.warn_frac)}, CRITICAL below "
                    f"{number(c.thresholds.critical_frac)}.", unit="percentunit"), 12, 8)
    rates = "|".join(r.name for r in c.rates)
    if rates or spec_of(CheckName.ATTRIBUTION_COVERAGE).enabled(c):
        layout.row("Funnel and attribution")
    if rates:
        layout.add(panel("timeseries", title="Funnel rates", targets=[
            target(f'{F.METRIC_VALUE}{{{sel},metric=~"{rates}"}}', "{{metric}}"),
            target(f'{F.BASELINE_MEDIAN}{{{sel},metric=~"{rates}"}}', "{{metric}} median")],
            description="; ".join(f"{r.name} = {r.numerator} / {r.denominator}" for r in c.rates),
            unit="percentunit"), 12, 8)
    _spec_panels(layout, c, CheckName.ATTRIBUTION_COVERAGE, sel)
    layout.row("Reconciliation with fct_orders" if spec_of(CheckName.RECONCILIATION).enabled(c) else "Baselines")
    _spec_panels(layout, c, CheckName.RECONCILIATION, sel)
    layout.add(panel("timeseries", title="Baseline days used", targets=[
        target(f'{F.BASELINE_SIZE}{{{sel},metric=~"$metric"}}', "{{metric}}"),
        target(f'{F.THRESHOLD_MIN_BASELINE_SIZE}{{{sel},metric=~"$metric"}}', "{{metric}} minimum")],
        description="Fewer usable days than the minimum: insufficient history (WARN)."), 12, 8)


def _spec_panels(layout: _Layout, c: Config, name: CheckName, sel: str) -> None:
    """The panels of a check the config has."""
    spec = spec_of(name)
    for one, w, h in spec.panels(c, sel) if spec.enabled(c) else ():
        layout.add(one, w, h)


def _level_panel(metric: str, sel: str, baseline: str) -> dict:
    one = f'{sel},metric="{metric}"'
    median = f"{F.BASELINE_MEDIAN}{{{one}}}"
    return panel("timeseries", title=f"{metric} vs {baseline} median", targets=[
        target(f"{F.METRIC_VALUE}{{{one}}}", metric),
        target(median, "median"),
        target(f"{median} * on (job, pipeline, metric) {F.THRESHOLD_WARN_FRACTION}{{{one}}}", "WARN level"),
        target(f"{median} * on (job, pipeline, metric) {F.THRESHOLD_CRITICAL_FRACTION}{{{one}}}",
                "CRITICAL level")],
        description=f"{metric} for the day against its baseline median and the WARN/CRITICAL levels "
                    "(median x threshold fraction).")


def _segment_rows(layout: _Layout, c: Config, sel: str) -> None:
    """A segmented table: each volume metric per judged segment (the `segment` variable picks them), and the
    segments' failing checks."""
    one = f'{sel},segment=~"$segment",segment!=""'
    layout.row("Segments")
    layout.add(panel("table", "Failing segment checks", [target(f"{F.CHECK_STATUS}{{{one}}} > 0", "",
                                                                  instant=True)],
                      "Every WARN (1) or CRITICAL (2) check of a judged segment in the last run."), 24, 6)
    for metric in c.volume_metrics:
        layout.add(panel("timeseries", title=f"{metric} by segment", targets=[
            target(f'{F.METRIC_VALUE}{{{one},metric="{metric}"}}', "{{segment}}"),
            target(f'{F.BASELINE_MEDIAN}{{{one},metric="{metric}"}}', "{{segment}} median")],
            description=f"{metric} of each judged segment (and other) against its own baseline median."), 8, 8)
    layout.add(panel("timeseries", title="Fraction of median by segment", targets=[
        target(f'{F.FRACTION}{{{one},metric=~"$metric"}}', "{{metric}} {{segment}}")],
        description="value / median of each segment's metrics; the drop levels are the total's unless "
                    "overridden.", unit="percentunit"), 12, 8)
    layout.add(panel("timeseries", title="Robust z-score by segment", targets=[
        target(f'{F.ZSCORE}{{{one},metric=~"$metric"}}', "{{metric}} {{segment}}")],
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
