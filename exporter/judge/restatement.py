"""The `restated` check: did D-1 .. D-days change since the ledger judged them? Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from ..config import Config
from ..numbers import fmt
from .model import CheckName, CheckResult, DayRow, Outcome, Reason, StoredDay
from .statistics import as_number


def restated(target: date, rows: Sequence[DayRow], judged: tuple[StoredDay, ...] | None,
             c: Config, why: str | None = None) -> tuple[CheckResult, ...]:
    """Per volume metric: one WARN per day of D-1 .. D-days whose value moved by more than the tolerance since it
    was judged, else one OK; the days are the rows the check already read; none with restatement.days 0;
    `judged` None: the ledger could not be read (not evaluated, saying `why`)."""
    days = restatement_days(target, c.restatement.days)
    if not days:  # restatement.days 0: the check is off
        return ()
    if judged is None:
        return tuple(CheckResult(CheckName.RESTATED, name, Outcome.NOT_EVALUATED,
                                 f"not evaluated: the results ledger could not be read{': ' if why else ''}{why or ''}",
                                 reason=Reason.LEDGER_UNREAD)
                     for name in c.volume_metrics)
    stored = {j.day: j for j in judged if j.day in days}
    now: dict[date, list] = {}
    for r in rows:
        if r.segment is None:  # the total's rows: segments are not restatement-checked
            now.setdefault(r.day, []).append(r.values)
    out: list[CheckResult] = []
    for name in c.volume_metrics:
        found = [check for day in sorted(stored, reverse=True)
                 if (check := _compare(name, day, stored[day].values.get(name), now.get(day, []),
                                       c.restatement.tolerance))]
        out += found or [_unchanged(name, len(stored), c.restatement.days)]
    return tuple(out)


def restatement_days(day: date, n: int) -> list[date]:
    """D-1 .. D-n, the days `restated` compares."""
    return [day - timedelta(days=k) for k in range(1, n + 1)]


def _compare(name: str, day: date, was: float | None, rows: list, tolerance: float) -> CheckResult | None:
    """A WARN when the value stored at judging differs from the value read now; None when it did not change."""
    if was is None:  # undefined when judged (that run said so): nothing to compare with
        return None
    prefix = f"{day} was {fmt(was)} when judged, now"
    if len(rows) != 1:
        why = "no row" if not rows else f"{len(rows)} rows"
        return CheckResult(CheckName.RESTATED, name, Outcome.WARNED, f"{prefix} {why}", expected=was)
    value = as_number(rows[0].get(name))
    if value is None:
        return CheckResult(CheckName.RESTATED, name, Outcome.WARNED, f"{prefix} undefined", expected=was)
    change = relative_change(was, value)
    if change is None or abs(change) <= tolerance:
        return None
    percent = "" if change == float("inf") else f" ({change * 100:+.1f} %)"
    return CheckResult(CheckName.RESTATED, name, Outcome.WARNED, f"{prefix} {fmt(value)}{percent}", value=value,
                       expected=was, difference=value - was, frac=value / was if was else None)


def relative_change(was: float, now: float) -> float | None:
    """(now - was) / |was|; from 0 any change is infinite, no change is None."""
    if was == 0:
        return None if now == 0 else float("inf")
    return (now - was) / abs(was)


def _unchanged(name: str, judged: int, days: int) -> CheckResult:
    if not judged:
        return CheckResult(CheckName.RESTATED, name, Outcome.PASSED,
                           f"none of the previous {days} days is in the ledger yet: nothing to compare")
    return CheckResult(CheckName.RESTATED, name, Outcome.PASSED,
                       f"unchanged since judged ({judged} of the previous {days} days in the ledger)")
