"""The scheduler gate's command line (pure) and its exit-code mapping, without Airflow."""

import sys
from datetime import date

import pytest

from exporter.integrations.airflow import MonitorNotEvaluated, check_command, run_gate


def test_the_command_judges_the_given_day_and_never_carries_the_dsn():
    command = check_command(date(2026, 11, 25), config="/etc/dmm.yaml", push_optional=True)
    assert command == [sys.executable, "-m", "exporter", "check", "--date", "2026-11-25", "--config", "/etc/dmm.yaml",
                       "--push-optional"]


@pytest.mark.parametrize("dsn, code", [("postgresql+psycopg://x:gate-Secret@127.0.0.1:1/test", 2)])
def test_exit_2_is_an_ordinary_error_worth_a_retry(dsn, code, caplog):
    with pytest.raises(MonitorNotEvaluated, match=f"exit {code} for 2026-11-25 \\(retried\\)"):
        run_gate(date(2026, 11, 25), dsn)
    assert "gate-Secret" not in caplog.text


def test_exit_0_returns_the_summary(tmp_path):
    from exporter.warehouse.demo_data import build
    from tests.support import db

    wh = build("healthy", last_day=date(2026, 11, 25), days=30, scale=0.1)
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    db.write_warehouse(db.parse_dsn(url), list(wh.daily), list(wh.orders))
    outcome = run_gate(date(2026, 11, 25), url)
    assert outcome == {"date": "2026-11-25", "exit_code": 0,
                       "summary": "OK: daily_metrics for 2026-11-25: 0 critical, 0 warn, 23 ok"}
