"""Which segments explain a metric's drop: their value, baseline median, difference and share. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from .model import CheckName, CheckResult, Contribution, Outcome, Part

MOST = 5
ALERTED = (Outcome.WARNED, Outcome.FAILED)


def contributions(c, checks: Sequence[CheckResult]) -> tuple[Contribution, ...]:
    """For each volume metric whose drop alerted on the total or a segment: the segments that fell, largest fall
    first, at most five. Rates are left out: a rate's segments do not add up to the total's rate."""
    drops = [check for check in checks if check.name is CheckName.DROP and check.metric in c.volume_metrics]
    out = []
    for metric in dict.fromkeys(check.metric for check in drops if check.outcome in ALERTED):
        mine = [check for check in drops if check.metric == metric]
        total = next((check for check in mine if check.segment is None), None)
        change = _difference(total) if total else None
        parts = [Part(check.segment, check.value, check.median, d,
                      d / change if change is not None and change < 0 else None)
                 for check in mine if check.segment is not None and check.value is not None
                 and check.median is not None and (d := check.value - check.median) < 0]
        out.append(Contribution(metric, tuple(sorted(parts, key=lambda p: p.difference)[:MOST])))
    return tuple(out)


def _difference(check: CheckResult) -> float | None:
    if check.value is None or check.median is None:
        return None
    return check.value - check.median
