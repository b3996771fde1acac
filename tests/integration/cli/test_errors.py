"""Every error path: exit 2, one line on stderr naming the problem, no traceback, no password."""

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from exporter.cli import main

SECRET = "s3cr3t-Pa55"


def run(capsys, args):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err, *words):
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("daily-metrics-monitor: error: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in err and SECRET not in err


def test_bad_date(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--dsn", "sqlite://", "--date", "2026-13-01"])
    out, err = capsys.readouterr()
    assert_one_line_error(exit_info.value.code, out, err, "invalid date '2026-13-01'", "YYYY-MM-DD")


def test_unknown_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--bogus"])
    out, err = capsys.readouterr()
    assert_one_line_error(exit_info.value.code, out, err, "--bogus")


def test_future_date(capsys):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert_one_line_error(*run(capsys, ["check", "--dsn", "sqlite://", "--date", tomorrow]), "in the future")


def test_unknown_timezone(capsys):
    assert_one_line_error(*run(capsys, ["check", "--dsn", "sqlite://", "--timezone", "Mars/Base"]),
                          "unknown time zone 'Mars/Base'")


def test_no_dsn(capsys, monkeypatch):
    monkeypatch.delenv("DMM_DSN", raising=False)
    assert_one_line_error(*run(capsys, ["check"]), "pass --dsn or set DMM_DSN")


def test_bad_config_key(capsys, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("thresholds:\n  warn:\n    fracc: 0.5\n")
    assert_one_line_error(*run(capsys, ["check", "--dsn", "sqlite://", "--config", str(path)]),
                          str(path), "thresholds.warn.fracc: unknown key")


def test_missing_config_file(capsys, tmp_path):
    assert_one_line_error(*run(capsys, ["check", "--dsn", "sqlite://", "--config", str(tmp_path / "nope.yaml")]),
                          "cannot read config", "nope.yaml")


def test_garbage_dsn(capsys):
    assert_one_line_error(*run(capsys, ["check", "--dsn", f"not a url {SECRET}"]), "invalid DSN")


def test_unknown_driver(capsys):
    assert_one_line_error(*run(capsys, ["check", "--dsn", f"nosuchdb://u:{SECRET}@h/db"]), "cannot use DSN",
                          "nosuchdb://u:***@h/db")


def test_unreachable_database_hides_password(capsys):
    dsn = f"postgresql+psycopg://monitor:{SECRET}@127.0.0.1:1/test"
    assert_one_line_error(*run(capsys, ["check", "--dsn", dsn]), "cannot connect to",
                          "postgresql+psycopg://monitor:***@127.0.0.1:1/test")


def test_unreachable_database_from_environment(capsys, monkeypatch):
    monkeypatch.setenv("DMM_DSN", f"mysql+pymysql://monitor:{SECRET}@127.0.0.1:1/test")
    assert_one_line_error(*run(capsys, ["check"]), "cannot connect to", "monitor:***@")


def test_missing_table(capsys, backend_dsn, make_warehouse):
    wh = make_warehouse(backend_dsn)
    wh.config_path.write_text("daily_metrics:\n  table: no_such_table_x\n")
    assert_one_line_error(*run(capsys, wh.args()), "query on no_such_table_x failed")


def test_missing_fact_table(capsys, backend_dsn, make_warehouse):
    wh = make_warehouse(backend_dsn)
    wh.config_path.write_text(f"daily_metrics:\n  table: {wh.daily_table}\nfct_orders:\n  table: no_such_fact\n")
    assert_one_line_error(*run(capsys, wh.args()), "query on no_such_fact failed")


def test_missing_column(capsys, backend_dsn, make_warehouse):
    wh = make_warehouse(backend_dsn)
    wh.config_path.write_text(f"daily_metrics:\n  table: {wh.daily_table}\n  columns:\n    sessions: visits\n"
                              f"fct_orders:\n  table: {wh.fact_table}\n")
    assert_one_line_error(*run(capsys, wh.args()), f"query on {wh.daily_table} failed", "visits")


def test_debug_shows_the_traceback(capsys):
    code, _, err = run(capsys, ["check", "--dsn", "sqlite://", "--timezone", "Mars/Base", "--debug"])
    assert code == 2 and "Traceback" in err


def test_console_script_end_to_end(tmp_path):
    """The installed entry point, as the DAG runs it: a real process and its exit code."""
    env_python = sys.executable
    result = subprocess.run([env_python, "-m", "exporter", "demo", "--scenario", "orders_drop",
                             "--path", str(tmp_path / "demo.sqlite")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "[CRITICAL] orders:" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("CRITICAL: daily_metrics for ")


def test_unknown_scenario(capsys):
    assert_one_line_error(*run(capsys, ["demo", "--scenario", "meteor"]), "unknown scenario 'meteor'")


def test_a_missing_sqlite_file_is_named_and_never_created(capsys, tmp_path):
    missing = tmp_path / "does-not-exist.sqlite"
    assert_one_line_error(*run(capsys, ["check", "--dsn", f"sqlite:///{missing}"]),
                          f"SQLite file {missing} does not exist")
    assert not missing.exists()


def test_the_job_opens_a_sqlite_warehouse_read_only(capsys, make_warehouse, tmp_path):
    import sqlalchemy as sa

    wh = make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}")
    from exporter.config import load
    from tests.support import db

    engine = db.make_engine(db.parse_dsn(wh.dsn), load(wh.config_path))
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="readonly"):
        conn.execute(sa.text(f"DELETE FROM {wh.daily_table}"))
    engine.dispose()


def test_a_postgres_scheme_is_postgresql_with_psycopg():
    from exporter.warehouse.connection import parse_dsn

    assert parse_dsn("postgres://u:p@h:5432/db").drivername == "postgresql+psycopg"
    assert parse_dsn("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert parse_dsn("mysql://root@h/db").drivername == "mysql+pymysql"
    assert parse_dsn("postgresql+psycopg2://u@h/db").drivername == "postgresql+psycopg2"


@pytest.mark.postgresql
def test_an_airflow_style_postgres_uri_reaches_postgresql(capsys, make_warehouse):
    from tests.conftest import SERVER_DSNS, _reachable, unavailable

    problem = _reachable(SERVER_DSNS["postgresql"])
    if problem:
        unavailable(f"postgresql is not reachable: {problem}")
    wh = make_warehouse(SERVER_DSNS["postgresql"], "healthy")
    airflow_uri = SERVER_DSNS["postgresql"].replace("postgresql+psycopg://", "postgres://")
    code, out, err = run(capsys, ["check", "--dsn", airflow_uri, "--config", str(wh.config_path),
                                  "--date", wh.last_day.isoformat()])
    assert (code, err) == (0, "") and out.splitlines()[-1].startswith("OK:")


def test_two_demos_at_once_never_share_a_file():
    """Without --path each demo run gets its own file: two at once both judge their own scenario."""
    procs = [subprocess.Popen([sys.executable, "-m", "exporter", "demo", "--scenario", scenario],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for scenario in ("healthy", "orders_drop", "healthy", "orders_drop")]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for (code, out, err), expected in zip(results, (0, 1, 0, 1), strict=True):
        assert code == expected, err
        assert out.splitlines()[-1].startswith("OK:" if expected == 0 else "CRITICAL:")
    paths = {err.split()[2] for _, _, err in results}
    assert len(paths) == 4 and "removed after the run" in results[0][2]


@pytest.mark.parametrize("scenario, code", [("healthy", 0), ("orders_drop", 1)])
def test_a_reader_that_hangs_up_does_not_change_the_exit_code(tmp_path, scenario, code):
    """`demo | true`: the report's reader is gone before it is written; the exit code and stderr stay as they were."""
    script = (f"{sys.executable} -m exporter demo --scenario {scenario} --path {tmp_path / 'd.sqlite'} "
              "| true; echo ${PIPESTATUS[0]}")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == str(code)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


@pytest.mark.parametrize("dsn, words", [
    ("postgresq://monitor:pw-Secret@host/db", "unknown scheme postgresq:// (did you mean postgresql://?)"),
    ("mysql+pymsql://root@host/db", "unknown scheme mysql+pymsql:// (did you mean mysql+pymysql://?)"),
    ("duckbd:///wh.duckdb", "unknown scheme duckbd:// (did you mean duckdb://?)"),
])
def test_an_unknown_dsn_scheme_suggests_the_closest_known_one(capsys, dsn, words):
    code, out, err = run(capsys, ["check", "--dsn", dsn])
    assert_one_line_error(code, out, err, words)
    assert "pw-Secret" not in err


def test_with_format_json_an_error_is_a_json_document_on_stdout_too(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("thresholds: {warn: {frac: 2}}\n")
    code = main(["check", "--dsn", "sqlite://", "--config", str(bad), "--format", "json"])
    out, err = capsys.readouterr()
    message = f"config {bad}: thresholds.warn.frac: must be in (0, 1], got 2"
    assert code == 2 and json.loads(out) == {"status": "error", "error": message}
    assert err == f"daily-metrics-monitor: error: {message}\n"
    code = main(["backtest", "--dsn", "postgresql+psycopg://m:pw-Secret@127.0.0.1:1/db", "--from", "2026-11-01",
                 "--to", "2026-11-02", "--format", "json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert code == 2 and doc["status"] == "error" and doc["error"].startswith("cannot connect to ")
    assert "pw-Secret" not in out + err and "***" in doc["error"]
