"""`validate --dsn` covers the results ledger (issue 31), on every backend: a missing ledger table (then `check`
exited 3), a missing column, an INTEGER number column (every z rounded silently) and a segment column too
short for a label are each one problem naming `results.table`."""

import uuid

import pytest
import sqlalchemy as sa

from exporter.cli import main
from exporter.config import Results
from exporter.warehouse.connection import parse_dsn, redact
from exporter.warehouse.ledger_sql import ledger_table
from tests.support import db


@pytest.fixture
def warehouse(backend_dsn, make_warehouse):
    table = f"r_{uuid.uuid4().hex[:8]}"
    wh = make_warehouse(backend_dsn, "healthy", days=30,
                        config_extra=f"results:\n  table: {table}\n  trust_view: v{table}\n")
    yield wh, table
    engine = sa.create_engine(db.parse_dsn(backend_dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP VIEW IF EXISTS v{table}")
    finally:
        engine.dispose()
    db.drop_tables(db.parse_dsn(backend_dsn), table)


def validate(capsys, dsn, config) -> tuple[int, list[str]]:
    code = main(["validate", "--config", str(config), "--dsn", dsn])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out.splitlines()


def test_a_missing_ledger_is_a_problem_and_results_init_fixes_it(backend_dsn, warehouse, capsys):
    wh, table = warehouse
    code, lines = validate(capsys, backend_dsn, wh.config_path)
    where = redact(parse_dsn(backend_dsn))
    assert code == 2 and len(lines) == 2 and lines[-1] == f"INVALID: 1 problem in 1 of 1 config (warehouse {where})"
    assert lines[0].startswith(f"config {wh.config_path}: results.table: table {table} in ")
    assert "does not exist or cannot be read (create it with `daily-metrics-monitor results init`)" in lines[0]
    assert main(["results", "init", "--config", str(wh.config_path), "--dsn", backend_dsn]) == 0
    capsys.readouterr()
    code, lines = validate(capsys, backend_dsn, wh.config_path)
    assert code == 0 and lines[-1].startswith("OK: 1 config valid, every table and column found in ")


def test_wrong_ledger_columns_are_each_a_problem(backend_dsn, warehouse, capsys):
    wh, table = warehouse
    want = ledger_table(Results(table=table))
    changed = {"z": sa.Integer(), "segment": sa.String(20)}
    columns = [sa.Column(c.name, changed.get(c.name, c.type)) for c in want.columns if c.name != "message"]
    engine = sa.create_engine(db.parse_dsn(backend_dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            sa.Table(table, sa.MetaData(), *columns).create(conn)
    finally:
        engine.dispose()
    code, lines = validate(capsys, backend_dsn, wh.config_path)
    problems = [line.removeprefix(f"config {wh.config_path}: ") for line in lines[:-1]]
    assert code == 2 and problems == [f"results.table: column message does not exist in {table} in "
                                      f"{db.parse_dsn(backend_dsn).render_as_string(hide_password=True)}"]
    with sa.create_engine(db.parse_dsn(backend_dsn), poolclass=sa.pool.NullPool).begin() as conn:
        text = "STRING" if backend_dsn.startswith("spark") else "TEXT"  # Spark SQL has no TEXT
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN message {text}")
    code, lines = validate(capsys, backend_dsn, wh.config_path)
    said = [line.split(f" of {table} in ", 1)[0].removeprefix(f"config {wh.config_path}: ") for line in lines[:-1]]
    expected = ["results.table: column z"] + ([] if backend_dsn.startswith("duckdb") else  # VARCHAR has no length
                                               ["results.table: column segment"])
    assert code == 2 and sorted(said) == sorted(expected), lines
    assert "a whole number: its values (z, frac, ...) would be rounded; it must be a DOUBLE" in "\n".join(lines)
