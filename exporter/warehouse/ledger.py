"""The results ledger (I/O): create it, append a run's checks in one transaction, read what it judged."""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import URL

from ..config import Config
from ..errors import DatabaseError
from ..judge.model import CheckName, CheckResult, Evaluation, StoredDay
from .connection import as_date, first_line, make_engine, redact
from .ledger_sql import NUMBERS, ddl, ledger_table, schema_ddl


@dataclass(frozen=True)
class LedgerRun:
    """What every row of one run shares: its id (its UTC time first, so the greatest id is the latest run)."""

    run_id: str
    run_at: datetime
    run_kind: str
    pipeline: str


def new_run(kind: str, pipeline: str, now: datetime | None = None) -> LedgerRun:
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
    return LedgerRun(f"{at:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}", at, kind, pipeline)


def create(url: URL, c: Config) -> None:
    """The table and its index where they are missing, and the trust view (replaced)."""
    t = ledger_table(c.results)
    engine = make_engine(url, c, write="create")
    try:
        with engine.begin() as conn:
            for statement in schema_ddl(c.results, conn.dialect):
                conn.exec_driver_sql(statement)
            t.metadata.create_all(conn, checkfirst=True)  # MySQL has no CREATE INDEX IF NOT EXISTS
            for view in ddl(c.results, conn.dialect, *views_of(c))[-2:]:
                conn.exec_driver_sql(view)
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseError(f"cannot create the results ledger in {redact(url)}: {first_line(exc, url)}") from None
    finally:
        engine.dispose()


def views_of(c: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the segment-trust view needs of the config: the segment columns and the attribution models."""
    return (c.segments.columns if c.segments else ()), tuple(m.name for m in c.attribution_models)


def rows(run: LedgerRun, evaluations: Iterable[Evaluation]) -> list[dict]:
    """One row per check of each evaluation; a non-finite number (a flat baseline's z) is stored as NULL."""
    out = []
    for e in evaluations:
        for c in e.checks:
            numbers = {n: getattr(c, n) for n in NUMBERS}
            out.append({"run_id": run.run_id, "run_at": run.run_at, "run_kind": run.run_kind,
                        "pipeline": run.pipeline, "data_date": e.target_date, "check_name": c.name.value,
                        "metric": c.metric, "segment": _segment(c), "severity": c.severity.label,
                        "outcome": c.outcome.value, "message": c.message,
                        **{n: v if v is None or math.isfinite(v) else None for n, v in numbers.items()}})
    return out


def _segment(c: CheckResult) -> str | None:
    """The `segment` column: a segment's label (then its attribution model, if any), else the model or NULL.
    Over the column's 63 characters: its first 50, `~` and 12 hex digits of its SHA-256 (two cut labels never
    meet)."""
    if c.segment is None:
        return c.model
    text = f"{c.segment.label} {c.model}" if c.model else c.segment.label
    return text if len(text) <= 63 else f"{text[:50]}~{hashlib.sha256(text.encode()).hexdigest()[:12]}"


PARAMETERS = 30_000
"""Bound values in one INSERT at most: below SQLite's 32,766 and psycopg's 65,535."""


def append(url: URL, c: Config, run: LedgerRun, evaluations: Iterable[Evaluation]) -> int:
    """Insert the run's rows in one transaction, through a connection of its own; the number of rows.

    One multi-row INSERT (a check's rows always fit; a long backtest's are cut by PARAMETERS), so the
    statement timeout bounds the write: psycopg's executemany sends one INSERT a row, each under the timeout
    while the whole write is under none."""
    t = ledger_table(c.results)
    new = rows(run, evaluations)
    per_statement = max(1, PARAMETERS // len(t.columns))
    engine = make_engine(url, c, write="append")
    try:
        with engine.begin() as conn:
            for start in range(0, len(new), per_statement):
                conn.execute(t.insert().values(new[start:start + per_statement]))
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseError(f"results ledger {t.fullname} in {redact(url)}: nothing written: "
                            f"{first_line(exc, url)}{_hint(engine, t)}") from None
    finally:
        engine.dispose()
    return len(new)


def stored_days(url: URL, pipeline: str, c: Config, day: date) -> tuple[StoredDay, ...]:
    """One statement: D-1 .. D-days as their latest run stored them (the volume values of `valid_value`)."""
    t = ledger_table(c.results)
    first, last = day - timedelta(days=c.restatement.days), day - timedelta(days=1)
    query = (sa.select(t.c.data_date, t.c.run_id, t.c.check_name, t.c.metric, t.c.value)
             .where(t.c.pipeline == pipeline, t.c.data_date.between(first, last),
                    t.c.check_name.in_([CheckName.ROW_PRESENT.value, CheckName.VALID_VALUE.value]),
                    t.c.segment.is_(None)))  # the total's values (a segment's checks name their segment)
    engine = make_engine(url, c)
    try:
        with engine.connect() as conn:
            found = conn.execute(query).all()
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseError(f"results ledger {t.fullname} in {redact(url)}: cannot read: "
                            f"{first_line(exc, url)}{_hint(engine, t)}") from None
    finally:
        engine.dispose()
    latest: dict[date, str] = {}
    for d, run_id, *_ in found:
        latest[as_date(d)] = max(latest.get(as_date(d), ""), run_id)
    values: dict[date, dict] = {d: {} for d in latest}
    for d, run_id, check, metric, value in found:
        if run_id == latest[as_date(d)] and check == CheckName.VALID_VALUE.value:
            values[as_date(d)][metric] = value
    return tuple(StoredDay(d, latest[d], values[d]) for d in sorted(latest))


def _hint(engine, t: sa.Table) -> str:
    """When the table is missing, say how to create it (asked only after a failure)."""
    try:
        with engine.connect() as conn:
            missing = not sa.inspect(conn).has_table(t.name, schema=t.schema)
    except sa.exc.SQLAlchemyError:
        return ""
    return " (create it with `daily-metrics-monitor results init`)" if missing else ""
