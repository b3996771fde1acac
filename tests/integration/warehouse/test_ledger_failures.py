"""A ledger that is down, read-only or missing, least privilege on PostgreSQL, and `results init`'s errors."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from exporter.cli import main
from exporter.config import load
from exporter.warehouse.connection import make_engine
from tests.conftest import execute, server_engine
from tests.support.services import free_port, get, pushgateway, samples


@pytest.fixture
def gateway(tmp_path):
    with pushgateway(tmp_path) as url:
        yield url


def run(capsys, args):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sqlite_ledger(make_warehouse, tmp_path, scenario="healthy"):
    wh = make_warehouse(f"sqlite:///{tmp_path / (scenario + '.sqlite')}", scenario,
                        config_extra="results:\n  table: dmm_check_results\n")
    return wh


DOWN = "postgresql+psycopg://monitor:s3cret-pw@127.0.0.1:{port}/test"


@pytest.mark.parametrize("scenario, optional, expected", [("healthy", False, 3), ("healthy", True, 0),
                                                         ("orders_drop", False, 1)])
def test_a_ledger_that_is_down_prints_the_report_pushes_and_exits_by_the_documented_code(
        make_warehouse, tmp_path, capsys, gateway, scenario, optional, expected):
    wh = sqlite_ledger(make_warehouse, tmp_path, scenario)
    down = DOWN.format(port=free_port())
    code, out, err = run(capsys, wh.args("--pushgateway", gateway, "--results-dsn", down,
                                         *(["--results-optional"] if optional else [])))
    assert code == expected
    assert out.splitlines()[-1].startswith("CRITICAL: " if scenario == "orders_drop" else "WARN: ")
    assert ("[WARN] restated revenue: not evaluated: the results ledger could not be read: results ledger "
            "dmm_check_results in postgresql+psycopg://monitor:***@127.0.0.1:") in out  # why, and where
    [line] = err.splitlines()
    level = "warning" if optional else "error"
    assert line.startswith(f"daily-metrics-monitor: {level}: results ledger dmm_check_results in "
                           "postgresql+psycopg://monitor:***@127.0.0.1:")
    assert ": nothing written: " in line and "s3cret-pw" not in out + err
    pushed = samples(get(gateway + "/metrics"), "dmm_")
    assert pushed[("dmm_up", ("instance", ""), ("job", "daily_metrics_monitor"), ("pipeline", "daily_metrics"))] == 1
    assert not [k for k in pushed if k[0] == "dmm_restatements"]  # not evaluated: no series, never a fake 0


def test_a_missing_ledger_table_says_how_to_create_it(make_warehouse, tmp_path, capsys):
    wh = sqlite_ledger(make_warehouse, tmp_path)
    code, out, err = run(capsys, wh.args())
    assert code == 3 and out.splitlines()[-1].startswith("WARN: ")
    assert err.splitlines() == [f"daily-metrics-monitor: error: results ledger dmm_check_results in {wh.dsn}: "
                                "nothing written: no such table: dmm_check_results (create it with "
                                "`daily-metrics-monitor results init`)"]


def test_results_init_on_a_database_that_is_down_is_exit_2_without_the_password(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("results: {table: dmm_check_results}\n")
    down = DOWN.format(port=free_port())
    code, out, err = run(capsys, ["results", "init", "--config", str(config), "--results-dsn", down])
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith("daily-metrics-monitor: error: cannot create the results ledger in "
                           "postgresql+psycopg://monitor:***@127.0.0.1:") and "s3cret-pw" not in err


def test_results_init_errors_and_print_sql(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DMM_DSN", raising=False)
    monkeypatch.delenv("DMM_RESULTS_DSN", raising=False)
    code, _, err = run(capsys, ["results", "init", "--results-dsn", "sqlite:///x.sqlite"])
    assert (code, err) == (2, "daily-metrics-monitor: error: results.table is not set in defaults: there is no "
                              "ledger to create\n")
    config = tmp_path / "c.yaml"
    config.write_text("results: {table: dmm_check_results, schema: monitoring}\n")
    code, _, err = run(capsys, ["results", "init", "--config", str(config)])
    assert (code, err) == (2, "daily-metrics-monitor: error: no ledger database: pass --results-dsn or set "
                              "DMM_RESULTS_DSN or DMM_DSN\n")
    monkeypatch.setenv("DMM_RESULTS_DSN", "postgresql://dba:hunter2@db.invalid/warehouse")
    code, out, err = run(capsys, ["results", "init", "--config", str(config), "--print-sql"])
    assert (code, err) == (0, "")
    assert out.startswith("CREATE SCHEMA IF NOT EXISTS monitoring;\n\n"
                          "CREATE TABLE IF NOT EXISTS monitoring.dmm_check_results (\n")
    assert "CREATE OR REPLACE VIEW monitoring.dmm_day_trust AS\nSELECT " in out
    assert "CREATE OR REPLACE VIEW monitoring.dmm_segment_trust AS\nSELECT " in out
    assert "GRANT SELECT ON monitoring.dmm_day_trust, monitoring.dmm_segment_trust TO <bi role>" in out
    assert "GRANT SELECT, INSERT ON monitoring.dmm_check_results" in out and "hunter2" not in out


@pytest.fixture
def pg_admin():
    with server_engine("postgresql") as server:
        yield server


@pytest.mark.postgresql
def test_least_privilege_role_runs_everything_and_the_read_path_cannot_write(pg_admin, make_warehouse, capsys):
    dsn, engine = pg_admin
    suffix = uuid.uuid4().hex[:8]
    table, view, role = f"r_{suffix}", f"v_{suffix}", f"dmm_monitor_{suffix}"
    wh = make_warehouse(dsn, config_extra=f"results:\n  table: {table}\n  trust_view: {view}\n")
    assert main(["results", "init", "--config", str(wh.config_path), "--results-dsn", dsn]) == 0  # the DBA
    capsys.readouterr()
    execute(engine, f"CREATE ROLE {role} LOGIN", f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT ON {wh.daily_table}, {wh.fact_table} TO {role}",
            f"GRANT SELECT, INSERT ON {table} TO {role}")  # no UPDATE, DELETE or CREATE
    monitor = sa.engine.make_url(dsn).set(username=role)
    as_monitor = monitor.render_as_string(hide_password=False)
    try:
        first = (wh.last_day - timedelta(days=10)).isoformat()
        code, _, err = run(capsys, ["backtest", "--dsn", as_monitor, "--config", str(wh.config_path), "--from", first,
                                    "--to", wh.last_day.isoformat(), "--results", "--output", "/dev/null"])
        assert (code, err) == (0, "")
        code, out, err = run(capsys, ["check", "--dsn", as_monitor, "--config", str(wh.config_path),
                                      "--date", wh.last_day.isoformat()])
        assert (code, err) == (0, "") and out.splitlines()[-1].startswith("OK: ")
        assert "[OK] restated revenue: unchanged since judged (3 of the previous 3 days in the ledger)" in out
        reader = make_engine(monitor, load(wh.config_path))
        with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"), reader.connect() as conn:
            conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1")
        reader.dispose()
        execute(engine, f"REVOKE SELECT ON {table} FROM {role}")  # it can append but not read: restated not evaluated
        code, out, err = run(capsys, ["check", "--dsn", as_monitor, "--config", str(wh.config_path),
                                      "--date", wh.last_day.isoformat()])
        assert code == 0 and out.splitlines()[-1].startswith("WARN: ")
        assert err.splitlines() == [f"daily-metrics-monitor: warning: results ledger {table} in "
                                    f"{monitor.render_as_string()}: cannot read: permission denied for table "
                                    f"{table}; `restated` was not evaluated"]
        execute(engine, f"GRANT SELECT ON {table} TO {role}", f"REVOKE INSERT ON {table} FROM {role}")  # read-only
        code, out, err = run(capsys, ["check", "--dsn", as_monitor, "--config", str(wh.config_path),
                                      "--date", wh.last_day.isoformat()])
        assert code == 3 and out.splitlines()[-1].startswith("OK: ")
        assert err.splitlines() == [f"daily-metrics-monitor: error: results ledger {table} in "
                                    f"{monitor.render_as_string()}: nothing written: permission denied for table "
                                    f"{table}"]
        with engine.connect() as conn:
            kinds = dict(conn.exec_driver_sql(f"SELECT run_kind, count(DISTINCT run_id) FROM {table} "
                                              "GROUP BY run_kind").all())
        assert kinds == {"backtest": 1, "check": 2}
    finally:
        execute(engine, f"DROP VIEW IF EXISTS {view}", f"DROP VIEW IF EXISTS {view}_segment",
                f"DROP TABLE IF EXISTS {table}",
                f"REVOKE ALL ON {wh.daily_table}, {wh.fact_table} FROM {role}",
                f"REVOKE USAGE ON SCHEMA public FROM {role}", f"DROP ROLE {role}")


def test_a_restatement_is_pushed_as_dmm_restatements_and_lints_clean(make_warehouse, tmp_path, capsys, gateway):
    import subprocess

    from tests.support.services import binary

    wh = sqlite_ledger(make_warehouse, tmp_path)
    assert main(["results", "init", "--config", str(wh.config_path), "--results-dsn", wh.dsn]) == 0
    judged = wh.last_day - timedelta(days=1)
    assert main(wh.args("--date", judged.isoformat(), "--no-push")) == 0
    engine = sa.create_engine(wh.dsn, poolclass=sa.pool.NullPool)
    execute(engine, f"UPDATE {wh.daily_table} SET orders = orders * 2 WHERE event_date = '{judged}'")
    engine.dispose()
    capsys.readouterr()
    code, out, err = run(capsys, wh.args("--pushgateway", gateway))
    assert (code, err) == (0, "") and f"[WARN] restated orders: {judged} was " in out
    text = get(gateway + "/metrics")
    pushed = {dict(k[1:])["metric"]: v for k, v in samples(text, "dmm_restatements").items()}
    assert pushed == {"events": 0, "users": 0, "sessions": 0, "orders": 1, "revenue": 0}
    result = subprocess.run([binary("promtool"), "check", "metrics"], input=text, capture_output=True, text=True,
                            timeout=30)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_backtest_results_needs_a_ledger_table_and_a_bad_results_dsn_is_exit_2(make_warehouse, tmp_path, capsys):
    plain = make_warehouse(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    code, out, err = run(capsys, ["backtest", "--dsn", plain.dsn, "--config", str(plain.config_path), "--from",
                                  plain.last_day.isoformat(), "--to", plain.last_day.isoformat(), "--results"])
    assert (code, out) == (2, "")
    assert err == f"daily-metrics-monitor: error: --results: results.table is not set in {plain.config_path}\n"
    wh = sqlite_ledger(make_warehouse, tmp_path)
    code, out, err = run(capsys, wh.args("--results-dsn", "not a url"))
    assert (code, out) == (2, "")
    assert err == "daily-metrics-monitor: error: invalid DSN: expected a SQLAlchemy URL such as " \
                  "postgresql+psycopg://user@host/db\n"


def test_the_demo_keeps_its_own_ledger_and_ignores_dmm_results_dsn(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DMM_RESULTS_DSN", DOWN.format(port=free_port()))
    config, path = tmp_path / "c.yaml", tmp_path / "demo.sqlite"
    config.write_text("results: {table: dmm_check_results}\n")
    args = ["demo", "--path", str(path), "--config", str(config), "--date", "2026-11-25"]
    assert run(capsys, args)[0] == 0
    assert run(capsys, [*args, "--scenario", "orders_drop"])[0] == 1
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT pipeline, data_date, status, trusted FROM dmm_day_trust").all()
        runs = conn.exec_driver_sql("SELECT count(DISTINCT run_id) FROM dmm_check_results").scalar()
    engine.dispose()
    assert (rows, runs) == ([("demo", "2026-11-25", "critical", 0)], 2)
