"""Tests that kill the mutants a review found surviving: each fails with its mutation in place (pure or SQLite)."""

import argparse

import pytest
from sqlalchemy.engine import make_url

from exporter.checks.orders_with_traffic import orders_with_traffic
from exporter.cli.context import Run
from exporter.config import Config
from exporter.errors import DatabaseError, MonitorError
from exporter.judge import evaluate
from exporter.judge.model import Outcome
from exporter.warehouse.connection import first_line, redact
from tests.factories import measurements, row


def test_no_events_and_no_orders_with_short_history_is_no_missing_orders():
    """events = 0, orders = 0, 3 days of history: nothing tracked at all is no 'orders = 0 while traffic is normal'.

    Kills `events > 0` -> `events >= 0` in orders_with_traffic (the events drop is not evaluated, so traffic
    counts as normal).
    """
    ev = evaluate(measurements(row(events=0, orders=0, revenue=0.0, attributed_orders_first_click=0,
                                   attributed_revenue_first_click=0.0, attributed_orders_last_click=0,
                                   attributed_revenue_last_click=0.0), [row() for _ in range(3)]), Config())
    check = next(c for c in ev.checks if c.name == "orders_with_traffic")
    assert (check.outcome, check.message) == (Outcome.PASSED, "no orders, but traffic is not normal either")
    assert orders_with_traffic({"orders": 0, "events": 0}, traffic_normal=True).outcome is Outcome.PASSED
    assert orders_with_traffic({"orders": 0, "events": 1}, traffic_normal=True).outcome is Outcome.FAILED


def test_the_dsn_hider_alone_hides_the_password():
    """connection.redact and first_line, without the secrets list behind them."""
    url = make_url("postgresql+psycopg://monitor:pa55-word@db.example/analytics")
    assert redact(url) == "postgresql+psycopg://monitor:***@db.example/analytics"
    driver = RuntimeError('FATAL: password "pa55-word" rejected\nDETAIL: more')
    assert first_line(driver, url) == 'FATAL: password "***" rejected'


def test_the_secrets_list_alone_hides_the_password(capsys):
    """Run.redact, on a message no DSN hider saw: the password the run was given never reaches stderr."""
    run = Run(argparse.Namespace(debug=False, dsn=None))
    run.warehouse("mysql+pymysql://monitor:pa55-word@db.example/analytics")
    run.error(MonitorError("the driver echoed pa55-word back"))
    run.error(ValueError("pa55-word in an unexpected error"))
    err = capsys.readouterr().err
    assert "pa55-word" not in err
    assert err == ("daily-metrics-monitor: error: the driver echoed *** back\n"
                   "daily-metrics-monitor: error: unexpected error: ValueError: *** in an unexpected error\n")


def test_a_database_error_from_a_driver_keeps_the_password_out(capsys):
    run = Run(argparse.Namespace(debug=True, dsn=None))
    url = run.warehouse("postgresql+psycopg://monitor:pa55-word@127.0.0.1:1/analytics")
    try:
        raise DatabaseError(f"cannot connect to {redact(url)}: pa55-word")
    except DatabaseError as exc:
        run.error(exc)
    assert "pa55-word" not in capsys.readouterr().err


@pytest.mark.parametrize("events,expected", [(0, Outcome.PASSED), (1, Outcome.FAILED)])
def test_orders_with_traffic_at_the_events_edge(events, expected):
    assert orders_with_traffic({"orders": 0, "events": events}, traffic_normal=True).outcome is expected
