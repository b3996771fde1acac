"""Inspecting the warehouse for `validate` (I/O, reads no rows): every table, mapped column and date type at once.

Each table gets `SELECT * ... WHERE 1 = 0` (its columns, and that the role may read it), the dialect's
inspector for the date columns' types where it can tell them, and the check's own statements with
`WHERE 1 = 0` (the typed date comparisons the database must accept). Every problem names its config key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from ..config import Config, TableRef
from . import queries, segment_queries
from .connection import first_line, make_engine, redact


@dataclass(frozen=True)
class Expected:
    """A table the config names, the key that names it, and its columns: (config key, column, kind)."""

    table: TableRef
    key: str
    columns: tuple[tuple[str, str, str], ...]
    statement: sa.Select | sa.CompoundSelect
    """The check's statement on this table, cut to no rows."""


def expected(c: Config, day: date) -> list[Expected]:
    """Every table and column a check with `c` reads; kind is `date`, `fact_date`, `timestamp` or `value`."""
    s = c.segments
    dims = [(f"segments.columns[{i}]", column, "value") for i, column in enumerate(s.columns)] if s else []
    daily = [("daily_metrics.date_column", c.date_column, "date"), *dims] + [
        (f"daily_metrics.columns.{n}", c.column(n), "value") for n in c.logical_columns]
    statement = segment_queries.segmented_rows(c, day, day) if s else queries.daily_rows(c, day, day)
    tables = [Expected(c.daily_table, "daily_metrics.table", tuple(daily), statement)]
    if c.fact:
        f = c.fact
        day_key = ("fct_orders.timestamp_column", f.timestamp_column, "timestamp") if f.timestamp_column else \
            ("fct_orders.date_column", f.day_column, "fact_date")
        reconciled = s is not None and s.reconciled
        fact_dims = [(f"segments.fact_columns.{d}", s.fact_column(d), "value") for d in s.columns] \
            if s and reconciled else []
        tables.append(Expected(f.table, "fct_orders.table", (day_key, ("fct_orders.revenue_column", f.revenue_column,
                                                                       "value"), *fact_dims),
                               segment_queries.segment_facts(c, day, day, [], False) if reconciled
                               else queries.fact_totals(c, day)))
    if c.calendar_table:
        cal = c.calendar_table
        tables.append(Expected(cal.table, "calendar.table.name", (
            ("calendar.table.date_column", cal.date_column, "date"),
            ("calendar.table.name_column", cal.name_column, "value")), queries.calendar_events(c, cal, day, day)))
    return tables


def problems(url: URL, c: Config, day: date, timezone: str = "UTC") -> list[str]:
    """Every problem of the warehouse for config `c`, each naming its config key; none: a check can run."""
    engine = make_engine(url, c, timezone)
    found: list[str] = []
    try:
        with engine.connect() as conn:
            for table in expected(c, day):
                found += _table_problems(conn, table, url)
    except sa.exc.SQLAlchemyError as exc:
        found.append(f"cannot connect to {redact(url)}: {first_line(exc, url)}")
    finally:
        engine.dispose()
    return found


def _table_problems(conn: Connection, e: Expected, url: URL) -> list[str]:
    t = sa.table(e.table.name, schema=e.table.schema)
    try:
        present = {k.lower() for k in conn.execute(sa.select(sa.text("*")).select_from(t).where(queries.NO_ROWS))
                   .keys()}
    except sa.exc.DBAPIError as exc:
        _reset(conn, exc)
        return [f"{e.key}: table {e.table.display} does not exist or cannot be read: {first_line(exc, url)}"]
    found = [f"{key}: column {column} does not exist in {e.table.display}"
             for key, column, _ in e.columns if column.lower() not in present]
    if found:
        return found
    types = _types(conn, e.table)
    for key, column, kind in e.columns:
        problem = _type_problem(kind, types.get(column.lower()), conn.dialect.name)
        if problem:
            found.append(f"{key}: column {column} of {e.table.display} is {problem}")
    if found:
        return found
    try:
        statement = e.statement if isinstance(e.statement, sa.Select) else sa.select(e.statement.subquery())
        conn.execute(statement.where(queries.NO_ROWS)).all()
    except sa.exc.DBAPIError as exc:
        _reset(conn, exc)
        dated = next(key for key, _, kind in e.columns if kind != "value")
        return [f"{dated}: the check's statement on {e.table.display} fails, most likely on this column's type: "
                f"{first_line(exc, url)}"]
    return []


def _types(conn: Connection, table: TableRef) -> dict[str, sa.types.TypeEngine]:
    """Column types by lower-case name, from the dialect's inspector; empty where it cannot tell."""
    try:
        return {col["name"].lower(): col["type"] for col in sa.inspect(conn).get_columns(table.name, table.schema)}
    except (sa.exc.SQLAlchemyError, NotImplementedError) as exc:
        _reset(conn, exc)
        return {}


def _type_problem(kind: str, type_: sa.types.TypeEngine | None, dialect: str) -> str | None:
    """Why a date or timestamp column's type will not do; None when it will (or cannot be told)."""
    if kind == "value" or type_ is None:
        return None
    try:
        python = type_.python_type
    except NotImplementedError:
        return None  # a type the dialect does not map: the statement probe still tries it
    if kind == "fact_date" and python is datetime:  # `ts = DATE` matches midnight only: a silent mismatch
        return (f"{type_}, a timestamp: name it in fct_orders.timestamp_column instead (and date_column: null), "
                "so a day is a half-open range")
    if issubclass(python, date) or (dialect == "sqlite" and python is str):  # SQLite compares ISO text as dates
        return None
    return f"{type_}, not a date: it must be a DATE or TIMESTAMP column"


def _reset(conn: Connection, exc: BaseException) -> None:
    """After a failed statement: PostgreSQL's transaction is aborted until rolled back (a dead connection raises
    here, and is reported as one)."""
    conn.rollback()
