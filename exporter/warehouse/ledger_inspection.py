"""Inspecting the results ledger for `validate` (I/O, reads no rows): the table `results.table` names, each
column `check` appends, and the columns' types where the dialect tells them (an INTEGER `z` would round every
z silently, a VARCHAR(20) `segment` would cut or refuse a label)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL

from ..config import Config
from .connection import first_line, make_engine, redact
from .ledger_sql import ledger_table
from .queries import NO_ROWS


def ledger_problems(url: URL, c: Config) -> list[str]:
    """Every problem of the ledger `check` would append to, each naming `results.table`; none without one."""
    if c.results.table is None:
        return []
    want = ledger_table(c.results)
    engine = make_engine(url, c)
    try:
        with engine.connect() as conn:
            t = sa.table(want.name, schema=want.schema)
            try:
                present = {k.lower() for k in conn.execute(sa.select(sa.text("*")).select_from(t).where(NO_ROWS))
                           .keys()}
            except sa.exc.DBAPIError as exc:
                return [f"results.table: table {want.fullname} in {redact(url)} does not exist or cannot be read "
                        f"(create it with `daily-metrics-monitor results init`): {first_line(exc, url)}"]
            missing = [f"results.table: column {col.name} does not exist in {want.fullname} in {redact(url)}"
                       for col in want.columns if col.name not in present]
            return missing or _type_problems(conn, want, url)
    except sa.exc.SQLAlchemyError as exc:
        return [f"results.table: cannot connect to {redact(url)}: {first_line(exc, url)}"]
    finally:
        engine.dispose()


def _type_problems(conn, want: sa.Table, url: URL) -> list[str]:
    found = []
    types = _types(conn, want)
    for col in want.columns:
        problem = _type_problem(col.type, *types.get(col.name, ("", None)))
        if problem:
            found.append(f"results.table: column {col.name} of {want.fullname} in {redact(url)} is {problem}")
    return found


WHOLE = ("INT", "SERIAL")
"""A type whose name holds one of these keeps whole numbers only (INTEGER, BIGINT, HUGEINT, BIGSERIAL...)."""


def _types(conn, want: sa.Table) -> dict[str, tuple[str, int | None]]:
    """Each column's type name and length: the dialect's inspector, else information_schema (DuckDB's
    inspector is PostgreSQL's and fails); empty where neither can tell."""
    try:
        return {c["name"].lower(): (str(c["type"]), getattr(c["type"], "length", None))
                for c in sa.inspect(conn).get_columns(want.name, want.schema)}
    except (sa.exc.SQLAlchemyError, NotImplementedError):
        conn.rollback()
    columns = sa.table("columns", sa.column("table_name"), sa.column("table_schema"), sa.column("column_name"),
                       sa.column("data_type"), sa.column("character_maximum_length"), schema="information_schema")
    query = sa.select(columns.c.column_name, columns.c.data_type, columns.c.character_maximum_length).where(
        columns.c.table_name == want.name, *((columns.c.table_schema == want.schema,) if want.schema else ()))
    try:
        return {str(n).lower(): (str(t), length) for n, t, length in conn.execute(query)}
    except sa.exc.SQLAlchemyError:
        conn.rollback()
        return {}


def _type_problem(expected: sa.types.TypeEngine, actual: str, length: int | None) -> str | None:
    if isinstance(expected, sa.Double) and any(w in actual.upper() for w in WHOLE):
        return f"{actual}, a whole number: its values (z, frac, ...) would be rounded; it must be a DOUBLE"
    if isinstance(expected, sa.String) and expected.length and length and length < expected.length:
        return f"{actual}, shorter than the {expected.length} characters written to it"
    return None
