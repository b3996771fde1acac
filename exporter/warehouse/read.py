"""Measuring (I/O): the read-only statements of a check or a backtest, run in one connection."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import URL

from ..config import Config
from ..errors import DatabaseError
from ..judge.model import DayRow, History, Measurements
from . import queries
from .connection import first_line, make_engine, redact


def measure(url: URL, c: Config, day: date, timezone: str = "UTC") -> Measurements:
    """The check's statements for one day: the daily_metrics window and the day's fact aggregate."""
    rows, facts, events = _read(url, c, day, day, timezone, queries.fact_totals(c, day) if c.fact else None)
    orders, revenue = facts[0] if facts else (None, None)
    return Measurements(day, rows, orders, revenue, events)


def measure_range(url: URL, c: Config, first: date, last: date, timezone: str = "UTC") -> History:
    """The backtest's statements: one daily_metrics window for the whole range, one fact aggregate GROUP BY day."""
    statement = queries.fact_totals_by_day(c, first, last) if c.fact else None
    rows, facts, events = _read(url, c, first, last, timezone, statement)
    return History(first, last, rows, {_as_date(d): (n, revenue) for d, n, revenue in facts}, events)


def _read(url: URL, c: Config, first: date, last: date, timezone: str, fact_statement):
    engine = make_engine(url, c, timezone)
    try:
        try:
            conn = engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            raise DatabaseError(f"cannot connect to {redact(url)}: {first_line(exc, url)}") from None
        with conn:
            rows = _run(conn, queries.daily_rows(c, first, last), c.daily_table.display, url)
            facts = _run(conn, fact_statement, c.fact.table.display, url) if c.fact else []
            cal = c.calendar_table
            table_events = (_run(conn, queries.calendar_events(c, cal, first, last), cal.table.display, url)
                            if cal else [])
    except QueryFailed as exc:
        raise _explained(exc, url, c, first, timezone) from None
    finally:
        engine.dispose()
    names = c.logical_columns
    day_rows = tuple(DayRow(_as_date(r[0]), dict(zip(names, r[1:], strict=True))) for r in rows)
    events = {**{_as_date(d): str(name) for d, name in table_events}, **dict(c.calendar_events)}
    return day_rows, facts, events


class QueryFailed(DatabaseError):
    """A statement on `table` failed (not the connection)."""

    def __init__(self, table: str, why: str):
        super().__init__(f"query on {table} failed: {why}")
        self.table = table


def _run(conn, query, table: str, url: URL) -> list:
    try:
        return conn.execute(query).all()
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


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
