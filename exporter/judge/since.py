"""Since when each failing check of a day has failed: the days before it judged with it. Pure, no I/O.

`check` reads its daily_metrics window from SINCE_DAYS − 1 days earlier and judges those days in the same pass
as its own (the backtest of those days: the same levels, the same pooling over segments), building only what
is not OK on them; each check that is not OK on the day is followed back to the first day of its run
(judge/incidents.py). The checks that read more than the daily rows (reconciliation: the day's fact aggregate
only; restated: the ledger) are left out: they get no start day.
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


def judged_since(h: History, c: Config, day: date, days: int = SINCE_DAYS) -> tuple[Evaluation, Since]:
    """The evaluation of `day`, and for each check not OK on it: its run's first day and length, at most `days`
    days back."""
    from .evaluate import iter_days  # here, as the package loads it: importing this module binds no submodule

    earlier = [day - timedelta(days=n) for n in range(days - 1, 0, -1)]
    tracker = Tracker()
    for e in iter_days(h, c, [*earlier, day], set(earlier)):
        tracker.add(replace(e, checks=tuple(x for x in e.checks if x.name not in NOT_FROM_ROWS)))
    return e, {(run.check, run.metric, run.segment): (run.first, run.days) for run in tracker.open.values()}
