"""Judging a range of past days from one read of the history, and summing up the verdicts. Pure, no I/O."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from ..config import Config
from .evaluate import evaluate_days
from .model import Evaluation, History, Severity

MAX_DAYS = 3660


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def backtest(h: History, c: Config) -> list[Evaluation]:
    """Every day of the range judged by the same `evaluate_days` as `check --date`, on the rows that check reads."""
    return evaluate_days(h, c, days(h.first, h.last))


def summary(evaluations: list[Evaluation]) -> dict[str, Any]:
    """Days by status, non-OK verdicts by check and metric, and the longest run of WARN-or-worse days."""
    status = Counter(e.severity.label for e in evaluations)
    checks = Counter((str(c.name), c.metric, c.segment.label if c.segment else "", c.severity.label)
                     for e in evaluations for c in e.checks if c.severity is not Severity.OK)
    longest: tuple[int, date | None, date | None] = (0, None, None)
    run: list[date] = []
    for e in evaluations:
        run = run + [e.target_date] if e.severity >= Severity.WARN else []
        if len(run) > longest[0]:
            longest = (len(run), run[0], run[-1])
    return {
        "days": len(evaluations),
        "status": {label: status.get(label, 0) for label in ("ok", "warn", "critical")},
        "checks": [{"check": name, "metric": metric, **({"segment": segment} if segment else {}),
                    "severity": severity, "days": n}
                   for (name, metric, segment, severity), n in sorted(checks.items())],
        "longest_warn_run": {"days": longest[0], "from": _iso(longest[1]), "to": _iso(longest[2])},
    }


def compare(ours: list[Evaluation], theirs: list[Evaluation]) -> list[dict[str, Any]]:
    """The (day, check, metric) whose severity differs between two configs' verdicts on the same days."""
    out = []
    for a, b in zip(ours, theirs, strict=True):
        left = {(str(c.name), c.metric, c.segment.label if c.segment else ""): c.severity.label for c in a.checks}
        right = {(str(c.name), c.metric, c.segment.label if c.segment else ""): c.severity.label for c in b.checks}
        for key in sorted(left.keys() | right.keys()):
            if left.get(key) != right.get(key):
                out.append({"date": a.target_date.isoformat(), "check": key[0], "metric": key[1],
                            **({"segment": key[2]} if key[2] else {}),
                            "severity": left.get(key), "other_severity": right.get(key)})
    return out


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
