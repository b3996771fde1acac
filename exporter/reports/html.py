"""A backtest as a page to look at: a chart per volume metric and rate, and the summary. Builds, never writes.

Self-contained: the charts are inline SVG drawn by matplotlib (the `report` extra), no script and no
network, so the file opens anywhere, a mail attachment included.
"""

from __future__ import annotations

import html
import io
from typing import Any

from ..config import Config
from ..errors import ConfigError
from ..judge.backtest import summary
from ..judge.model import CheckName, Evaluation, Outcome, Severity

STYLE = """body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin:18px 0 4px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}.ok{color:#2a7}.warn{color:#c70}.critical{color:#c22}
section.chart svg{width:100%;height:auto}"""
COLOURS = {"value": "#1f77b4", "median": "#555555", "warn": "#e69500", "critical": "#d62728", "event": "#3b5bdb"}


def page(c: Config, evaluations: list[Evaluation]) -> str:
    """The whole HTML document."""
    first, last = evaluations[0].target_date, evaluations[-1].target_date
    charts = [_chart(c, metric, evaluations) for metric in c.drop_metrics]
    title = f"daily-metrics-monitor backtest: {c.pipeline}, {first} .. {last}"
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{_summary(evaluations)}\n"
            + "\n".join(charts) + "\n</body></html>\n")


def _summary(evaluations: list[Evaluation]) -> str:
    s = summary(evaluations)
    st, run = s["status"], s["longest_warn_run"]
    rows = "".join(f"<tr><td>{html.escape(c['check'])}</td><td>{html.escape(c['metric'])}</td>"
                   f"<td class=\"{c['severity']}\">{c['severity']}</td><td>{c['days']}</td></tr>" for c in s["checks"])
    longest = f"{run['days']} days ({run['from']} .. {run['to']})" if run["days"] else "none"
    return (f"<table id=\"summary\"><tr><th>days</th><th class=\"ok\">ok</th><th class=\"warn\">warn</th>"
            f"<th class=\"critical\">critical</th><th>longest run of WARN or worse</th></tr><tr><td>{s['days']}</td>"
            f"<td>{st['ok']}</td><td>{st['warn']}</td><td>{st['critical']}</td><td>{longest}</td></tr></table>\n"
            f"<table id=\"checks\"><tr><th>check</th><th>metric</th><th>severity</th><th>days</th></tr>{rows}</table>")


def _chart(c: Config, metric: str, evaluations: list[Evaluation]) -> str:
    try:
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError("--html needs matplotlib: pip install 'daily-metrics-monitor[report]'") from None
    rule = c.drop_rule(metric).thresholds
    points = [(e.target_date, next((x for x in e.checks if (x.name, x.metric) == (CheckName.DROP, metric)), None), e)
              for e in evaluations]
    days: Any = [d for d, check, _ in points if check is not None]  # matplotlib's stubs want numbers, it takes dates
    checks = [check for _, check, _ in points if check is not None]

    def series(get):
        return [get(x) if get(x) is not None else float("nan") for x in checks]

    with rc_context({"svg.fonttype": "none", "font.size": 9}):
        figure = Figure(figsize=(12, 2.8))
        ax = figure.subplots()
        ax.plot(days, series(lambda x: x.value), color=COLOURS["value"], label=metric)
        ax.plot(days, series(lambda x: x.median), color=COLOURS["median"], linestyle="--", label="baseline median")
        ax.plot(days, series(lambda x: x.median and x.median * rule.warn_frac), color=COLOURS["warn"], linewidth=0.8,
                label=f"WARN level (median × {rule.warn_frac:g})")
        ax.plot(days, series(lambda x: x.median and x.median * rule.critical_frac), color=COLOURS["critical"],
                linewidth=0.8, label=f"CRITICAL level (median × {rule.critical_frac:g})")
        for severity, name in ((Severity.WARN, "warn"), (Severity.CRITICAL, "critical")):
            marked = [(d, x.value) for d, x in zip(days, checks, strict=True)
                      if x.severity is severity and x.value is not None]
            if marked:
                xs, ys = zip(*marked, strict=True)
                ax.scatter(xs, ys, color=COLOURS[name], zorder=3, s=22, label=f"{name.upper()} day")
        expected = [(d, x.value) for d, x in zip(days, checks, strict=True)
                    if x.outcome is Outcome.EXPECTED and x.value is not None]
        if expected:
            xs, ys = zip(*expected, strict=True)
            ax.scatter(xs, ys, color=COLOURS["event"], marker="s", zorder=3, s=22, label="known event")
        ax.set_title(f"{metric} against its {c.drop_rule(metric).baseline.name} median", loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        ax.grid(alpha=0.3)
        figure.autofmt_xdate()
        out = io.StringIO()
        figure.savefig(out, format="svg", bbox_inches="tight")
    svg = out.getvalue()
    return f"<section class=\"chart\" data-metric=\"{html.escape(metric)}\">{svg[svg.index('<svg'):]}</section>"
