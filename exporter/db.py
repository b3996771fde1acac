"""Measuring: the two read-only queries against the warehouse, through SQLAlchemy Core."""

from __future__ import annotations

import math
import os
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool

from . import queries
from .config import Config
from .errors import DatabaseError
from .model import DayRow, History, Measurements

DEFAULT_DRIVERS = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql",
                   "mariadb": "mariadb+pymysql"}
"""URL schemes without a driver (Airflow's `conn.get_uri()` gives postgres://) -> the driver our extras install."""

EXTRAS = {"psycopg": "postgresql", "psycopg2": "postgresql", "pymysql": "mysql", "MySQLdb": "mysql",
          "duckdb": "duckdb", "duckdb_engine": "duckdb"}


def parse_dsn(dsn: str) -> URL:
    """A SQLAlchemy URL, or a DatabaseError that does not echo the DSN."""
    try:
        url = make_url(dsn)
    except Exception:  # make_url raises several types for garbage; none may leak the DSN
        raise DatabaseError("invalid DSN: expected a SQLAlchemy URL "
                            "such as postgresql+psycopg://user@host/db") from None
    return url.set(drivername=DEFAULT_DRIVERS.get(url.drivername, url.drivername))


def make_engine(url: URL, c: Config, timezone: str = "UTC") -> Engine:
    """An engine with one connection, read-only where the backend allows, with timeouts.

    PostgreSQL's session TimeZone is the run's `timezone`: a TIMESTAMPTZ fact column is then compared with
    [D 00:00, D+1 00:00) of that zone; a naive TIMESTAMP column is compared as it is stored.
    """
    connect_s = max(1, math.ceil(c.connect_timeout_seconds))
    statement_ms = max(1, int(c.statement_timeout_seconds * 1000))
    backend = url.get_backend_name()
    args: dict = {}
    if backend == "postgresql":
        args = {"connect_timeout": connect_s,
                "options": f"-c statement_timeout={statement_ms} -c default_transaction_read_only=on "
                           f"-c TimeZone={timezone}"}
    elif backend in ("mysql", "mariadb"):
        args = {"connect_timeout": connect_s, "read_timeout": max(1, math.ceil(c.statement_timeout_seconds)),
                "init_command": "SET SESSION TRANSACTION READ ONLY"}
    elif backend == "sqlite":
        args = {"timeout": connect_s}
        if url.database not in (None, "", ":memory:"):  # never create a warehouse file: open it read-only
            if not os.path.isfile(url.database):
                raise DatabaseError(f"SQLite file {url.database} does not exist")
            url = url.set(database=f"file:{os.path.abspath(url.database)}?mode=ro", query={"uri": "true"})
    elif backend == "duckdb" and url.database not in (None, "", ":memory:"):
        if not os.path.isfile(url.database):
            raise DatabaseError(f"DuckDB file {url.database} does not exist")
        args = {"read_only": True}
    try:
        return sa.create_engine(url, poolclass=NullPool, connect_args=args)
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get((exc.name or "").split(".")[0])
        hint = f": pip install 'daily-metrics-monitor[{extra}]'" if extra else ""
        raise DatabaseError(f"cannot use DSN {redact(url)}: its driver {exc.name} is not installed{hint}") from None
    except Exception as exc:  # unknown dialect
        raise DatabaseError(f"cannot use DSN {redact(url)}: {_first_line(exc, url)}") from None


def measure(url: URL, c: Config, day: date, timezone: str = "UTC") -> Measurements:
    """The check's statements for one day: the daily_metrics window and the day's fact aggregate."""
    rows, facts, events = _read(url, c, day, day, timezone, queries.fact_totals(c, day))
    return Measurements(day, rows, facts[0][0], facts[0][1], events)


def measure_range(url: URL, c: Config, first: date, last: date, timezone: str = "UTC") -> History:
    """The backtest's statements: one daily_metrics window for the whole range, one fact aggregate GROUP BY day."""
    rows, facts, events = _read(url, c, first, last, timezone, queries.fact_totals_by_day(c, first, last))
    return History(first, last, rows, {_as_date(d): (n, revenue) for d, n, revenue in facts}, events)


def _read(url: URL, c: Config, first: date, last: date, timezone: str, fact_statement):
    engine = make_engine(url, c, timezone)
    try:
        with engine.connect() as conn:
            rows = _run(conn, queries.daily_rows(c, first, last), c.daily_table.display, url)
            facts = _run(conn, fact_statement, c.fact.table.display, url)
            table_events = (_run(conn, queries.calendar_events(c, first, last), c.calendar_table.table.display, url)
                            if c.calendar_table else [])
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseError(f"cannot connect to {redact(url)}: {_first_line(exc, url)}") from None
    finally:
        engine.dispose()
    names = c.logical_columns
    day_rows = tuple(DayRow(_as_date(r[0]), dict(zip(names, r[1:], strict=True))) for r in rows)
    events = {**{_as_date(d): str(name) for d, name in table_events}, **dict(c.calendar_events)}
    return day_rows, facts, events


def _run(conn, query, table: str, url: URL) -> list:
    try:
        return conn.execute(query).all()
    except sa.exc.DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc, sa.exc.InterfaceError):
            raise
        raise DatabaseError(f"query on {table} failed: {_first_line(exc, url)}") from None
    except (ValueError, TypeError) as exc:  # a result value the dialect could not convert
        raise DatabaseError(f"query on {table} failed: {exc}") from None


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def redact(url: URL) -> str:
    """The URL with its password hidden."""
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException, url: URL) -> str:
    """The driver's own message, first line, with any password removed."""
    orig = getattr(exc, "orig", None) or exc
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


def write_warehouse(url: URL, daily: list[dict], orders: list[dict], daily_table: str = "daily_metrics",
                    fact_table: str = "fct_orders") -> None:
    """(Re)create both tables with portable types and load the rows: for the demo and test fixtures."""
    import warnings

    md = sa.MetaData()
    daily_t = sa.Table(daily_table, md, *(_column_for(name) for name in daily[0]))
    fact_t = sa.Table(fact_table, md, sa.Column("order_id", sa.String(32), primary_key=True),
                      sa.Column("order_date", sa.Date, nullable=False, index=True),
                      sa.Column("revenue", sa.Numeric(18, 2)))
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Decimal objects natively.*")
            with engine.begin() as conn:
                md.drop_all(conn)
                md.create_all(conn)
                conn.execute(daily_t.insert(), daily)
                if orders:
                    conn.execute(fact_t.insert(), orders)
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseError(f"cannot write the demo warehouse to {redact(url)}: {_first_line(exc, url)}") from None
    finally:
        engine.dispose()


def drop_tables(url: URL, *names: str) -> None:
    """Drop the named tables if they exist (test clean-up)."""
    md = sa.MetaData()
    tables = [sa.Table(n, md, sa.Column("x", sa.Integer)) for n in names]
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            md.drop_all(conn, tables=tables, checkfirst=True)
    finally:
        engine.dispose()


def _column_for(name: str) -> sa.Column:
    if name == "event_date":
        return sa.Column(name, sa.Date, nullable=False)
    return sa.Column(name, sa.Numeric(18, 2) if "revenue" in name else sa.BigInteger)
