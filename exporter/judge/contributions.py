"""Which segments explain a metric's drop: their value, baseline median, difference and share. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from .explanations import explain
from .model import CheckName, CheckResult, Contribution, Outcome, Part

MOST = 5
ALERTED = (Outcome.WARNED, Outcome.FAILED)


def contributions(c, checks: Sequence[CheckResult]) -> tuple[Contribution, ...]:
    """For each volume metric whose drop alerted on the total or a segment: the segments that fell, largest fall
    first, at most five, each with its share of the sum of the segments' falls (not of the total's change, which
    other segments' rises can shrink to nothing); with several segment columns, the dimension values that explain
    the falls first (judge/explanations.py). Rates are left out: a rate's segments do not add up to its total."""
    drops = [check for check in checks if check.name is CheckName.DROP and check.metric in c.volume_metrics]
    out = []
    for metric in dict.fromkeys(check.metric for check in drops if check.outcome in ALERTED):
        mine = [check for check in drops if check.metric == metric and check.segment is not None]
        falls = [(check, check.value - check.median) for check in mine
                 if check.value is not None and check.median is not None and check.value < check.median]
        fallen = sum(d for _, d in falls)
        parts = [Part(check.segment, check.value, check.median, d, d / fallen)  # type: ignore[arg-type]
                 for check, d in falls]  # (segment: not None, value and median: numbers, filtered above)
        out.append(Contribution(metric, tuple(sorted(parts, key=lambda p: p.difference)[:MOST]), fallen,
                                explain(mine)))
    return tuple(out)
