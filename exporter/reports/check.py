"""A check's report: the human text and the JSON document. Pure: returns strings."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

from ..escape import printable
from ..judge.explanations import Cause
from ..judge.model import CheckName, CheckResult, Contribution, Evaluation, Severity
from ..numbers import fmt

NUMBER_FIELDS = ("value", "median", "mad", "z", "frac", "baseline_days", "coverage", "expected", "difference")


def label(check: CheckResult) -> str:
    """What a report line is about: the metric for drop checks, the check name otherwise; then the segment."""
    about = check.metric if check.name is CheckName.DROP else f"{check.name} {check.metric}"
    return about if check.segment is None else f"{about} [{check.segment.label}]"


def text(evaluation: Evaluation) -> str:
    """One [SEVERITY] line per check, CRITICAL and WARN first (a segment's passing checks: one line for it), the
    contributions to each drop, then a summary line."""
    shown = [c for c in evaluation.checks if c.segment is None or c.severity is not Severity.OK]
    ordered = sorted(shown, key=lambda c: -c.severity)
    lines = [f"[{c.severity.name}] {label(c)}: {c.message}" for c in ordered]
    passed = Counter(c.segment for c in evaluation.checks if c.segment is not None and c.severity is Severity.OK)
    failing = {c.segment for c in evaluation.checks if c.segment is not None and c.severity is not Severity.OK}
    lines += [f"[OK] [{segment.label}]: {n} {'other ' if segment in failing else ''}checks pass"
              for segment, n in passed.items()]
    for c in evaluation.contributions:
        lines += [f"why: {cause_line(c.metric, cause)}" for cause in c.causes]
        lines.append(f"contributions: {contribution_line(c)}")
    lines += [f"note: {note}" for note in evaluation.notes]
    counts = Counter(c.severity for c in evaluation.checks)
    lines.append(f"{evaluation.severity.name}: daily_metrics for {evaluation.target_date}: "
                 f"{counts[Severity.CRITICAL]} critical, {counts[Severity.WARN]} warn, {counts[Severity.OK]} ok")
    return "\n".join(map(printable, lines))  # data never writes a line of its own


def contribution_line(c: Contribution) -> str:
    """'orders by country: NL −96 (71 % of the falls, −135), DE −30 (22 %)': shares of the sum of the segments'
    falls, never of a total that other segments' rises kept flat."""
    if not c.parts:
        return f"{c.metric}: no segment fell"
    dims = ", ".join(k for k, _ in next((p.segment.values for p in c.parts if p.segment.values), ()))
    items = [f"{p.segment.short} {_signed(p.difference)}"
             + (f" ({p.share * 100:.0f} % of the falls, {_signed(c.falls)})" if i == 0 else f" ({p.share * 100:.0f} %)")
             for i, p in enumerate(c.parts)]
    return f"{c.metric} by {dims or 'segment'}: {', '.join(items)}"


def cause_line(metric: str, c: Cause) -> str:
    """'orders channel=paid −182 (98 % of the falls by channel, −185); on ios −180, android −2'."""
    within = ", ".join(f"{name} {_signed(d)}" for name, d in c.within)
    return (f"{metric} {c.label} {_signed(c.difference)} ({c.share * 100:.0f} % of the falls by {c.dimension}, "
            f"{_signed(c.difference / c.share)}); on {within}")


def _signed(x: float) -> str:
    """'−182', '+2', '0'."""
    return fmt(x).replace("-", "−") if x <= 0 else f"+{fmt(x)}"


def document(evaluation: Evaluation) -> dict:
    """The JSON document: date, overall status and every check with its numbers (segmented: and its segment,
    and the contributions to each drop)."""
    doc: dict[str, Any] = {
        "date": evaluation.target_date.isoformat(),
        "status": evaluation.severity.label,
        "checks": [_check(c, evaluation.segmented) for c in evaluation.checks],
        "notes": list(evaluation.notes),
    }
    if evaluation.segmented:
        doc["contributions"] = {c.metric: [{"segment": p.segment.document, "value": p.value, "median": p.median,
                                            "difference": p.difference, "share": p.share} for p in c.parts]
                                for c in evaluation.contributions}
        doc["falls"] = {c.metric: c.falls for c in evaluation.contributions}
        doc["causes"] = {c.metric: [{"dimension": x.dimension, "value": x.value, "actual": x.actual,
                                     "expected": x.expected, "difference": x.difference, "share": x.share,
                                     "surprise": x.surprise, "within": [{"segment": name, "difference": d}
                                                                        for name, d in x.within]}
                                    for x in c.causes] for c in evaluation.contributions}
    return doc


def to_json(evaluation: Evaluation) -> str:
    return json.dumps(document(evaluation), indent=2, allow_nan=False)


def _check(c: CheckResult, segmented: bool = False) -> dict:
    out: dict = {"name": c.name.value, "metric": c.metric, "severity": c.severity.label, "outcome": c.outcome.value,
           "message": c.message}
    if c.reason is not None:  # why it was not evaluated
        out["reason"] = c.reason.value
    for key in NUMBER_FIELDS:
        value = getattr(c, key)
        out[key] = value if value is None or math.isfinite(value) else None  # JSON has no infinities
    out["model"] = c.model
    if segmented:
        out["segment"] = None if c.segment is None else c.segment.document
    if c.z is not None and math.isinf(c.z):
        out["note"] = f"flat baseline (MAD 0): z is {'-' if c.z < 0 else '+'}inf"
    return out
