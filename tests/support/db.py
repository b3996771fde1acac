"""The warehouse calls the tests make, in one place, and the test-only clean-up."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool

from exporter.warehouse.connection import make_engine, parse_dsn
from exporter.warehouse.demo_writer import write_warehouse
from exporter.warehouse.read import measure

__all__ = ["drop_tables", "make_engine", "measure", "parse_dsn", "query", "recorded_statements", "write_warehouse"]


def drop_tables(url: URL, *names: str) -> None:
    """Drop the named tables if they exist (on PostgreSQL with the views on them: the ledger's trust views)."""
    md = sa.MetaData()
    tables = [sa.Table(n, md, sa.Column("x", sa.Integer)) for n in names]
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                for name in names:
                    conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')
                return
            md.drop_all(conn, tables=tables, checkfirst=True)
    finally:
        engine.dispose()


@contextmanager
def recorded_statements():
    """Every statement SQLAlchemy sends to a database while the block runs, whitespace folded."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def set_on_spark(url: URL, table: str, column: str, value, day_column: str, day) -> None:
    """`UPDATE table SET column = value WHERE day_column = day` where the table takes no UPDATE (Spark's own
    tables): the table is rewritten from a copy with the one value replaced."""
    engine = sa.create_engine(url, poolclass=NullPool)
    copy = f"{table}_before"
    try:
        with engine.connect() as conn:
            names = [c["name"] for c in sa.inspect(conn).get_columns(table)]
            conn.exec_driver_sql(f"CREATE TABLE {copy} AS SELECT * FROM {table}")
            values = ", ".join(f"CASE WHEN {day_column} = :day THEN :value ELSE {n} END" if n == column else n
                               for n in names)
            conn.execute(sa.text(f"INSERT OVERWRITE TABLE {table} SELECT {values} FROM {copy}"),
                         {"day": day, "value": value})
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {copy}")
        engine.dispose()


def query(dsn: str, sql: str, **params) -> list[dict]:
    """The rows of one statement as dicts, through a connection of its own."""
    engine = sa.create_engine(parse_dsn(dsn), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()  # DuckDB: the job opens the file next
