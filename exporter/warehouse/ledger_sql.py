"""The results ledger's SQL: its table, its index, the day-trust view and their DDL per dialect. Builds, never runs."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex, CreateSchema, CreateTable

from ..config import Results, TableRef
from .segment_trust import segment_trust_select

NUMBERS = ("value", "median", "mad", "z", "frac", "baseline_days", "coverage", "expected", "difference")
"""A check's numbers, one column each, as in the JSON report."""
STAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
"""UTC, to the microsecond on every backend (MySQL's DATETIME keeps whole seconds unless told)."""
WITHOUT_INDEXES = ("spark",)
"""Dialects whose tables have no indexes (Spark's CREATE INDEX is refused by its own tables)."""


def indexed(index: sa.Index) -> sa.Index:
    """The index, created only where the dialect has indexes."""
    return index.ddl_if(callable_=lambda *_, dialect, **__: dialect.name not in WITHOUT_INDEXES)


def ledger_table(r: Results) -> sa.Table:
    """The append-only table: one row per check per judged day per run."""
    assert r.table is not None, "callers run only with results.table set"
    return sa.Table(
        r.table, sa.MetaData(),
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("run_at", STAMP, nullable=False),
        sa.Column("run_kind", sa.String(8), nullable=False),
        sa.Column("pipeline", sa.String(63), nullable=False),
        sa.Column("data_date", sa.Date, nullable=False),
        sa.Column("check_name", sa.String(32), nullable=False),
        sa.Column("metric", sa.String(63), nullable=False),
        sa.Column("segment", sa.String(63)),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        *(sa.Column(n, sa.Integer if n == "baseline_days" else sa.Double) for n in NUMBERS),
        sa.Column("message", sa.Text, nullable=False),
        indexed(sa.Index(f"ix_{r.table}"[:63], "pipeline", "data_date", "run_id")),
        schema=r.schema,
    )


def trust_select(t: sa.Table) -> sa.Select:
    """One row per (pipeline, data_date) from its latest run (the greatest run_id, which starts with its time)."""
    latest = (sa.select(t.c.pipeline, t.c.data_date, sa.func.max(t.c.run_id).label("run_id"))
              .group_by(t.c.pipeline, t.c.data_date).subquery("latest"))
    critical = sa.func.sum(sa.case((t.c.severity == "critical", 1), else_=0))
    warn = sa.func.sum(sa.case((t.c.severity == "warn", 1), else_=0))
    on = sa.and_(t.c.pipeline == latest.c.pipeline, t.c.data_date == latest.c.data_date, t.c.run_id == latest.c.run_id)
    return (sa.select(t.c.pipeline, t.c.data_date,
                      sa.case((critical > 0, "critical"), (warn > 0, "warn"), else_="ok").label("status"),
                      critical.label("critical_checks"), warn.label("warn_checks"),
                      sa.case((critical > 0, sa.false()), else_=sa.true()).label("trusted"),
                      sa.func.max(t.c.run_at).label("judged_at"), t.c.run_id)
            .join_from(t, latest, on).group_by(t.c.pipeline, t.c.data_date, t.c.run_id))


def ddl(r: Results, dialect: Dialect, dimensions: Sequence[str] = (), models: Sequence[str] = ()) -> list[str]:
    """CREATE SCHEMA, TABLE and INDEX (if not there yet) and the two views, day and segment (replaced, so a
    new version's views land; the last two statements). `dimensions`: the segment columns; `models`: the
    attribution models."""
    t = ledger_table(r)
    create_view = "CREATE VIEW IF NOT EXISTS" if dialect.name == "sqlite" else "CREATE OR REPLACE VIEW"

    def view(ref, select: sa.Select) -> str:
        name = dialect.identifier_preparer.format_table(sa.table(ref.name, schema=ref.schema))
        return f"{create_view} {name} AS\n{select.compile(dialect=dialect, compile_kwargs={'literal_binds': True})}"

    return [*schema_ddl(r, dialect), str(CreateTable(t, if_not_exists=True).compile(dialect=dialect)).strip(),
            *(str(CreateIndex(i, if_not_exists=True).compile(dialect=dialect)).strip() for i in t.indexes
              if dialect.name not in WITHOUT_INDEXES),
            view(r.view, trust_select(t)), view(r.segment_view, segment_trust_select(t, dimensions, models, dialect))]


def schema_ddl(r: Results, dialect: Dialect) -> list[str]:
    """CREATE SCHEMA IF NOT EXISTS for the ledger's schema (SQLite has none: an attached file is one)."""
    if not r.schema or dialect.name == "sqlite":
        return []
    return [str(CreateSchema(r.schema, if_not_exists=True).compile(dialect=dialect)).strip()]


def grants(r: Results, dialect: Dialect, sources: tuple[TableRef, ...] = ()) -> list[str]:
    """Everything the job's role and a BI role need, as comments for the DBA: on PostgreSQL USAGE on every schema
    first (without it a SELECT grant on its table is refused), then the tables."""
    q = dialect.identifier_preparer

    def name(t: TableRef) -> str:
        return q.format_table(sa.table(t.name, schema=t.schema))

    def usage(role: str, *tables: TableRef) -> list[str]:
        schemas = dict.fromkeys(t.schema for t in tables if t.schema)
        return [f"-- GRANT USAGE ON SCHEMA {q.quote(s)} TO <{role}>;" for s in schemas] \
            if dialect.name == "postgresql" else []

    ledger = TableRef(r.table or "", r.schema)
    read = [f"-- GRANT SELECT ON {', '.join(name(t) for t in sources)} TO <monitor role>;"] if sources else []
    return ["-- the job's role (no UPDATE, DELETE or CREATE):", *usage("monitor role", *sources, ledger),
            *read, f"-- GRANT SELECT, INSERT ON {name(ledger)} TO <monitor role>;",
            "-- BI:", *usage("bi role", r.view, r.segment_view),
            f"-- GRANT SELECT ON {name(r.view)}, {name(r.segment_view)} TO <bi role>;"]
