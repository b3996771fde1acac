"""No password reaches stderr: the DSN hider and the run's list of secrets each hide it alone (pure or no I/O)."""

import argparse

from sqlalchemy.engine import make_url

from exporter.cli.context import Run
from exporter.errors import DatabaseError, MonitorError
from exporter.warehouse.connection import first_line, redact


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
