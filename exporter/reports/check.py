"""A check's report: the human text and the JSON document. Pure: returns strings."""

from __future__ import annotations

import json
import math
from collections import Counter

from ..judge.model import CheckName, CheckResult, Evaluation, Severity

NUMBER_FIELDS = ("value", "median", "mad", "z", "frac", "baseline_days", "coverage", "expected", "difference")


def label(check: CheckResult) -> str:
    """What a report line is about: the metric for drop checks, the check name otherwise."""
    return check.metric if check.name is CheckName.DROP else f"{check.name} {check.metric}"


def text(evaluation: Evaluation) -> str:
    """One [SEVERITY] line per check, CRITICAL and WARN first, then a summary line."""
    ordered = sorted(evaluation.checks, key=lambda c: -c.severity)
    lines = [f"[{c.severity.name}] {label(c)}: {c.message}" for c in ordered]
    lines += [f"note: {note}" for note in evaluation.notes]
    counts = Counter(c.severity for c in evaluation.checks)
    lines.append(f"{evaluation.severity.name}: daily_metrics for {evaluation.target_date}: "
                 f"{counts[Severity.CRITICAL]} critical, {counts[Severity.WARN]} warn, {counts[Severity.OK]} ok")
    return "\n".join(lines)


def document(evaluation: Evaluation) -> dict:
    """The JSON document: date, overall status and every check with its numbers."""
    return {
        "date": evaluation.target_date.isoformat(),
        "status": evaluation.severity.label,
        "checks": [_check(c) for c in evaluation.checks],
        "notes": list(evaluation.notes),
    }


def to_json(evaluation: Evaluation) -> str:
    return json.dumps(document(evaluation), indent=2, allow_nan=False)


def _check(c: CheckResult) -> dict:
    out: dict = {"name": c.name.value, "metric": c.metric, "severity": c.severity.label, "outcome": c.outcome.value,
           "message": c.message}
    for key in NUMBER_FIELDS:
        value = getattr(c, key)
        out[key] = value if value is None or math.isfinite(value) else None  # JSON has no infinities
    out["model"] = c.model
    if c.z is not None and math.isinf(c.z):
        out["note"] = f"flat baseline (MAD 0): z is {'-' if c.z < 0 else '+'}inf"
    return out
