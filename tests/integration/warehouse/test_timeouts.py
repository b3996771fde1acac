"""Servers that never answer, queries that time out, connections that drop: bounded, cancelled, named right."""

import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.conftest import execute, server_engine
from tests.support.services import silent_listener


@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "mysql+pymysql", "spark"])
def test_a_server_that_accepts_and_never_answers_fails_within_the_connect_timeout(capsys, tmp_path, scheme):
    """connect_timeout_seconds 1 bounds the whole connect, the MySQL handshake too (it took 60.5 s: read_timeout)."""
    config = tmp_path / "c.yaml"
    config.write_text("database: {connect_timeout_seconds: 1, statement_timeout_seconds: 30}\n")
    with silent_listener() as (port, held):
        started = time.monotonic()
        code = main(["check", "--dsn", f"{scheme}://monitor:s3cret-pw@127.0.0.1:{port}/test", "--config", str(config),
                     "--date", "2026-11-25"])
        elapsed = time.monotonic() - started
        assert held  # the connection was accepted: this is the handshake, not a refused port
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(f"daily-metrics-monitor: error: cannot connect to {scheme}://monitor:***@127.0.0.1:{port}/test")
    assert "s3cret-pw" not in err and err.count("\n") == 1
    assert 0.9 < elapsed < 4, elapsed


@pytest.fixture
def server_db(request):
    with server_engine(request.param) as server:
        yield server


@pytest.mark.mariadb
@pytest.mark.parametrize("server_db", ["mariadb"], indirect=True)
def test_a_mariadb_query_that_times_out_is_cancelled_on_the_server(server_db, make_warehouse, capsys):
    """max_statement_time stops the statement on the server: nothing of it runs on after the error."""
    dsn, engine = server_db
    wh = make_warehouse(dsn)
    view = f"slow_{uuid.uuid4().hex[:8]}"
    execute(engine, f"CREATE VIEW {view} AS SELECT d.* FROM {wh.daily_table} d WHERE SLEEP(1) = 0")
    try:
        wh.config_path.write_text(f"daily_metrics: {{table: {view}}}\nfct_orders: {{table: {wh.fact_table}}}\n"
                                  "database: {statement_timeout_seconds: 0.5}\n")
        started = time.monotonic()
        code = main(wh.args())
        elapsed = time.monotonic() - started
        _, err = capsys.readouterr()
        assert code == 2 and elapsed < 5, elapsed
        assert err.startswith(f"daily-metrics-monitor: error: query on {view} failed: (1969, 'Query execution was "
                              "interrupted (max_statement_time exceeded)')")
        with engine.connect() as conn:
            running = conn.execute(sa.text("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                           "WHERE INFO LIKE :q AND ID <> CONNECTION_ID()"), {"q": f"%{view}%"})
            assert running.scalar() == 0
    finally:
        execute(engine, f"DROP VIEW {view}")


@pytest.mark.postgresql
@pytest.mark.parametrize("server_db", ["postgresql"], indirect=True)
def test_a_connection_killed_mid_query_is_not_reported_as_cannot_connect(server_db, make_warehouse, capsys):
    """pg_terminate_backend during the daily_metrics statement: 'connection … lost during the query on …'."""
    dsn, engine = server_db
    wh = make_warehouse(dsn)
    view = f"slow_{uuid.uuid4().hex[:8]}"
    execute(engine, f"CREATE VIEW {view} AS SELECT d.* FROM {wh.daily_table} d CROSS JOIN pg_sleep(5)")

    def terminate():
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with engine.begin() as conn:
                killed = conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                              "WHERE query LIKE :q AND pid <> pg_backend_pid()"),
                                      {"q": f"%FROM {view}%"}).all()
            if killed:
                return
            time.sleep(0.05)

    try:
        wh.config_path.write_text(f"daily_metrics: {{table: {view}}}\nfct_orders: {{table: {wh.fact_table}}}\n")
        killer = threading.Thread(target=terminate)
        killer.start()
        code = main(wh.args())
        killer.join()
        _, err = capsys.readouterr()
        assert code == 2 and err.count("\n") == 1
        assert err.startswith(f"daily-metrics-monitor: error: connection to {sa.make_url(dsn).render_as_string()} "
                              f"lost during the query on {view}: ")
        assert "cannot connect" not in err
    finally:
        execute(engine, f"DROP VIEW {view}")
