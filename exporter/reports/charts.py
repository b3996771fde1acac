"""One chart of the backtest page per volume metric and rate, as inline SVG drawn by matplotlib. Builds text.

The value line breaks on a day without a value, where a marker and a label say why (no row, no value);
WARN and CRITICAL dots mark real drops only, grey dots the days of too little history, blue bands known
events. matplotlib (the `report` extra) is imported only here.
"""

from __future__ import annotations

import html
import io
from typing import Any

from ..config import Config
from ..errors import ConfigError, install_hint
from ..judge.drop_rule import limits
from ..judge.model import CheckName, CheckResult, Evaluation
from .days import COLOURS, CRITICAL, INSUFFICIENT, WARN, check_kind, missing_row

LINES = {"value": "#1f77b4", "median": "#555555"}


def chart(c: Config, metric: str, evaluations: list[Evaluation]) -> str:
    """A <section> holding the chart's SVG."""
    try:
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError(f"--html needs matplotlib: {install_hint('report')}") from None
    drops = [next((x for x in e.checks if x.metric == metric and x.name in (CheckName.DROP, CheckName.SPIKE)), None)
             for e in evaluations]
    days: Any = [e.target_date for e in evaluations]  # matplotlib's stubs want numbers, it takes dates
    with rc_context({"svg.fonttype": "none", "font.size": 10, "svg.hashsalt": "dmm"}):
        figure = Figure(figsize=(12, 3.2))
        ax = figure.subplots()
        _lines(ax, c, metric, days, drops)
        _marks(ax, days, drops)
        _gaps(ax, metric, days, drops, evaluations)
        _events(ax, days, evaluations)
        _shifts(ax, c, metric, days)
        _axes(ax, c, metric)
        figure.autofmt_xdate()
        out = io.StringIO()
        figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = out.getvalue()
    return f"<section class=\"chart\" data-metric=\"{html.escape(metric)}\">{svg[svg.index('<svg'):]}</section>"


def _series(drops: list[CheckResult | None], get) -> list[float]:
    return [float("nan") if x is None or get(x) is None else get(x) for x in drops]


def _lines(ax, c: Config, metric: str, days, drops) -> None:
    rule = c.drop_rule(metric)
    (value,) = ax.plot(days, _series(drops, lambda x: x.value), color=LINES["value"], label=metric)
    value.set_gid(f"value-{metric}")
    ax.plot(days, _series(drops, lambda x: x.median), color=LINES["median"], linestyle="--", label="baseline median")
    for direction in rule.directions:
        kind = "spike " if direction == "spike" else ""
        for level, colour in (("warn", COLOURS[WARN]), ("critical", COLOURS[CRITICAL])):
            frac = limits(rule.thresholds, level, direction)[0]
            ax.plot(days, _series(drops, lambda x, f=frac: x.median and x.median * f), color=colour, linewidth=0.8,
                    linestyle=":" if kind else "-", label=f"{kind}{level.upper()} level (median × {frac:g})")


def _shifts(ax, c: Config, metric: str, days) -> None:
    """Accepted level shifts in the range: a dashed line on the shift's day, its baseline starts there."""
    from matplotlib.dates import date2num

    inside = [s for s in c.shifts(metric) if days and days[0] <= s.day <= days[-1]]
    for n, shift in enumerate(inside):
        line = ax.axvline(date2num(shift.day), color=COLOURS["known event"], linestyle="--", linewidth=1.2,
                          label="accepted shift" if n == 0 else None)
        line.set_gid(f"shift-{shift.day}")


def _marks(ax, days, drops) -> None:
    """Dots on the value: CRITICAL and WARN drops, and the days judged on too little history."""
    for kind, label, colour in ((CRITICAL, "CRITICAL drop", COLOURS[CRITICAL]), (WARN, "WARN drop", COLOURS[WARN]),
                                (INSUFFICIENT, "not evaluated: insufficient history", "#9e9e9e")):
        marked = [(d, x.value) for d, x in zip(days, drops, strict=True)
                  if x is not None and x.value is not None and check_kind(x) == kind]
        if marked:
            xs, ys = zip(*marked, strict=True)
            ax.scatter(xs, ys, color=colour, zorder=3, s=24, label=label)


def _gaps(ax, metric: str, days, drops, evaluations: list[Evaluation]) -> None:
    """A dotted line, a cross and a label on each day without a value: no row, or a NULL/invalid value."""
    from matplotlib.dates import date2num

    gaps = [(d, "no row" if missing_row(e) else "no value") for d, x, e in zip(days, drops, evaluations, strict=True)
            if x is None or x.value is None]
    for n, (day, why) in enumerate(gaps):
        line = ax.axvline(day, color=COLOURS[CRITICAL], linestyle=":", linewidth=1.2,
                          label="day without a value" if n == 0 else None)
        line.set_gid(f"gap-{metric}-{day}")
        ax.scatter([day], [0.04], transform=ax.get_xaxis_transform(), marker="X", color=COLOURS[CRITICAL],
                   zorder=4, s=40, clip_on=False)
        ax.text(date2num(day), 0.96, f" {why} ", transform=ax.get_xaxis_transform(), rotation=90, va="top",
                ha="right", fontsize=9, color=COLOURS[CRITICAL])


def _events(ax, days, evaluations: list[Evaluation]) -> None:
    from matplotlib.dates import date2num

    events = [(d, e.known_event) for d, e in zip(days, evaluations, strict=True) if e.known_event]
    for n, (day, _) in enumerate(events):
        band = ax.axvspan(date2num(day) - 0.5, date2num(day) + 0.5, color=COLOURS["known event"], alpha=0.15,
                          label="known event" if n == 0 else None)
        band.set_gid(f"event-{day}")


def _axes(ax, c: Config, metric: str) -> None:
    from matplotlib.ticker import PercentFormatter

    if metric in {r.name for r in c.rates}:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel(f"{metric} (% per day)")
    else:
        unit = f" ({c.currency})".replace("$", r"\$") if metric == "revenue" and c.currency else ""
        ax.set_ylabel(f"{metric} per day{unit}")
    ax.set_xlabel("data day")
    ax.set_title(f"{metric} against its {c.drop_rule(metric).baseline.name} median", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.grid(alpha=0.3)
