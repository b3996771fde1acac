"""Since when each failing check of a day has failed: the days before it judged from the same read. Pure, no I/O.

`check` reads its daily_metrics window from SINCE_DAYS − 1 days earlier, judges those days as the backtest would,
and follows each check that is not OK on the day back to the first day of its run (judge/incidents.py). The
checks that read more than the daily rows (reconciliation: the day's fact aggregate only; restated: the ledger)
are left out: they get no start day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ..config import Config
from .incidents import Tracker
from .model import CheckName, Evaluation, History, Segment

SINCE_DAYS = 14
"""How far back a run is followed: a run of 14 days is reported as 14 (14 or more)."""
NOT_FROM_ROWS = (CheckName.RECONCILIATION, CheckName.RESTATED)

Since = dict[tuple[CheckName, str, Segment | None], tuple[date, int]]
"""(check, metric, segment) -> (the run's first day, its days, the judged day included)."""


def since(h: History, c: Config, e: Evaluation, days: int = SINCE_DAYS) -> Since:
    """For each check not OK on `e`'s day: its run's first day and length, at most `days` days back."""
    from .evaluate import iter_days  # here, as the package loads it: importing this module binds no submodule

    failing = {x.segment for x in e.checks if x.severity}
    if not failing:
        return {}
    earlier = [e.target_date - timedelta(days=n) for n in range(days - 1, 0, -1)]
    # only the failing segments (and the total, whose rows say which days have rows): a segment is judged as if
    # alone, so the others need not be judged again
    h = replace(h, rows=tuple(r for r in h.rows if r.segment is None or r.segment in failing),
                segments=tuple(s for s in h.segments if s in failing))
    tracker = Tracker()
    for past in iter_days(h, c, earlier) if earlier else ():
        tracker.add(_from_rows(past))
    tracker.add(_from_rows(e))
    return {(run.check, run.metric, run.segment): (run.first, run.days) for run in tracker.open.values()}


def _from_rows(e: Evaluation) -> Evaluation:
    return replace(e, checks=tuple(c for c in e.checks if c.name not in NOT_FROM_ROWS))
