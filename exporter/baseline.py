"""Which earlier days a drop check compares the target day with. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MODES = ("rolling", "same_weekday")
EVENT_REACH = 2
"""same_weekday: how many weeks further back a baseline may reach to replace known-event weeks."""


@dataclass(frozen=True)
class Baseline:
    """`rolling`: D-days .. D-1. `same_weekday`: D-7, D-14, ... D-7*weeks (weekly seasonality)."""

    mode: str = "rolling"
    days: int = 7
    min_days: int = 5
    weeks: int = 4
    min_weeks: int = 3

    @property
    def offsets(self) -> tuple[int, ...]:
        """How many days before D each baseline day lies."""
        if self.mode == "same_weekday":
            return tuple(7 * k for k in range(1, self.weeks + 1))
        return tuple(range(1, self.days + 1))

    @property
    def minimum(self) -> int:
        """Fewer usable days than this: insufficient history."""
        return self.min_weeks if self.mode == "same_weekday" else self.min_days

    @property
    def lookback(self) -> int:
        return max(self.offsets)

    @property
    def name(self) -> str:
        """How reports call it: '7-day' or '4-week same-weekday'."""
        return f"{self.weeks}-week same-weekday" if self.mode == "same_weekday" else f"{self.days}-day"

    @property
    def unit(self) -> str:
        return "same weekdays" if self.mode == "same_weekday" else "days"


def baseline_days(by_day: Mapping[date, Any], day: date, baseline: Baseline,
                  events: Mapping[date, str]) -> list[Any]:
    """The values of the baseline days that have exactly one row (`by_day`) and are no known event.

    In same_weekday mode a known-event week is replaced by the week before the oldest, at most EVENT_REACH
    times: Christmas and New Year on the same weekday leave January with four weeks, not two. A missing
    row is never replaced: it is a gap in the data and counts as one.
    """
    if baseline.mode != "same_weekday":
        days = (day - timedelta(days=k) for k in baseline.offsets)
        return [by_day[d] for d in days if d in by_day and d not in events]
    weeks = (day - timedelta(days=7 * k) for k in range(1, baseline.weeks + EVENT_REACH + 1))
    chosen = [d for d in weeks if d not in events][:baseline.weeks]
    return [by_day[d] for d in chosen if d in by_day]
