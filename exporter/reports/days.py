"""What each backtest day and check was, in the words of the page: pure, no I/O.

A WARN is either a real drop or attribution problem (`warn`) or a check that could not judge: too little
history (`insufficient history`) or undefined inputs (`not evaluated`). The page keeps them apart.
"""

from __future__ import annotations

from ..judge.model import CheckName, CheckResult, Evaluation, Outcome, Reason, Severity

CRITICAL, WARN, NOT_EVALUATED, KNOWN_EVENT, OK = "critical", "warn", "not evaluated", "known event", "ok"
INSUFFICIENT = "insufficient history"
DAY_KINDS = (CRITICAL, WARN, NOT_EVALUATED, KNOWN_EVENT, OK)
"""In the order the incident list sorts them."""
COLOURS = {CRITICAL: "#d62728", WARN: "#e69500", NOT_EVALUATED: "#9e9e9e", KNOWN_EVENT: "#3b5bdb", OK: "#2a9d4b"}


def check_kind(c: CheckResult) -> str:
    """critical, warn, insufficient history, not evaluated, or ok (an expected drop on a known event is ok)."""
    if c.outcome is Outcome.NOT_EVALUATED:
        return INSUFFICIENT if c.reason in (Reason.INSUFFICIENT_HISTORY, Reason.SINCE_SHIFT) else NOT_EVALUATED
    return {Severity.CRITICAL: CRITICAL, Severity.WARN: WARN}.get(c.severity, OK)


def day_kind(e: Evaluation) -> str:
    """The day's colour: its worst real verdict; a day whose only WARNs are unjudged checks is not evaluated."""
    kinds = {check_kind(c) for c in e.checks}
    if CRITICAL in kinds:
        return CRITICAL
    if WARN in kinds:
        return WARN
    if kinds & {INSUFFICIENT, NOT_EVALUATED}:
        return NOT_EVALUATED
    return KNOWN_EVENT if e.known_event else OK


def incidents(evaluations: list[Evaluation]) -> list[tuple[Evaluation, str, list[CheckResult]]]:
    """Every day that was not OK, CRITICAL first, then WARN, then not evaluated; by date within each."""
    out = [(e, day_kind(e), [c for c in e.checks if c.severity is not Severity.OK]) for e in evaluations]
    out = [row for row in out if row[1] not in (OK, KNOWN_EVENT)]
    return sorted(out, key=lambda row: (DAY_KINDS.index(row[1]), row[0].target_date))


def missing_row(e: Evaluation) -> bool:
    """The day has no daily_metrics row (or its grain is broken): nothing else was judged."""
    return any(c.name is CheckName.ROW_PRESENT and c.severity is Severity.CRITICAL for c in e.checks)
