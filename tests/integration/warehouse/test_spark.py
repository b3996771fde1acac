"""What only a Spark Thrift server can show: its session zone, its statement timeout, its catalog and types through the
spark:// dialect, its one-line errors (the backend tests of every other file run on Spark too)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from exporter.cli import main
from exporter.config import from_mapping
from tests.support import db


def run_json(capsys, args):
    code = main([*args, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def verdict(doc, name, metric):
    return next(c for c in doc["checks"] if (c["name"], c["metric"]) == (name, metric))


def sql(dsn: str, *statements: str) -> list:
    engine = sa.create_engine(db.parse_dsn(dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [conn.exec_driver_sql(s).all() if s.startswith(("SELECT", "SET")) else conn.exec_driver_sql(s)
                    for s in statements]
    finally:
        engine.dispose()


def test_a_timestamp_fact_column_is_cut_at_midnight_of_the_session_zone(spark_dsn, make_warehouse, capsys):
    """Every order at 22:30 New York time of its day (03:30 UTC the next day): New York days reconcile, UTC days
    do not. The instants are written as TIMESTAMP literals with their offset."""
    wh = make_warehouse(spark_dsn)
    timed = sa.Table(f"{wh.fact_table}_ts", sa.MetaData(), sa.Column("order_id", sa.String(32)),
                     sa.Column("created_at", sa.DateTime), sa.Column("revenue", sa.Numeric(18, 2)))
    engine = sa.create_engine(db.parse_dsn(spark_dsn), poolclass=sa.pool.NullPool)
    new_york = ZoneInfo("America/New_York")
    try:
        with engine.begin() as conn:
            timed.create(conn)
            orders = conn.execute(sa.text(f"SELECT order_id, order_date, revenue FROM {wh.fact_table}")).all()
            conn.execute(timed.insert(), [{"order_id": i, "created_at": datetime.combine(d, clock(22, 30), new_york),
                                           "revenue": r} for i, d, r in orders])
        wh.config_path.write_text(f"daily_metrics: {{table: {wh.daily_table}}}\n"
                                  f"fct_orders: {{table: {timed.name}, timestamp_column: created_at}}\n")
        code, doc, err = run_json(capsys, wh.args("--timezone", "America/New_York"))
        assert (code, err) == (0, "")
        assert verdict(doc, "reconciliation", "orders")["difference"] == 0
        assert verdict(doc, "reconciliation", "revenue")["difference"] == 0
        code, doc, _ = run_json(capsys, wh.args("--timezone", "UTC"))  # UTC days: D holds D-1's New York orders
        assert code == 1 and verdict(doc, "reconciliation", "orders")["severity"] == "critical"
    finally:
        with engine.begin() as conn:
            timed.drop(conn, checkfirst=True)
        engine.dispose()


def test_a_query_that_times_out_is_cancelled_on_the_server(spark_dsn, make_warehouse, capsys):
    """spark.sql.thriftServer.queryTimeout of the session: the check fails within seconds, in one line, and the
    server's slots are free again (a second statement answers at once). Thread.sleep is interruptible, as a
    cancelled task must be to give its core back."""
    wh = make_warehouse(spark_dsn, days=10)
    view = f"slow_{uuid.uuid4().hex[:8]}"
    sql(spark_dsn, f"CREATE VIEW {view} AS SELECT d.* FROM {wh.daily_table} d "
                   "WHERE reflect('java.lang.Thread', 'sleep', CAST(3000 AS BIGINT)) IS NULL")
    try:
        wh.config_path.write_text(f"daily_metrics: {{table: {view}}}\nfct_orders: {{table: {wh.fact_table}}}\n"
                                  "database: {statement_timeout_seconds: 1}\n")
        started = time.monotonic()
        code = main(wh.args())
        elapsed = time.monotonic() - started
        _, err = capsys.readouterr()
        assert code == 2 and elapsed < 20, elapsed
        assert err.startswith(f"daily-metrics-monitor: error: query on {view} failed: ") and err.count("\n") == 1
        assert "the statement timed out on the server (spark.sql.thriftServer.queryTimeout)" in err, err
        started = time.monotonic()
        assert sql(spark_dsn, "SELECT 1")[0] == [(1,)]
        assert time.monotonic() - started < 10
    finally:
        sql(spark_dsn, f"DROP VIEW IF EXISTS {view}")


def test_the_session_zone_is_each_connections_own_and_a_set_does_not_outlive_it(spark_dsn):
    engine = db.make_engine(db.parse_dsn(spark_dsn), from_mapping({}), "Asia/Tokyo")
    try:
        for _ in range(2):
            with engine.connect() as conn:
                zone = conn.exec_driver_sql("SET spark.sql.session.timeZone").one()[1]
                assert zone == "Asia/Tokyo"
                timeout = conn.exec_driver_sql("SET spark.sql.thriftServer.queryTimeout").one()[1]
                assert timeout == "60s"  # the default statement_timeout_seconds
                conn.exec_driver_sql("SET spark.sql.session.timeZone = UTC")
    finally:
        engine.dispose()


def test_the_dialect_writes_and_reads_spark_types_and_knows_its_catalog(spark_dsn):
    """DATE (not TIMESTAMP), DECIMAL(14,2), dates back as dates, a Decimal parameter, SHOW TABLES' table name, and a
    missing table is has_table False: what PyHive's hive:// gets wrong."""
    name = f"typed_{uuid.uuid4().hex[:8]}"
    t = sa.Table(name, sa.MetaData(), sa.Column("d", sa.Date), sa.Column("amount", sa.Numeric(14, 2)),
                 sa.Column("at", sa.DateTime), sa.Column("note", sa.Text))
    engine = sa.create_engine(db.parse_dsn(spark_dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            t.create(conn)
            conn.execute(t.insert(), [{"d": date(2026, 11, 25) - timedelta(days=n), "amount": Decimal("1234.56") * n,
                                       "at": datetime(2026, 11, 25, 23, 59, 59, 999999), "note": "it's \\ '"}
                                      for n in range(3)])
            between = t.c.amount.between(Decimal("1000"), Decimal("2000"))
            rows = conn.execute(sa.select(t).where(t.c.d >= date(2026, 11, 24), between).order_by(t.c.d)).all()
            assert rows == [(date(2026, 11, 24), Decimal("1234.56"), datetime(2026, 11, 25, 23, 59, 59, 999999),
                             "it's \\ '")]
            inspector = sa.inspect(conn)
            assert name in inspector.get_table_names() and inspector.has_table(name)
            assert not inspector.has_table(f"missing_{name}")
            types = {c["name"]: c["type"] for c in inspector.get_columns(name)}
            assert [type(types[c]) for c in ("d", "amount", "at", "note")] == [sa.Date, sa.Numeric, sa.DateTime,
                                                                               sa.String]
            described = dict((r[0], r[1]) for r in conn.exec_driver_sql(f"DESCRIBE TABLE {name}"))
            assert described["d"] == "date" and described["amount"] == "decimal(14,2)"
    finally:
        with engine.begin() as conn:
            t.drop(conn, checkfirst=True)
        engine.dispose()


def test_a_refused_connection_is_one_line_without_the_password(capsys):
    """No server needed: thrift's own log line of the refused connect stays out of stderr."""
    from tests.support.services import free_port

    port = free_port()
    code = main(["check", "--dsn", f"spark://monitor:pw-Secret@127.0.0.1:{port}/marts?auth=LDAP",
                 "--date", "2026-11-25", "--no-push"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == (f"daily-metrics-monitor: error: cannot connect to spark://monitor:***@127.0.0.1:{port}/marts?auth=LDAP"
                   f": Could not connect to any of [('127.0.0.1', {port})]\n")


def test_a_missing_table_is_one_line_naming_it(spark_dsn, tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("daily_metrics: {table: no_such_kpis}\nfct_orders: null\n")
    code = main(["check", "--dsn", spark_dsn, "--config", str(config), "--date", "2026-11-25", "--no-push"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith("daily-metrics-monitor: error: query on no_such_kpis failed: daily_metrics.table: "
                          "table no_such_kpis does not exist or cannot be read: [TABLE_OR_VIEW_NOT_FOUND] "
                          "The table or view `no_such_kpis` cannot be found."), err


def test_a_backtests_ledger_rows_are_one_insert_statement(spark_dsn, make_warehouse, capsys):
    """Spark has no transaction: the run's rows are one multi-row INSERT (one job, whose commit writes all or
    none), never one statement per row as PyHive's executemany would send."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    table, view = f"r_{uuid.uuid4().hex[:8]}", f"v_{uuid.uuid4().hex[:8]}"
    wh = make_warehouse(spark_dsn, days=20, config_extra=f"results:\n  table: {table}\n  trust_view: {view}\n")
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT"):
            sent.append(statement.count("), ("))

    try:
        assert main(["results", "init", "--config", str(wh.config_path), "--results-dsn", spark_dsn]) == 0
        event.listen(Engine, "before_cursor_execute", record)
        try:
            code = main(["backtest", "--dsn", spark_dsn, "--config", str(wh.config_path), "--from",
                         (wh.last_day - timedelta(days=4)).isoformat(), "--to", wh.last_day.isoformat(), "--results"])
        finally:
            event.remove(Engine, "before_cursor_execute", record)
        capsys.readouterr()
        assert code in (0, 1)
        stored = sql(spark_dsn, f"SELECT count(*) FROM {table}")[0][0][0]
        assert stored > 5 * 20 and sent == [stored - 1]  # one statement, its VALUES (…), (…) one per row
    finally:
        sql(spark_dsn, f"DROP VIEW IF EXISTS {view}", f"DROP TABLE IF EXISTS {table}")
