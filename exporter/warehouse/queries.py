"""The SQL the job sends, as SQLAlchemy Core statements with bound parameters. Builds, never runs (no I/O)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..config import CalendarTable, Config, FactTable


class day_of(FunctionElement):  # reads as SQL
    """The calendar day of a timestamp, in the session's time zone."""

    type = sa.Date()
    inherit_cache = True


@compiles(day_of)
def _day_of(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw):  # SQLite's CAST(... AS DATE) is a number
    return f"date({compiler.process(element.clauses, **kw)})"


NO_ROWS = sa.text("1 = 0")
"""validate's probes: the check's own statements, reading no rows."""
INSTANT = sa.DateTime().with_variant(sa.TIMESTAMP(), "bigquery")
"""A timestamp parameter: BigQuery compares a TIMESTAMP column only with a TIMESTAMP, never a DATETIME."""


def daily_rows(c: Config, first: date, last: date) -> sa.Select:
    """daily_metrics rows from the first day's baseline (first - lookback) to the last day."""
    logical = c.logical_columns
    t = sa.table(c.daily_table.name, sa.column(c.date_column, sa.Date),
                 *(sa.column(col) for col in dict.fromkeys(c.column(n) for n in logical)),
                 schema=c.daily_table.schema)
    return (sa.select(t.c[c.date_column].label("event_date"), *(t.c[c.column(n)].label(n) for n in logical))
            .where(t.c[c.date_column].between(sa.bindparam("start", first - timedelta(days=c.lookback), sa.Date),
                                              sa.bindparam("end", last, sa.Date))))


def _fact(c: Config) -> tuple[FactTable, sa.TableClause, sa.ColumnClause]:
    f = c.fact
    if f is None:
        raise ValueError("fct_orders is null in the config: there is no fact statement")
    t = sa.table(f.table.name, sa.column(f.day_column, sa.DateTime if f.timestamp_column else sa.Date),
                 sa.column(f.revenue_column), schema=f.table.schema)
    return f, t, t.c[f.day_column]


def fact_range(f: FactTable, key, first: date, last: date):
    """Days first .. last of the fact table: a half-open range on a raw timestamp column, so its index is used."""
    if f.timestamp_column:
        start = datetime.combine(first, datetime.min.time())
        return sa.and_(key >= sa.bindparam("start", start, INSTANT),
                       key < sa.bindparam("end", datetime.combine(last, datetime.min.time()) + timedelta(days=1),
                                          INSTANT))
    return key == sa.bindparam("day", first, sa.Date) if first == last else \
        key.between(sa.bindparam("start", first, sa.Date), sa.bindparam("end", last, sa.Date))


def fact_totals(c: Config, day: date) -> sa.Select:
    """count(*) and sum(revenue) of fct_orders for one day, aggregated in the database."""
    f, t, key = _fact(c)
    return (sa.select(sa.func.count().label("orders"), sa.func.sum(t.c[f.revenue_column]).label("revenue"))
            .where(fact_range(f, key, day, day)))


def fact_totals_by_day(c: Config, first: date, last: date) -> sa.Select:
    """The same aggregate for every day of a range, GROUP BY day: fact rows never leave the database."""
    f, t, key = _fact(c)
    day = (day_of(key) if f.timestamp_column else key).label("day")  # grouped by its label: BigQuery needs it
    return (sa.select(day, sa.func.count().label("orders"), sa.func.sum(t.c[f.revenue_column]).label("revenue"))
            .where(fact_range(f, key, first, last)).group_by(day))


def calendar_events(c: Config, cal: CalendarTable, first: date, last: date) -> sa.Select:
    """The known events of the calendar table from the first day's baseline to the last day."""
    t = sa.table(cal.table.name, sa.column(cal.date_column, sa.Date), sa.column(cal.name_column),
                 schema=cal.table.schema)
    return (sa.select(t.c[cal.date_column], t.c[cal.name_column])
            .where(t.c[cal.date_column].between(sa.bindparam("start", first - timedelta(days=c.lookback), sa.Date),
                                                sa.bindparam("end", last, sa.Date))))
