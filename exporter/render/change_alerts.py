"""The drop and spike alerts as PromQL, generated from the judge's own comparison table. Builds, never writes."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..judge.drop_rule import BOUNDS, limits
from ..judge.model import CheckName
from ..numbers import number
from .drops import described, either, judged


def on(c: Config, *labels: str) -> str:
    """The labels that match one metric's series (and, on a segmented table, one segment's)."""
    return f"on ({', '.join(('job', 'pipeline', *labels, 'metric', *(('segment',) if c.segments else ())))})"


def about(c: Config) -> str:
    """The alert's subject: its metric, and its segment on a segmented table ('orders [country=NL]')."""
    return "{{ $labels.metric }}" + ("{{ with $labels.segment }} [{{ . }}]{{ end }}" if c.segments else "")


GAUGES = {"frac": "dmm_fraction_of_median_ratio", "z": "dmm_zscore"}
"""The pushed gauge of each statistic the drop and spike rules compare."""
NAMES = {"drop": ("DailyMetricsSharpDrop", "DailyMetricsDrop", "dropped sharply", "dropped significantly"),
         "spike": ("DailyMetricsSharpSpike", "DailyMetricsSpike", "spiked sharply", "rose significantly")}


def expression(c: Config, sel: str, direction: str, level: str) -> str:
    """Every bound of the level crossed, per group of metrics sharing thresholds."""
    def term(m: str, values: Any) -> str:
        return f" and {on(c)} ".join(f"{GAUGES[b.statistic]}{{{sel}{m}}} {b.op} {number(v)}"
                                  for b, v in zip(BOUNDS[direction], values, strict=True))
    return either(c, lambda r: limits(r.thresholds, level, direction), term, direction)


def levels_text(c: Config, direction: str, level: str) -> str:
    """'frac < 0.3 and z <= -5' (and each overridden group's), for the description."""
    return described(c, lambda r: limits(r.thresholds, level, direction),
                     lambda values: " and ".join(f"{b.statistic} {b.op} {number(v)}"
                                                 for b, v in zip(BOUNDS[direction], values, strict=True)),
                     direction)


def change_alerts(c: Config, sel: str, numbers: str, alert) -> list:
    """The CRITICAL and WARN alerts of each direction some metric is judged in (drops first)."""
    expected = f"unless on (job, pipeline) dmm_known_event{{{sel}}} == 1"
    out = []
    for direction in ("drop", "spike"):
        if not judged(c, direction):
            continue
        sharp, plain, sharp_text, plain_text = NAMES[direction]
        check = (("check", CheckName.DROP if direction == "drop" else CheckName.SPIKE),)
        critical, warn = expression(c, sel, direction, "critical"), expression(c, sel, direction, "warn")
        out += [alert(sharp, f"({critical})\n{expected}", "critical", f"{about(c)} {sharp_text}",
                      f"{numbers} CRITICAL: {levels_text(c, direction, 'critical')}.", check),
                alert(plain, f"({warn})\nunless {on(c)}\n({critical})\n{expected}", "warning",
                      f"{about(c)} {plain_text}", f"{numbers} WARN: {levels_text(c, direction, 'warn')}.",
                      check)]
    return out
