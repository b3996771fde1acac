"""A backtest's gauges as timestamped OpenMetrics text, for promtool's backfill. Builds, never writes (no I/O).

The text is what `promtool tsdb create-blocks-from openmetrics` reads.

Each day's sample carries the families and labels a push of that day would have, plus the push group's
`job` and `pipeline`, at the end of the data day (D+1 00:00 UTC): the first instant the day's numbers
exist, so a backfilled point never claims to know a day before it was over, and it lines up with where the
live push of that day starts its step.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from ..config import Config
from ..judge.model import Evaluation
from .gauges import RunInfo, build_registry


def day_end(e: Evaluation) -> float:
    return datetime.combine(e.target_date + timedelta(days=1), datetime.min.time(), timezone.utc).timestamp()


def exposition(c: Config, evaluations: list[Evaluation]) -> str:
    """One family block per gauge, its series in time order, ending with # EOF."""
    families: dict[str, tuple[str, dict]] = {}
    group = {"job": c.job, "pipeline": c.pipeline}
    for e in evaluations:
        at = day_end(e)
        for family in build_registry(c, RunInfo(at, at), e).collect():
            _, series = families.setdefault(family.name, (family.documentation, defaultdict(list)))
            for sample in family.samples:
                labels = tuple(sorted({**sample.labels, **group}.items()))
                series[labels].append((at, sample.value))
    lines = []
    for name in sorted(families):
        documentation, series = families[name]
        lines += [f"# TYPE {name} gauge", f"# HELP {name} {_escape(documentation)}"]
        for labels, points in sorted(series.items()):
            selector = "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels) + "}"
            lines += [f"{name}{selector} {_number(value)} {int(at)}" for at, value in points]
    return "\n".join([*lines, "# EOF"]) + "\n"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
