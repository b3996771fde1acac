"""What the segmented statements returned, as the judge's rows, segments and facts. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..config import Config
from ..judge.model import OTHER, DayRow, Folded, Segment
from ..judge.values import index_of
from .compact import row_values
from .segment_queries import PARTS


def segment_rows(c: Config, rows: Iterable[Sequence[Any]], as_date
                 ) -> tuple[tuple[DayRow, ...], tuple[Segment, ...], dict[date, Folded]]:
    """The total's, the judged segments' and other's rows, the judged segments: largest first, then `other`
    when any row was folded into it, and the folded rows' faults by day. Each judged segment also gets an empty
    row (no values) on the first day it had a row in the ranking month: from there on a day without its row is a
    day of zeros. A segment's (or the total's) day that stands for n rows of the table is n rows (the judge
    reads no values from them, only that there are n); with `total: sum` the total is the database's SUM of
    every row of the day."""
    assert c.segments is not None
    columns, names = c.segments.columns, c.logical_columns
    index = index_of(names)
    width, n = len(columns), len(names)
    out, ranked, folded = [], [], {}
    seen: dict[tuple, Segment] = {}  # one Segment per segment, not one per row
    rank = names.index(c.segments.rank_by)
    for r in rows:
        part, day, dims, values = r[0], r[1], r[2:2 + width], r[2 + width:2 + width + n]
        if part == PARTS["folded"]:
            folded[as_date(day)] = _folded(names, r[3 + width + n:])
            continue
        if part == PARTS["member"]:
            member = _one(seen, columns, dims)
            ranked.append((-float(values[rank]), tuple(map(str, dims)), member))
            out.append(DayRow(as_date(day), {}, member))  # no values: where its history starts at the latest
            continue
        segment = (_one(seen, columns, dims) if part == PARTS["segment"]
                   else OTHER if part == PARTS["other"] else None)
        row = DayRow(as_date(day), row_values(index, values), segment)
        out += [row] * (1 if segment is OTHER else int(r[2 + width + n]))
    judged = tuple(s for *_, s in sorted(ranked, key=lambda x: x[:2]))
    return tuple(out), judged + ((OTHER,) if any(r.segment is OTHER for r in out) else ()), folded


def _one(seen: dict[tuple, Segment], columns: tuple[str, ...], dims: Sequence[Any]) -> Segment:
    """The segment of these values, the same object for each of its rows."""
    key = tuple(dims)
    found = seen.get(key)
    if found is None:
        found = seen[key] = Segment(tuple(zip(columns, dims, strict=True)))
    return found


def _folded(names: tuple[str, ...], counts: Sequence[Any]) -> Folded:
    n = len(names)
    return Folded(int(counts[0] or 0), {m: int(v or 0) for m, v in zip(names, counts[1:1 + n], strict=True)},
                  {m: int(v or 0) for m, v in zip(names, counts[1 + n:], strict=True)})


def segment_facts(rows: Sequence[Sequence[Any]], segments: tuple[Segment, ...], by_day: bool, day: date,
                  as_date) -> tuple[dict[date, tuple[Any, Any]], dict[tuple[date, Segment], tuple[Any, Any]]]:
    """The fact aggregate of the total by day (every group summed) and of each judged segment by day (a row's
    segment is its index among the judged ones, as the statement numbered them)."""
    by_index = [s for s in segments if not s.other]
    totals: dict[date, tuple[Any, Any]] = {}
    parts: dict[tuple[date, Segment], tuple[Any, Any]] = {}
    for r in rows:
        d: date = as_date(r[0]) if by_day else day
        index, orders, revenue = r[by_day], r[-2], r[-1]
        n, total = totals.get(d, (0, None))
        totals[d] = (n + orders, total if revenue is None else revenue if total is None else total + revenue)
        if index is not None:
            parts[(d, by_index[int(index)])] = (orders, revenue)
    return totals, parts
