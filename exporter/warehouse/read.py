"""Measuring (I/O): the read-only statements of a check or a backtest, run in one connection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from ..config import Config
from ..config.holidays import holiday_events
from ..errors import DatabaseError, MonitorError
from ..judge.model import DayRow, History, LedgerRead, Measurements
from ..judge.values import index_of
from . import queries, segment_queries, segment_rows
from .compact import row_values
from .connection import as_date, first_line, make_engine, redact


def measure(url: URL, c: Config, day: date, timezone: str = "UTC", ledger: tuple[URL, str] | None = None,
            before: int = 0) -> Measurements:
    """The check's statements for one day: the daily_metrics window (from `before` days earlier's, so the days
    before can be judged too) and the day's fact aggregate; with a ledger (its URL and pipeline), what it stored
    of the days `restated` compares."""
    h = _read(url, c, day - timedelta(days=before), day, timezone, by_day=False)
    orders, revenue = h.facts.get(day, (0, None)) if c.fact else (None, None)  # no fact rows: count 0
    return Measurements(day, h.rows, orders, revenue, h.events, h.segments,
                        {s: v for (_, s), v in h.segment_facts.items()}, _ledger(c, day, ledger),
                        h.folded.get(day))


def _ledger(c: Config, day: date, ledger: tuple[URL, str] | None) -> LedgerRead | None:
    """The ledger's stored days; a failed read is kept with its reason (`restated` is then not evaluated)."""
    if ledger is None:
        return None
    if not c.restatement.days:
        return LedgerRead(())
    from .ledger import stored_days

    try:
        return LedgerRead(stored_days(*ledger, c, day))
    except MonitorError as exc:
        return LedgerRead(None, str(exc))


def measure_range(url: URL, c: Config, first: date, last: date, timezone: str = "UTC") -> History:
    """The backtest's statements: one daily_metrics window for the whole range, one fact aggregate GROUP BY day."""
    return _read(url, c, first, last, timezone, by_day=True)


def _read(url: URL, c: Config, first: date, last: date, timezone: str, by_day: bool) -> History:
    engine = make_engine(url, c, timezone)
    try:
        try:
            conn = engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            raise DatabaseError(f"cannot connect to {redact(url)}: {first_line(exc, url)}") from None
        with conn:
            h = _daily(conn, c, first, last, url)
            if c.fact:
                h = _facts(conn, c, h, url, by_day)
            cal = c.calendar_table
            table_events = (_run(conn, queries.calendar_events(c, cal, first, last), cal.table.display, url)
                            if cal else [])
    except QueryFailed as exc:
        raise _explained(exc, url, c, first, timezone) from None
    finally:
        engine.dispose()
    events = {**holiday_events(c.calendar_countries, first - timedelta(days=c.lookback), last),
              **{as_date(d): str(name) for d, name in table_events}, **dict(c.calendar_events)}
    return replace(h, events=events)


def _daily(conn, c: Config, first: date, last: date, url: URL) -> History:
    """The daily_metrics statement: the rows (and, segmented, the judged segments)."""
    if c.segments:
        day_rows, segments, folded = _run(conn, segment_queries.segmented_rows(c, first, last), c.daily_table.display,
                                          url, lambda result: segment_rows.segment_rows(c, result, as_date))
        return History(first, last, day_rows, {}, segments=segments, folded=folded)
    rows = _run(conn, queries.daily_rows(c, first, last), c.daily_table.display, url)
    index = index_of(c.logical_columns)
    return History(first, last, tuple(DayRow(as_date(r[0]), row_values(index, r[1:])) for r in rows), {})


def _facts(conn, c: Config, h: History, url: URL, by_day: bool) -> History:
    """The fact statement: the last day's aggregate (a check), or GROUP BY day (a backtest); per judged segment
    too with segments.fact_columns."""
    assert c.fact is not None
    first = h.first if by_day else h.last
    if c.segments and c.segments.reconciled:
        members = [tuple(v for _, v in s.values) for s in h.segments if not s.other]
        statement = segment_queries.segment_facts(c, first, h.last, members, by_day=by_day)
        rows = _run(conn, statement, c.fact.table.display, url)
        totals, parts = segment_rows.segment_facts(rows, h.segments, by_day, first, as_date)
        return replace(h, facts=totals, segment_facts=parts)
    if not by_day:
        (orders, revenue), = _run(conn, queries.fact_totals(c, h.last), c.fact.table.display, url)
        return replace(h, facts={h.last: (orders, revenue)})
    rows = _run(conn, queries.fact_totals_by_day(c, h.first, h.last), c.fact.table.display, url)
    return replace(h, facts={as_date(d): (n, r) for d, n, r in rows})


class QueryFailed(DatabaseError):
    """A statement on `table` failed (not the connection)."""

    def __init__(self, table: str, why: str):
        super().__init__(f"query on {table} failed: {why}")
        self.table = table


def _run(conn, query, table: str, url: URL, read: Callable[[Any], Any] = list) -> Any:
    """The statement's rows, as `read` takes them from the result one at a time (a long range is converted row by
    row, never held twice); a failure says which table's statement failed."""
    try:
        return read(conn.execute(query))
    except sa.exc.DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc, sa.exc.InterfaceError):
            raise DatabaseError(f"connection to {redact(url)} lost during the query on {table}: "
                                f"{first_line(exc, url)}") from None
        raise QueryFailed(table, first_line(exc, url)) from None
    except sa.exc.SQLAlchemyError as exc:
        raise QueryFailed(table, first_line(exc, url)) from None
    except (ValueError, TypeError) as exc:  # a result value the dialect could not convert
        raise QueryFailed(table, str(exc)) from None


def _explained(exc: QueryFailed, url: URL, c: Config, day: date, timezone: str) -> DatabaseError:
    """The database's words replaced by the config keys behind them, when validate's inspection finds them."""
    from .inspection import problems

    found = problems(url, c, day, timezone)
    return QueryFailed(exc.table, "; ".join(found)) if found else exc
