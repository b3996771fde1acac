"""`results init --dsn` (issue 31): the warehouse DSN is taken as every other command takes it, on every
backend, and the ledger is created there."""

import uuid

import sqlalchemy as sa

from exporter.cli import main
from tests.support import db


def test_results_init_takes_the_warehouse_dsn(backend_dsn, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DMM_DSN", raising=False)
    monkeypatch.delenv("DMM_RESULTS_DSN", raising=False)
    table = f"r_{uuid.uuid4().hex[:8]}"
    config = tmp_path / "c.yaml"
    config.write_text(f"results:\n  table: {table}\n  trust_view: v{table}\n")
    url = db.parse_dsn(backend_dsn)
    try:
        assert main(["results", "init", "--config", str(config), "--dsn", backend_dsn]) == 0
        assert capsys.readouterr().out.startswith(f"results ledger {table} and view v{table} ready in ")
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                assert sa.inspect(conn).has_table(table)
        finally:
            engine.dispose()
    finally:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS v{table}")
        finally:
            engine.dispose()
        db.drop_tables(url, table)
