"""`validate`: every problem of the configs and the warehouse at once, each naming its key, reading no rows."""

import json
import re
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from exporter.cli import main
from exporter.warehouse.connection import parse_dsn, redact
from exporter.warehouse.demo_data import build
from tests.conftest import SERVER_DSNS, _reachable, unavailable
from tests.support import db
from tests.support.factories import DAY

LEFT_OUT = ("purchase_users", "sessions")
"""Columns the table lacks: purchase_users outright, sessions is mapped to a `visits` column that is not there."""


@pytest.fixture
def statements():
    """Every statement any engine sends during the test (SQLAlchemy's cursor events)."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    yield sent
    sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)


def _write(dsn, daily_table, fact_table, date_type=sa.Date, schema=None):
    wh = build("healthy", last_day=DAY, days=10, scale=0.1)
    md = sa.MetaData(schema=schema)
    names = [k for k in wh.daily[0] if k not in LEFT_OUT]
    columns = [sa.Column(n, date_type if n == "event_date" else sa.Numeric(18, 2)) for n in names]
    daily = sa.Table(daily_table, md, *columns)
    fact = sa.Table(fact_table, md, sa.Column("order_id", sa.String(32)), sa.Column("order_date", sa.Date),
                    sa.Column("revenue", sa.Numeric(18, 2)))
    engine = sa.create_engine(db.parse_dsn(dsn), poolclass=NullPool)
    with engine.begin() as conn:
        md.drop_all(conn)
        md.create_all(conn)
        day = (lambda d: int(d.strftime("%Y%m%d"))) if date_type is sa.BigInteger else (lambda d: d)
        conn.execute(daily.insert(), [{**{n: r[n] for n in names}, "event_date": day(r["event_date"])}
                                      for r in wh.daily])
        conn.execute(fact.insert(), list(wh.orders))
    engine.dispose()
    return wh.last_day


@pytest.fixture
def broken(backend_dsn, tmp_path):
    """A warehouse with three problems: two missing daily columns, and a fact revenue column named wrong."""
    suffix = uuid.uuid4().hex[:8]
    daily, fact = f"kpi_{suffix}", f"fo_{suffix}"
    _write(backend_dsn, daily, fact)
    config = tmp_path / "shop.yaml"
    config.write_text(f"daily_metrics: {{table: {daily}, columns: {{sessions: visits}}}}\n"
                      f"fct_orders: {{table: {fact}, revenue_column: amount}}\n")
    yield backend_dsn, config, daily, fact
    db.drop_tables(db.parse_dsn(backend_dsn), daily, fact)


def test_validate_lists_every_missing_column_with_its_key_and_reads_no_rows(broken, capsys, statements):
    dsn, config, daily, fact = broken
    code = main(["validate", "--config", str(config), "--dsn", dsn])
    out, err = capsys.readouterr()
    assert (code, err) == (2, "")
    assert out.splitlines() == [
        f"config {config}: daily_metrics.columns.sessions: column visits does not exist in {daily}",
        f"config {config}: daily_metrics.columns.purchase_users: column purchase_users does not exist in {daily}",
        f"config {config}: fct_orders.revenue_column: column amount does not exist in {fact}",
        f"INVALID: 3 problems in 1 of 1 config (warehouse {redact(parse_dsn(dsn))})"]
    reads = [s for s in statements if re.search(rf"\bFROM\s+\W?({daily}|{fact})\b", s, re.IGNORECASE)]
    assert reads and all(re.search(r"WHERE 1 = 0\s*$", s) for s in reads), reads  # every read of them: no rows


def test_a_valid_config_and_warehouse_exit_0_and_each_statement_reads_no_rows(backend_dsn, make_warehouse, capsys,
                                                                               statements):
    wh = make_warehouse(backend_dsn, "healthy", days=10)
    code = main(["validate", "--config", str(wh.config_path), "--dsn", backend_dsn, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["status"] == "ok" and doc["configs"] == [{"config": str(wh.config_path),
                                                                       "problems": []}]
    reads = [s for s in statements if re.search(rf"\bFROM\s+\W?({wh.daily_table}|{wh.fact_table})\b", s, re.I)]
    assert len(reads) == 4 and all(s.rstrip().endswith("1 = 0") for s in reads)  # columns and the check's own


def test_without_a_dsn_the_configs_are_checked(tmp_path, capsys):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("push: {pipeline: shop_eu}\n")
    bad.write_text("thresholds: {warn: {frac: 2}}\n")
    assert main(["validate", "--config", str(good), "--config", str(bad)]) == 2
    assert capsys.readouterr().out.splitlines() == [
        f"config {bad}: thresholds.warn.frac: must be in (0, 1], got 2", "INVALID: 1 problem in 1 of 2 configs"]
    assert main(["validate", "--config", str(good)]) == 0
    assert capsys.readouterr().out == "OK: 1 config valid, the warehouse not inspected (no --dsn)\n"


@pytest.fixture
def pg():
    dsn = SERVER_DSNS["postgresql"]
    problem = _reachable(dsn)
    if problem:
        unavailable(f"postgresql is not reachable: {problem}")
    return dsn


@pytest.mark.postgresql
def test_a_date_column_of_the_wrong_type_names_its_key_in_validate_and_check(pg, tmp_path, capsys):
    suffix = uuid.uuid4().hex[:8]
    daily, fact = f"kpi_{suffix}", f"fo_{suffix}"
    engine = sa.create_engine(pg, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS shop"))
    engine.dispose()
    try:
        last = _write(pg, daily, fact, date_type=sa.BigInteger, schema="shop")
        config = tmp_path / "c.yaml"
        config.write_text(f"daily_metrics: {{schema: shop, table: {daily}}}\n"
                          f"fct_orders: {{schema: shop, table: {fact}}}\nmetrics: {{rates: {{}}, volume: "
                          "[events, users, orders, revenue]}\n")
        assert main(["validate", "--config", str(config), "--dsn", pg]) == 2
        out = capsys.readouterr().out
        assert out.splitlines()[0] == (f"config {config}: daily_metrics.date_column: column event_date of "
                                       f"shop.{daily} is BIGINT, not a date: it must be a DATE or TIMESTAMP column")
        assert main(["check", "--config", str(config), "--dsn", pg, "--date", last.isoformat(), "--no-push"]) == 2
        err = capsys.readouterr().err
        assert err == (f"daily-metrics-monitor: error: query on shop.{daily} failed: daily_metrics.date_column: "
                       f"column event_date of shop.{daily} is BIGINT, not a date: it must be a DATE or TIMESTAMP "
                       "column\n")
    finally:
        db.drop_tables(db.parse_dsn(pg), f"shop.{daily}", f"shop.{fact}")


def test_a_date_column_of_the_wrong_type_is_named_on_every_backend(backend_dsn, tmp_path, capsys):
    """Where the inspector tells the type, the type is named; where it cannot (DuckDB), the check's own statement,
    cut to no rows, is refused by the database and the key is named all the same."""
    suffix = uuid.uuid4().hex[:8]
    daily, fact = f"kpi_{suffix}", f"fo_{suffix}"
    try:
        _write(backend_dsn, daily, fact, date_type=sa.BigInteger)
        config = tmp_path / "c.yaml"
        config.write_text(f"daily_metrics: {{table: {daily}}}\nfct_orders: {{table: {fact}}}\n"
                          "metrics: {rates: {}, volume: [events, users, orders, revenue]}\n")
        assert main(["validate", "--config", str(config), "--dsn", backend_dsn]) == 2
        (line, summary) = capsys.readouterr().out.splitlines()
        assert line.startswith(f"config {config}: daily_metrics.date_column: ") and summary.startswith("INVALID: 1 ")
        assert ("is BIGINT, not a date" in line) != ("the check's statement on" in line)
    finally:
        db.drop_tables(db.parse_dsn(backend_dsn), daily, fact)


def test_a_timestamp_named_as_the_fact_date_column_is_a_problem(tmp_path, capsys):
    """`ts = DATE` matches midnight only: reconciliation would silently count almost nothing."""
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE daily_metrics (event_date DATE, events INT, users INT, sessions INT, "
                             "orders INT, revenue NUMERIC)"))
        conn.execute(sa.text("CREATE TABLE fct_orders (order_date TIMESTAMP, revenue NUMERIC)"))
        conn.execute(sa.text("CREATE TABLE dim_holidays (day DATE)"))
    engine.dispose()
    config = tmp_path / "c.yaml"
    config.write_text("metrics: {rates: {}, attribution_models: {}}\ncalendar: {table: {name: dim_holidays}}\n")
    assert main(["validate", "--config", str(config), "--dsn", url, "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["configs"][0]["problems"] == [
        "fct_orders.date_column: column order_date of fct_orders is TIMESTAMP, a timestamp: name it in "
        "fct_orders.timestamp_column instead (and date_column: null), so a day is a half-open range",
        "calendar.table.name_column: column name does not exist in dim_holidays"]


def test_two_configs_of_one_group_and_an_unreachable_warehouse_are_problems(tmp_path, capsys):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("push: {pipeline: shop}\n")
    b.write_text("push: {pipeline: shop}\n")
    dsn = "postgresql+psycopg://monitor:pw-Secret@127.0.0.1:1/test"
    assert main(["validate", "--config", str(a), "--config", str(b), "--dsn", dsn]) == 2
    out = capsys.readouterr().out
    assert f"config {b}: push.pipeline: shop is also the pipeline of {a}: each config needs its own push group" in out
    assert out.count(": cannot connect to postgresql+psycopg://monitor:***@127.0.0.1:1/test: ") == 2  # names the DSN
    assert out.splitlines()[-1] == ("INVALID: 3 problems in 2 of 2 configs "
                                    "(warehouse postgresql+psycopg://monitor:***@127.0.0.1:1/test)")
    assert "pw-Secret" not in out


def test_column_names_are_matched_as_the_warehouse_folds_them(tmp_path, capsys):
    """Snowflake reports unquoted names in upper case; SQLite keeps them as declared and matches either way."""
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE daily_metrics (EVENT_DATE DATE, ORDERS INT, REVENUE NUMERIC)"))
    engine.dispose()
    config = tmp_path / "c.yaml"
    config.write_text("fct_orders: null\nmetrics: {volume: [orders, revenue], rates: {}, attribution_models: {}, "
                      "traffic: null}\n")
    assert main(["validate", "--config", str(config), "--dsn", url]) == 0, capsys.readouterr().out
