"""Every error path: exit 2, one line on stderr naming the problem, no traceback, no password."""

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
