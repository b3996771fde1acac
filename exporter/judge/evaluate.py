"""Judging days: turn what was read into Evaluations, every check of the three layers. Pure, no I/O.

`evaluate_days` is the one judgement: `check` is the backtest of its one day. The rows are laid out as one
series per metric over consecutive days, and each metric's drops and spikes are judged for all the days at
once (judge/trust.py); the row and relationship checks are judged day by day.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from .. import checks as catalogue  # read when judging: the checks' modules import the judge's engine
from ..checks import change, reconciliation
from ..checks.parts import notes
from ..checks.spec import Cells, Check, Day
from ..config import Config, Shift
from .contributions import contributions
from .counting import counting
from .folded import folded_checks
from .layout import Layout, day_events, lay_out, series
from .model import CheckResult, Evaluation, History, Measurements, Segment, Severity
from .trust import Judged, judge_metric


def evaluate(m: Measurements, c: Config) -> Evaluation:
    """Every check of the three layers on the target day; what the config leaves out is said in `notes`."""
    return evaluate_days(m.history, c, [m.target_date])[0]


def evaluate_days(h: History, c: Config, days: Sequence[date]) -> list[Evaluation]:
    """Every check on each of `days`, from one read of the history (the rows from the first day's lookback on)."""
    return list(iter_days(h, c, days))


def iter_days(h: History, c: Config, days: Sequence[date], partial: Container[date] = ()) -> Iterator[Evaluation]:
    """The same, one day at a time: every metric is judged on every day at once first (NumPy), then every check's
    rule on every day of every block (`Cells`), then each day's results are built when asked for.

    On the `partial` days only what is not OK is built (for a reader of alerts: the text backtest, the days before
    a check's own): a segment's day whose every check passed builds nothing; those evaluations hold only their
    non-OK checks (`complete` False)."""
    layout = lay_out(h, c, min(days) - timedelta(days=c.lookback), max(days))
    local = np.array([layout.index(d) for d in days])
    targets = np.concatenate([b * layout.size + local for b in range(len(layout.blocks))])
    events = day_events(h, layout)
    rules = {name: change.judging(c.drop_rule(name)) for name in c.drop_metrics}
    judged = {name: judge_metric(series(c, name, layout, events), rules[name].rule, targets, counting(c, name, layout))
              for name in c.drop_metrics}
    cells = _cells(c, h, layout, days, local, targets, judged)
    verdicts = {key: codes for spec in catalogue.CATALOGUE if spec.enabled(c)
                for key, codes in spec.verdicts(cells).items()}
    listed = {key: codes.tolist() for key, codes in verdicts.items()}
    by_check: dict[str, list[list[int]]] = {}
    for (name, _), codes in listed.items():
        by_check.setdefault(name, []).append(codes)
    j = _Judgement(c, h, layout, judged, rules, {name: c.shifts(name) for name in rules}, listed, by_check,
                   {name: {d: codes.tolist() for d, codes in cells.changes[name][1].items()} for name in judged})
    quiet = _quiet(layout, cells, verdicts, days, partial).tolist()
    n = len(days)
    for k, day in enumerate(days):
        everything = day not in partial
        built = [b for b in range(len(layout.blocks)) if not quiet[b * n + k]]
        stats = {name: judged.at(np.array(built, dtype=int) * n + k) for name, judged in j.judged.items()}
        parts = [_evaluate_day(j, day, b, {name: rows[i] for name, rows in stats.items()}, b * n + k, everything)
                 for i, b in enumerate(built)]
        if not everything:
            parts = [replace(part, checks=tuple(x for x in part.checks if x.severity is not Severity.OK),
                             complete=False) for part in parts]
        yield _whole(c, parts, everything) if c.segments else parts[0]


def _cells(c: Config, h: History, layout: Layout, days: Sequence[date], local: np.ndarray, targets: np.ndarray,
           judged: dict[str, Judged]) -> Cells:
    """Every judged day of every block, block-major: cell b * len(days) + k is block b's day k."""
    n = len(days)
    on_event = np.tile(np.array([bool(h.events.get(day)) for day in days]), len(layout.blocks))

    def row(i: int) -> Mapping[str, Any]:
        return layout.rows[i // n][int(local[i % n])][0]

    def facts(i: int) -> tuple[Any, Any] | None:
        return reconciliation.facts(c, h, days[i % n], layout.blocks[i // n]) if c.fact else None

    return Cells(c, layout.numbers[targets], row, facts,
                 {name: (jd, change.verdicts(jd, c.drop_rule(name), on_event)) for name, jd in judged.items()})


def _quiet(layout: Layout, cells: Cells, verdicts: dict[tuple[str, str], np.ndarray],
           days: Sequence[date], partial: Container[date]) -> np.ndarray:
    """The cells nothing is built for: on a `partial` day, a judged segment (not `other`, whose folded rows are
    checked too) with exactly one row of its own that day, and every code OK."""
    if not any(day in partial for day in days):
        return np.zeros(len(cells.numbers), dtype=bool)
    ok = np.tile([day in partial for day in days], len(layout.blocks))
    for codes in [*verdicts.values(), *(code for _, by in cells.changes.values() for code in by.values())]:
        ok &= codes <= 0
    local = [layout.index(day) for day in days]
    single = [len(rows) == 1 and rows[0] is not layout.zero
              for block in layout.rows for rows in (block[g] for g in local)]
    judged = np.repeat([s is not None and not s.other for s in layout.blocks], len(days))
    return ok & np.array(single, dtype=bool) & judged


@dataclass(frozen=True)
class _Judgement:
    """What every day's checks read: the config, the history, its layout, each metric judged, rules and shifts,
    each check's verdict codes over the cells and each change's."""

    c: Config
    h: History
    layout: Layout
    judged: dict[str, Judged]
    rules: dict[str, change.Judging]
    shifts: dict[str, tuple[Shift, ...]]
    verdicts: dict[tuple[str, str], list[int]]
    by_check: dict[str, list[list[int]]]
    """The same verdict codes by check name (one list per metric)."""
    changes: dict[str, dict[str, list[int]]]


def _whole(c: Config, parts: list[Evaluation], everything: bool = True) -> Evaluation:
    """The total's evaluation with every segment's checks after its own, and the contributions to its drops."""
    checks = tuple(check for part in parts for check in part.checks)
    total = parts[0]
    return replace(total, checks=checks, segmented=True,
                   contributions=contributions(c, checks) if everything else ())


def _evaluate_day(j: _Judgement, day: date, b: int, stats: dict[str, tuple], at: int,
                  everything: bool) -> Evaluation:
    c, h, layout = j.c, j.h, j.layout
    segment, rows = layout.blocks[b], layout.rows[b][layout.index(day)]
    checks = _day_checks(j, day, rows, stats, segment, len(rows) == 1 and rows[0] is layout.zero, at, everything)
    for check in checks if segment is not None else ():  # fresh objects, not yet shared: tagged in place
        object.__setattr__(check, "segment", segment)  # (dataclasses.replace costs 10 us a check)
    return Evaluation(day, tuple(checks), len(rows), h.events.get(day) if len(rows) == 1 else None, notes(c))


def _day_checks(j: _Judgement, day: date, rows: list[Mapping[str, Any]], stats: dict[str, tuple],
                segment: Segment | None, vanished: bool, at: int, everything: bool = True) -> list[CheckResult]:
    """The day's checks of one block, the catalogue's in its order: a judged segment without a row that day has
    none (no history yet, or the whole day is missing: the total's row_present says so); one without a row since
    is judged as 0 on the checks that judge its zeros; without exactly one row only row_present is judged.
    Not `everything`: a check whose every verdict code is OK there is not built (its results would all be OK),
    except on `other`, whose folded rows' faults can fail a check its own codes passed (judge/folded.py)."""
    if segment is not None and not rows:
        return []
    c = j.c
    one = len(rows) == 1
    folded = segment is not None and segment.other
    event = j.h.events.get(day)
    codes = {name: {d: codes[at] for d, codes in j.changes[name].items()} for name in c.drop_metrics} if one else {}
    changes = [check for name in c.drop_metrics if everything or max(codes[name].values()) > 0
               for check in change.changes(name, stats[name], j.rules[name], codes[name], event,
                                           _shift_on(j.shifts[name], day), day)] if one else []
    d = Day(c, j.h, day, segment, len(rows), rows[0] if one else {}, changes, vanished, at, j.verdicts)
    checks: list[CheckResult] = []
    for spec in catalogue.CATALOGUE:
        if spec.enabled(c) and (spec.vanished or not vanished):
            if everything or folded or _failing(j, spec, at):
                checks += spec.evaluate(d)
            if not one:
                break
    return folded_checks(c, j.h.folded.get(day), checks) if folded else checks


def _failing(j: _Judgement, spec: Check, at: int) -> bool:
    """Some verdict code of the check is not OK at the cell (a check without codes: it may be)."""
    codes = [codes[at] for name in spec.names for codes in j.by_check.get(name, ())]
    return not codes or max(codes) > 0


def _shift_on(shifts: tuple[Shift, ...], day: date) -> Shift | None:
    """The latest accepted shift on or before `day`."""
    return next((s for s in reversed(shifts) if s.day <= day), None)
