"""Which earlier days' values a drop check compares the target day with. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..config import EVENT_REACH, BaselineWindow


def baseline_days(by_day: Mapping[date, Any], day: date, window: BaselineWindow,
                  events: Mapping[date, str]) -> list[Any]:
    """The values of the baseline days that have exactly one row (`by_day`) and are no known event.

    In same_weekday mode a known-event week is replaced by the week before the oldest, at most EVENT_REACH
    times: Christmas and New Year on the same weekday leave January with four weeks, not two. A missing
    row is never replaced: it is a gap in the data and counts as one.
    """
    if window.mode != "same_weekday":
        days = (day - timedelta(days=k) for k in window.offsets)
        return [by_day[d] for d in days if d in by_day and d not in events]
    weeks = (day - timedelta(days=7 * k) for k in range(1, window.weeks + EVENT_REACH + 1))
    chosen = [d for d in weeks if d not in events][:window.weeks]
    return [by_day[d] for d in chosen if d in by_day]
