"""The least-privilege SQL is complete (issue 31): on PostgreSQL, with the sources in one schema and the ledger in
another that does not exist yet, `results init` creates the schema, and a role given exactly the grants that
`results init --print-sql` prints (USAGE on both schemas, SELECT on the sources, SELECT, INSERT on the ledger)
runs `check` with the ledger, first time."""

from __future__ import annotations

import io
import uuid
from contextlib import redirect_stdout

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.conftest import execute, server_engine


@pytest.fixture
def pg_admin():
    with server_engine("postgresql") as server:
        yield server


@pytest.mark.postgresql
def test_a_role_with_the_printed_grants_runs_check_with_a_ledger_in_its_own_schema(pg_admin, make_warehouse,
                                                                                    capsys):
    dsn, engine = pg_admin
    suffix = uuid.uuid4().hex[:8]
    shop, monitoring, role = f"shop_{suffix}", f"mon_{suffix}", f"dmm_least_{suffix}"
    wh = make_warehouse(dsn)
    execute(engine, f"CREATE SCHEMA {shop}", f"CREATE TABLE {shop}.kpi AS SELECT * FROM {wh.daily_table}",
            f"CREATE TABLE {shop}.orders AS SELECT * FROM {wh.fact_table}")
    config = wh.config_path.with_name(f"least-{suffix}.yaml")
    config.write_text(f"daily_metrics: {{table: kpi, schema: {shop}}}\nfct_orders: {{table: orders, schema: {shop}}}\n"
                      f"results: {{table: dmm_check_results, schema: {monitoring}}}\n")
    try:
        with redirect_stdout(io.StringIO()) as out:
            assert main(["results", "init", "--config", str(config), "--dsn", dsn, "--print-sql"]) == 0
        grants = [line.removeprefix("-- ").replace("<monitor role>", role) for line in out.getvalue().splitlines()
                  if line.startswith("-- GRANT") and "<monitor role>" in line]
        assert grants == [f"GRANT USAGE ON SCHEMA {shop} TO {role};", f"GRANT USAGE ON SCHEMA {monitoring} TO {role};",
                          f"GRANT SELECT ON {shop}.kpi, {shop}.orders TO {role};",
                          f"GRANT SELECT, INSERT ON {monitoring}.dmm_check_results TO {role};"]
        assert out.getvalue().startswith(f"CREATE SCHEMA IF NOT EXISTS {monitoring};\n\nCREATE TABLE IF NOT EXISTS ")
        assert main(["results", "init", "--config", str(config), "--dsn", dsn]) == 0  # the DBA: the schema too
        execute(engine, f"CREATE ROLE {role} LOGIN", *grants)
        as_monitor = sa.engine.make_url(dsn).set(username=role).render_as_string(hide_password=False)
        capsys.readouterr()
        code = main(["check", "--dsn", as_monitor, "--config", str(config), "--date", wh.last_day.isoformat(),
                     "--no-push"])
        out_, err = capsys.readouterr()
        assert (code, err) == (0, "") and out_.splitlines()[-1].startswith("OK: ")
        with engine.connect() as conn:
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {monitoring}.dmm_check_results").scalar() > 0
    finally:
        execute(engine, f"DROP SCHEMA IF EXISTS {monitoring} CASCADE", f"DROP SCHEMA IF EXISTS {shop} CASCADE",
                f"DROP ROLE IF EXISTS {role}")
