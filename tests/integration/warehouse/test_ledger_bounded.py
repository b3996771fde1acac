"""The ledger write is one statement (issue 31): one multi-row INSERT on every backend, so PostgreSQL's
statement_timeout bounds the whole write (psycopg's executemany sent one INSERT a row, each under it)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.support import db


def query(dsn: str, sql: str) -> list[dict]:
    engine = sa.create_engine(db.parse_dsn(dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()  # DuckDB: the job opens the file next


def execute(dsn: str, sql: str) -> None:
    engine = sa.create_engine(db.parse_dsn(dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


@pytest.fixture
def ledger(backend_dsn, make_warehouse, capsys):
    created = []

    def make(extra: str = ""):
        table = f"r_{uuid.uuid4().hex[:8]}"
        wh = make_warehouse(backend_dsn, "healthy", days=30,
                            config_extra=f"results:\n  table: {table}\n  trust_view: v{table}\n{extra}")
        created.append(table)
        assert main(["results", "init", "--config", str(wh.config_path), "--results-dsn", backend_dsn]) == 0
        capsys.readouterr()
        return wh, table

    yield make
    for table in created:
        execute(backend_dsn, f"DROP VIEW IF EXISTS v{table}")
        db.drop_tables(db.parse_dsn(backend_dsn), table)


def test_a_checks_rows_are_one_insert(backend_dsn, ledger, capsys, monkeypatch):
    wh, table = ledger()
    inserts = []

    def counting(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append(executemany)

    original = sa.create_engine

    def engine(*args, **kwargs):
        e = original(*args, **kwargs)
        sa.event.listen(e, "before_cursor_execute", counting)
        return e

    monkeypatch.setattr(sa, "create_engine", engine)
    assert main(["check", "--dsn", backend_dsn, "--config", str(wh.config_path), "--date",
                 wh.last_day.isoformat(), "--no-push"]) == 0
    written = query(backend_dsn, f"SELECT count(*) AS n FROM {table}")[0]["n"]
    assert written > 10 and inserts == [False]  # one statement, not executemany


def test_a_slow_write_is_stopped_by_the_statement_timeout(backend_dsn, ledger, capsys):
    if not backend_dsn.startswith("postgresql"):
        pytest.skip("a per-row delay (a trigger with pg_sleep) is PostgreSQL's")
    wh, table = ledger("database: {statement_timeout_seconds: 1}\n")
    execute(backend_dsn, f"CREATE FUNCTION {table}_slow() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$")
    execute(backend_dsn, f"CREATE TRIGGER {table}_slow BEFORE INSERT ON {table} FOR EACH ROW "
                         f"EXECUTE FUNCTION {table}_slow()")
    try:
        code = main(["check", "--dsn", backend_dsn, "--config", str(wh.config_path), "--date",
                     wh.last_day.isoformat(), "--no-push"])
        err = capsys.readouterr().err
        # 0.2 s a row: each row alone is under 1 s; the one statement of 20-odd rows is not
        assert code == 3 and "statement timeout" in err and err.count("\n") == 1, err
        assert query(backend_dsn, f"SELECT count(*) AS n FROM {table}")[0]["n"] == 0
    finally:
        execute(backend_dsn, f"DROP TRIGGER {table}_slow ON {table}")
        execute(backend_dsn, f"DROP FUNCTION {table}_slow()")
