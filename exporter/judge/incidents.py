"""Incidents: a backtest's non-OK verdicts grouped by what went wrong, where and since when. Pure, no I/O.

A *run* is the consecutive days on which one check of one metric and segment was not OK in the same way (a real
alert, a check that could not judge its inputs, or too little history); an OK day, a day without that check or a
change of kind ends it. Runs of one segment that start on the same day are one cause (orders, revenue and
purchase_rate of a segment falling together): one *incident*. Too-little-history days are not alerts: each
stretch of consecutive such days is one start-up incident, whatever the checks and segments.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..numbers import fmt
from .model import CheckName, CheckResult, Evaluation, Outcome, Reason, Segment, Severity

ALERT, NOT_EVALUATED, START_UP = "alert", "not evaluated", "start-up"
KINDS = (ALERT, NOT_EVALUATED, START_UP)
CHANGES = (CheckName.DROP, CheckName.SPIKE)


def kind(c: CheckResult) -> str | None:
    """alert (a real WARN or CRITICAL), not evaluated, start-up (too little history, or too few days since an
    accepted shift) or None."""
    if c.outcome is Outcome.NOT_EVALUATED:
        return START_UP if c.reason in (Reason.INSUFFICIENT_HISTORY, Reason.SINCE_SHIFT) else NOT_EVALUATED
    return ALERT if c.severity is not Severity.OK else None


def deviation(c: CheckResult) -> float:
    """How far from normal a check's value was: |frac − 1| for drops and spikes, else |z|, else 0."""
    if c.frac is not None:
        return abs(c.frac - 1.0)
    return abs(c.z) if c.z is not None and math.isfinite(c.z) else 0.0


@dataclass
class Run:
    """Consecutive non-OK days of one check, metric and segment, of one kind."""

    kind: str
    check: CheckName
    metric: str
    segment: Segment | None
    first: date
    last: date
    days: int
    severity: Severity
    peak: CheckResult
    peak_day: date

    def add(self, day: date, c: CheckResult) -> None:
        self.last, self.days = day, self.days + 1
        self.severity = max(self.severity, c.severity)
        if (c.severity, deviation(c)) > (self.peak.severity, deviation(self.peak)):
            self.peak, self.peak_day = c, day


@dataclass(frozen=True)
class Incident:
    """What went wrong (checks and metrics), where (segment), since when (first day), until when (last day, or
    open: still failing on the range's last day), how badly (worst severity, the peak check and its day)."""

    kind: str
    segment: Segment | None
    first: date
    last: date
    open: bool
    severity: Severity
    checks: tuple[tuple[CheckName, str], ...]
    """(check, metric) of each run, worst first."""
    peak: CheckResult
    peak_day: date
    segments: int = 1
    """Start-up incidents: how many segments (the total counts as one) had too little history."""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(metric for _, metric in self.checks))

    @property
    def where(self) -> str:
        return "" if self.segment is None else f" [{self.segment.label}]"

    @property
    def key(self) -> str:
        """Names the incident in CSV rows and page anchors: 'alert 2026-11-28 country=NL'."""
        return f"{self.kind} {self.first} {self.segment.label if self.segment else 'total'}"

    @property
    def direction(self) -> str:
        """'down', 'up', or what failed ('reconciliation failing')."""
        name = self.checks[0][0]
        return {CheckName.DROP: "down", CheckName.SPIKE: "up"}.get(name, f"{name} failing")

    def line(self) -> str:
        """One line: 'CRITICAL open orders, revenue [country=NL] down since 2026-11-28, day 3: peak ...'."""
        state = "open" if self.open else f"to {self.last}"
        if self.kind == START_UP:
            where = f" in {self.segments} segments" if self.segments > 1 else ""
            return (f"START-UP {self.first} .. {self.last} ({self.days} days): too little history for "
                    f"{len(self.checks)} checks{where} (not alerts)")
        head = "NOT EVALUATED" if self.kind == NOT_EVALUATED else self.severity.name
        return (f"{head} {state} {', '.join(self.metrics)}{self.where} {self.direction} since {self.first}, "
                f"day {self.days}: {peak_text(self.peak)} on {self.peak_day}")


def peak_text(c: CheckResult) -> str:
    """'12 vs median 120 (frac 0.10)', or the check's message when it has no median."""
    if c.value is not None and c.median is not None:
        frac = f" (frac {c.frac:.2f})" if c.frac is not None else ""
        return f"{fmt(c.value)} vs median {fmt(c.median)}{frac}"
    return c.message


@dataclass
class Tracker:
    """Builds incidents one evaluation at a time (a long backtest is never held): open runs, closed runs."""

    runs: list[Run] = field(default_factory=list)
    open: dict[tuple[str, CheckName, str, Segment | None], Run] = field(default_factory=dict)
    last: date | None = None

    def add(self, e: Evaluation) -> None:
        day, seen = e.target_date, set()
        for c in e.checks:
            k = kind(c)
            if k is None:
                continue
            key = (k, c.name, c.metric, c.segment)
            run = self.open.get(key)
            if run is None:
                run = self.open[key] = Run(k, c.name, c.metric, c.segment, day, day, 0, c.severity, c, day)
                self.runs.append(run)
            if key not in seen:
                run.add(day, c)
                seen.add(key)
        self.open = {key: run for key, run in self.open.items() if key in seen}
        self.last = day

    def result(self) -> list[Incident]:
        return ranked(incidents_of(self.runs, self.last))


def incidents_of(runs: list[Run], last: date | None) -> list[Incident]:
    """Runs of one segment and kind starting on one day as one incident; start-up runs as stretches of days."""
    groups: dict[tuple[str, Segment | None, date], list[Run]] = {}
    for run in runs:
        if run.kind != START_UP:
            groups.setdefault((run.kind, run.segment, run.first), []).append(run)
    out = [_incident(k, segment, first, group, last) for (k, segment, first), group in groups.items()]
    return out + _start_ups([run for run in runs if run.kind == START_UP])


def _incident(k: str, segment: Segment | None, first: date, group: list[Run], last: date | None) -> Incident:
    group = sorted(group, key=lambda r: (-r.severity, -deviation(r.peak)))
    worst = group[0]
    end = max(r.last for r in group)
    return Incident(k, segment, first, end, end == last, worst.severity,
                    tuple((r.check, r.metric) for r in group), worst.peak, worst.peak_day)


def _start_ups(runs: list[Run]) -> list[Incident]:
    """Overlapping or touching start-up runs as one incident each stretch."""
    out: list[Incident] = []
    stretch: list[Run] = []
    for run in sorted(runs, key=lambda r: r.first):
        if stretch and (run.first - max(r.last for r in stretch)).days > 1:
            out.append(_start_up(stretch))
            stretch = []
        stretch.append(run)
    return out + ([_start_up(stretch)] if stretch else [])


def _start_up(stretch: list[Run]) -> Incident:
    first, last = min(r.first for r in stretch), max(r.last for r in stretch)
    return Incident(START_UP, None, first, last, False, Severity.WARN,
                    tuple(dict.fromkeys((r.check, r.metric) for r in stretch)), stretch[0].peak, first,
                    len({r.segment for r in stretch}))


def ranked(incidents: Iterable[Incident]) -> list[Incident]:
    """Real alerts first, then checks that could not judge, then start-up; within each, CRITICAL before WARN,
    open before closed, the newest first (by last day, then by first day: a new incident before an old one still
    open), then the farthest from normal."""
    return sorted(incidents, key=lambda i: (KINDS.index(i.kind), -i.severity, not i.open, -i.last.toordinal(),
                                            -i.first.toordinal(), -deviation(i.peak), i.key))


def incidents(evaluations: Iterable[Evaluation]) -> list[Incident]:
    """The incidents of a list of evaluations, ranked."""
    tracker = Tracker()
    for e in evaluations:
        tracker.add(e)
    return tracker.result()


def document(i: Incident) -> dict[str, Any]:
    """An incident in JSON."""
    return {"kind": i.kind, "severity": i.severity.label, "segment": i.segment.document if i.segment else None,
            "first": i.first.isoformat(), "last": i.last.isoformat(), "open": i.open, "days": i.days,
            "checks": [{"check": str(name), "metric": metric} for name, metric in i.checks],
            "peak": {"date": i.peak_day.isoformat(), "check": str(i.peak.name), "metric": i.peak.metric,
                     "value": _finite(i.peak.value), "median": _finite(i.peak.median), "frac": _finite(i.peak.frac)},
            **({"segments": i.segments} if i.kind == START_UP else {}), "line": i.line()}


def _finite(x: float | None) -> float | None:
    return x if x is None or math.isfinite(x) else None  # JSON has no infinities


def membership(found: list[Incident]) -> Callable[[date, CheckResult], str]:
    """A function naming the incident (its key) a day's non-OK check belongs to, or '' for an OK check."""
    index: dict[tuple[str, Segment | None, CheckName, str], list[Incident]] = {}
    for i in sorted(found, key=lambda i: i.first, reverse=True):  # the latest start first: a later run of
        for name, metric in i.checks:                               # the same check is its own incident
            index.setdefault((i.kind, None if i.kind == START_UP else i.segment, name, metric), []).append(i)

    def belongs(day: date, c: CheckResult) -> str:
        k = kind(c)
        if k is None:
            return ""
        candidates = index.get((k, None if k == START_UP else c.segment, c.name, c.metric), [])
        return next((i.key for i in candidates if i.first <= day <= i.last), "")
    return belongs
