"""A small chart per incident: its metric in its segment around its days, with the median and the WARN and
CRITICAL levels of the incident's direction, as inline SVG drawn by matplotlib. Builds text."""

from __future__ import annotations

import html
import io
from datetime import timedelta
from typing import Any

from ..config import Config
from ..judge.drop_rule import limits
from ..judge.incidents import CHANGES, Incident
from ..judge.model import CheckName, CheckResult, Evaluation
from .days import COLOURS, CRITICAL, WARN

BEFORE, AFTER = 21, 7
"""Days shown before the incident's first day and after its last."""


def around(i: Incident, evaluations: list[Evaluation]) -> list[Evaluation]:
    first, last = i.first - timedelta(days=BEFORE), i.last + timedelta(days=AFTER)
    return [e for e in evaluations if first <= e.target_date <= last]


def series(i: Incident, evaluations: list[Evaluation]) -> tuple[CheckName, str, list[CheckResult | None]]:
    """The check charted (the peak's, or the drop of its metric when the peak is no drop or spike), its metric and
    its verdict each day (None: no such check that day)."""
    name = i.peak.name if i.peak.name in CHANGES else CheckName.DROP
    metric = i.peak.metric
    return name, metric, [next((x for x in e.checks if x.name is name and x.metric == metric
                                and x.segment == i.segment), None) for e in evaluations]


def small_chart(c: Config, i: Incident, evaluations: list[Evaluation]) -> str:
    """An <svg> 560 px wide, or '' when the metric has no drop rule (a check of another metric)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    shown = around(i, evaluations)
    name, metric, checks = series(i, shown)
    if metric not in c.drop_metrics or not any(x is not None and x.value is not None for x in checks):
        return ""
    days: Any = [e.target_date for e in shown]
    with rc_context({"svg.fonttype": "none", "font.size": 8, "svg.hashsalt": "dmm"}):
        figure = Figure(figsize=(5.6, 1.7))
        ax = figure.subplots()
        _draw(ax, c, i, name, metric, days, checks)
        out = io.StringIO()
        figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = out.getvalue()
    return svg[svg.index("<svg"):]


def _draw(ax, c: Config, i: Incident, name: CheckName, metric: str, days, checks) -> None:
    from matplotlib.dates import DateFormatter, date2num

    def line(get) -> list[float]:
        return [float("nan") if x is None or get(x) is None else get(x) for x in checks]

    (value,) = ax.plot(days, line(lambda x: x.value), color="#1f77b4", label=metric)
    value.set_gid(f"incident-value-{i.key}")
    ax.plot(days, line(lambda x: x.median), color="#555555", linestyle="--", label="median")
    direction = "spike" if name is CheckName.SPIKE else "drop"
    thresholds = c.drop_rule(metric).thresholds
    for level, colour in (("warn", COLOURS[WARN]), ("critical", COLOURS[CRITICAL])):
        frac = limits(thresholds, level, direction)[0]
        ax.plot(days, line(lambda x, f=frac: x.median and x.median * f), color=colour, linewidth=0.8,
                label=f"{level.upper()} (× {frac:g})")
    band = ax.axvspan(date2num(i.first) - 0.5, date2num(i.last) + 0.5, color=COLOURS[CRITICAL], alpha=0.08)
    band.set_gid(f"incident-days-{i.key}")
    ax.xaxis.set_major_formatter(DateFormatter("%m-%d"))
    ax.set_title(f"{metric}{i.where}", loc="left", fontsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    ax.grid(alpha=0.3)


def card(c: Config, i: Incident, evaluations: list[Evaluation], charted: bool) -> str:
    """One incident: its line, and its chart when `charted`."""
    svg = small_chart(c, i, evaluations) if charted else ""
    css = i.severity.label if i.kind == "alert" else i.kind.replace(" ", "-")
    return (f'<li class="incident {css}" id="incident-{html.escape(i.key.replace(" ", "_"))}" '
            f'data-first="{i.first}" data-last="{i.last}" data-open="{str(i.open).lower()}">'
            f'<span class="line">{html.escape(i.line())}</span>{svg}</li>')
