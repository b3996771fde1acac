"""What a check is: one frozen spec per check, and the day it is evaluated on. Pure, no I/O.

A spec says everything the rest of the job needs to know about its check: the names it reports under, the part
of the model it needs (and the note when the config leaves that part out), a pure evaluate, the gauges it
emits, its alert rules, their promtool cases, its dashboard panels and its row in the documentation. The judge,
the gauges, the renderers and the reports loop over the catalogue (`exporter.checks.CATALOGUE`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..config import Config
from ..families import Family
from ..judge.model import CheckName, CheckResult, History, Segment
from .alerting import Alert, Case


@dataclass(frozen=True)
class Part:
    """A part of the model a config may leave out (the fact table, the traffic metric, attribution)."""

    present: Callable[[Config], bool]
    note: str
    """The report's note when the part is left out, so a report never hides a check that did not run."""


@dataclass(frozen=True, slots=True)
class Day:
    """What a check reads on one day of one block (the total, or a judged segment)."""

    c: Config
    h: History
    day: date
    segment: Segment | None
    rows: int
    """How many rows the block has that day (1 expected)."""
    values: Mapping[str, Any]
    """The block's one row that day (empty unless `rows` is 1)."""
    changes: list[CheckResult]
    """The drop and spike checks of every judged metric that day (judged first: orders_with_traffic reads them)."""
    vanished: bool
    """A judged segment without a row since its last: judged as zeros, on its volume metrics only."""
    at: int = 0
    """The block-day's index in the judgement's cells (`Cells`): where its verdicts are."""
    verdicts: Mapping[tuple[str, str], list[int]] = field(default_factory=dict)
    """Each check's verdict codes over the cells, by (check, metric): what evaluate reads at `at`."""

    def verdict(self, check: str, metric: str) -> int:
        """The code of one check of this block-day (`Cells`: 0 passed, -1 expected, > 0 not OK)."""
        return self.verdicts[check, metric][self.at]


@dataclass(frozen=True)
class Cells:
    """Every judged day of every block (block-major: cell b * days + k) as arrays: what the checks' rules judge in
    one pass. Each rule is written once, on these arrays; a check's evaluate reads its code at `Day.at` and only
    writes the result (its numbers, its message).

    Codes: 0 passed, -1 expected (OK on a known event), > 0 not OK (each check says which outcome and reason)."""

    c: Config
    numbers: np.ndarray
    """[cell, logical column]: the block-day's value where it has exactly one row (NaN: none, several, or no
    finite number)."""
    row: Callable[[int], Mapping[str, Any]]
    """The raw row of a cell (with exactly one row): the exact values where floats cannot decide."""
    facts: Callable[[int], tuple[Any, Any] | None]
    """fct_orders (count, sum) of a cell's day and block, or None where the block is not reconciled."""
    changes: Mapping[str, Any]
    """Each judged metric's `Judged` over the cells and its verdict codes by direction (`change.Verdicts`)."""

    def column(self, name: str) -> np.ndarray:
        return self.numbers[:, self.c.logical_columns.index(name)]


Gauge = tuple[Family, Any, dict[str, str]]
"""(family, value, labels besides metric and segment) of one pushed sample."""


def _none(*_: Any) -> list:
    return []


def _no_verdicts(_: Any) -> dict:
    return {}


@dataclass(frozen=True)
class Check:
    """One check: everything about it in one place."""

    names: tuple[CheckName, ...]
    """The names it reports under (drop and spike share one spec: one rule, two directions)."""
    doc: str
    """Its row in the documentation: what it guards and when it fails."""
    evaluate: Callable[[Day], list[CheckResult]]
    part: Part | None = None
    """The part of the model it needs; None: every config has it."""
    vanished: bool = False
    """Judged on a vanished segment's zeros too (only the volume metrics' drops are)."""
    gauges: Callable[[CheckResult], Iterable[Gauge]] = _none
    """The samples of one of its results (besides check_status and check_evaluated, which every check has)."""
    thresholds: Callable[[Config, date], Iterable[Gauge]] = _none
    """The samples of its thresholds, pushed once a run (the day: an accepted shift's date on or before it)."""
    alerts: Callable[[Config], list[Alert]] = _none
    cases: Callable[[Config], list[Case]] = _none
    panels: Callable[[Config, str], list[tuple[dict, int, int]]] = _none
    """(panel, width, height) of its dashboard panels, given the total's selector."""
    verdicts: Callable[[Cells], dict[tuple[str, str], np.ndarray]] = _no_verdicts
    """Its rule over every cell at once, by (check, metric): the codes its evaluate reads (`Cells`)."""

    def enabled(self, c: Config) -> bool:
        return self.part is None or self.part.present(c)
