"""Judging a range of past days from one read of the history, and summing up the verdicts. Pure, no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from ..config import Config
from .evaluate import iter_days
from .model import Evaluation, History, Severity

MAX_DAYS = 3660


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def backtest(h: History, c: Config) -> list[Evaluation]:
    """Every day of the range judged by the same `evaluate_days` as `check --date`, on the rows that check reads."""
    return list(judged_days(h, c))


def judged_days(h: History, c: Config, everything: bool = True) -> Iterator[Evaluation]:
    """The same, one day at a time: a long range is never held in memory at once (`everything=False`: only the
    checks that are not OK, for a reader of alerts: `iter_days`)."""
    judged = days(h.first, h.last)
    return iter_days(h, c, judged, () if everything else set(judged))


class Summary:
    """Days by status, non-OK verdicts by check, metric (and segment), and the longest run of WARN-or-worse
    days, gathered one evaluation at a time (a long backtest is summed up as it is judged, never held)."""

    def __init__(self) -> None:
        self.days = 0
        self.status: Counter[str] = Counter()
        self.checks: Counter[tuple[str, str, str, str]] = Counter()
        self.longest: tuple[int, date | None, date | None] = (0, None, None)
        self.run: list[date] = []

    def add(self, e: Evaluation) -> None:
        self.days += 1
        self.status[e.severity.label] += 1
        self.checks.update((str(c.name), c.metric, c.segment.label if c.segment else "", c.severity.label)
                           for c in e.checks if c.severity is not Severity.OK)
        self.run = [*self.run, e.target_date] if e.severity >= Severity.WARN else []
        if len(self.run) > self.longest[0]:
            self.longest = (len(self.run), self.run[0], self.run[-1])

    def result(self) -> dict[str, Any]:
        longest = self.longest
        return {
            "days": self.days,
            "status": {label: self.status.get(label, 0) for label in ("ok", "warn", "critical")},
            "checks": [{"check": name, "metric": metric, **({"segment": segment} if segment else {}),
                        "severity": severity, "days": n}
                       for (name, metric, segment, severity), n in sorted(self.checks.items())],
            "longest_warn_run": {"days": longest[0], "from": _iso(longest[1]), "to": _iso(longest[2])},
            "alerts_per_30_days": [{"check": name, "metric": metric, **({"segment": segment} if segment else {}),
                                    "warn_or_worse": warn, "critical": critical}
                                   for (name, metric, segment), (warn, critical) in alert_volume(self).items()],
        }


def alert_volume(s: Summary) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Per drop or spike check, metric and segment: its WARN-or-worse and its CRITICAL days per 30 days of the
    range, the noise a config would make (a preview before turning it on)."""
    days: dict[tuple[str, str, str], list[int]] = {}
    for (name, metric, segment, severity), n in sorted(s.checks.items()):
        if name in ("drop", "spike"):
            counts = days.setdefault((name, metric, segment), [0, 0])
            counts[0] += n
            counts[1] += n if severity == "critical" else 0
    return {key: (round(30 * w / s.days, 2), round(30 * c / s.days, 2)) for key, (w, c) in days.items()}


def summary(evaluations: Iterable[Evaluation]) -> dict[str, Any]:
    """The Summary of a list of evaluations."""
    total = Summary()
    for e in evaluations:
        total.add(e)
    return total.result()


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
