"""Which earlier days each day's baseline holds, for many days at once (numpy). Pure, no I/O.

A window holds `slots` days: D-1 .. D-days (rolling) or D-7, D-14, ... (same_weekday). A missing or invalid
row, a known event (rolling) or a day before an accepted shift leaves its slot empty. With `exclude_alerted`
an alerted day is replaced by an earlier one (within the reach), and in same_weekday mode up to EVENT_REACH
known-event weeks are replaced by the weeks before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config import EVENT_REACH, BaselineWindow


@dataclass(frozen=True)
class Series:
    """One metric's values by day index (NaN: no usable value), with the days' known events and shifts."""

    values: np.ndarray
    events: np.ndarray
    shift_from: np.ndarray
    """The index of the latest accepted shift on or before each day (-1: none)."""
    floor: np.ndarray | None = None
    """The first index of each day's block (segments laid end to end); None: 0, one block."""

    def floor_of(self, days: np.ndarray) -> np.ndarray | int:
        return 0 if self.floor is None else self.floor[days]


@dataclass(frozen=True)
class Windows:
    """The baseline of each judged day: candidate values (NaN where not used) and what was left out."""

    values: np.ndarray
    """[days, candidates]: the usable baseline values, NaN elsewhere."""
    alerted_left_out: np.ndarray
    """How many alerted days were replaced by earlier ones."""


CHUNK = 4096
"""Days whose windows are built at once: the temporaries of a window are days x slots x weeks numbers, so a
backtest of 730 days x 50 segments is built in slices of a few MB, never all at once."""


def windows(series: Series, days: np.ndarray, window: BaselineWindow, alerted: np.ndarray) -> Windows:
    """The baselines of `days` (day indexes), leaving out the days flagged in `alerted`."""
    build = _rolling if window.mode == "rolling" else _same_weekday
    if len(days) <= CHUNK:
        return build(series, days, window, alerted)
    parts = [build(series, days[i:i + CHUNK], window, alerted) for i in range(0, len(days), CHUNK)]
    return Windows(np.concatenate([p.values for p in parts]), np.concatenate([p.alerted_left_out for p in parts]))


def _rolling(series: Series, days: np.ndarray, window: BaselineWindow, alerted: np.ndarray) -> Windows:
    """D-1 .. D-days; an alerted day is replaced by the same weekday of the latest earlier week that did not
    alert (within the reach), so the window keeps its mix of weekdays. A weekday that alerted in every week of
    the reach (the quiet weekend of a b2b shop under a rolling baseline) is its own normal: it stays."""
    weeks = max(window.reach // 7, 1) if window.exclude_alerted and alerted.any() else 1  # none: D-1 .. D-days
    offsets = np.arange(1, window.slots + 1)[:, None] + 7 * np.arange(weeks)[None, :]
    index = days[:, None, None] - offsets[None, :, :]
    inside = index >= np.reshape(series.floor_of(days), (-1, 1, 1))
    index = np.where(inside, index, 0)
    trusted = ~(inside & alerted[index])
    pick = np.argmax(trusted, axis=2)[:, :, None]
    found = np.take_along_axis(trusted, pick, 2)[:, :, 0]
    pick = np.where(found[:, :, None], pick, 0)
    chosen = np.take_along_axis(index, pick, 2)[:, :, 0]
    ok = np.take_along_axis(inside, pick, 2)[:, :, 0]
    usable = ok & ~series.events[chosen] & (chosen >= series.shift_from[days][:, None]) & \
        ~np.isnan(series.values[chosen])
    left_out = (pick[:, :, 0] > 0).sum(axis=1)
    return Windows(np.where(usable, series.values[chosen], np.nan), left_out)


def _same_weekday(series: Series, days: np.ndarray, window: BaselineWindow, alerted: np.ndarray) -> Windows:
    """D-7, D-14, ...: alerted weeks and up to EVENT_REACH known-event weeks are skipped for earlier weeks."""
    offsets = window.step * np.arange(1, window.reach + 1)
    index = days[:, None] - offsets[None, :]
    inside = index >= np.reshape(series.floor_of(days), (-1, 1))
    index = np.where(inside, index, 0)
    value = np.where(inside, series.values[index], np.nan)
    event = inside & series.events[index]
    skipped = (inside & alerted[index]) | (event & (np.cumsum(event, axis=1) <= EVENT_REACH))
    slot = np.cumsum(~skipped, axis=1)
    in_window = ~skipped & (slot <= window.slots)
    after_shift = index >= series.shift_from[days][:, None]
    usable = in_window & ~event & after_shift & ~np.isnan(value)
    left_out = (skipped & ~event & (slot < window.slots)).sum(axis=1)  # skipped while the window was not full
    return Windows(np.where(usable, value, np.nan), left_out)
