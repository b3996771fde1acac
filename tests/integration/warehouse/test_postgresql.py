"""The bad-input matrix on real PostgreSQL: exit code, a one-line message naming the problem, no secret."""

import json
import uuid

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.conftest import SERVER_DSNS, _reachable, unavailable
from tests.support.db import recorded_statements


@pytest.fixture
def pg(make_warehouse):
    dsn = SERVER_DSNS["postgresql"]
    problem = _reachable(dsn)
    if problem:
        unavailable(f"postgresql is not reachable: {problem}")
    engine = sa.create_engine(dsn, poolclass=sa.pool.NullPool)
    yield dsn, make_warehouse, engine
    engine.dispose()


def execute(engine, *statements, **params):
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement), params)


def run_json(capsys, args):
    code = main([*args, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def verdict(doc, name, metric):
    return next(c for c in doc["checks"] if (c["name"], c["metric"]) == (name, metric))


@pytest.mark.parametrize("column_type,value,words", [
    ("double precision", None, "events is NULL"),
    ("double precision", "NaN", "events is NaN"),
    ("double precision", "Infinity", "events is infinite"),
    ("double precision", "-Infinity", "events is infinite"),
    ("numeric", "-5", "events is negative (-5)"),
    ("text", "lots", "events is text ('lots'), not a number"),
])
def test_bad_values_in_a_metric_column(pg, capsys, column_type, value, words):
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"ALTER TABLE {wh.daily_table} ALTER COLUMN events TYPE {column_type}",
            f"UPDATE {wh.daily_table} SET events = CAST(:v AS {column_type}) WHERE event_date = :d",
            v=value, d=wh.last_day)
    code, doc, err = run_json(capsys, wh.args())
    assert (code, err) == (1, "")
    check = verdict(doc, "valid_value", "events")
    where = f"events ({wh.daily_table}.events)"  # the test's table has its own name: the message says it
    assert check["severity"] == "critical" and check["message"] == words.replace("events", where, 1)
    drop = verdict(doc, "drop", "events")
    if value == "-5":
        assert drop["severity"] == "critical" and drop["value"] == -5
    else:
        assert drop["outcome"] == "not_evaluated" and drop["value"] is None


def test_a_text_column_is_critical_for_that_metric_only(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"ALTER TABLE {wh.daily_table} ALTER COLUMN users TYPE text")
    code, doc, err = run_json(capsys, wh.args())
    assert (code, err) == (1, "")
    assert verdict(doc, "valid_value", "users")["message"].startswith(f"users ({wh.daily_table}.users) is text ('")
    assert verdict(doc, "drop", "users")["outcome"] == "not_evaluated"
    others = [c for c in doc["checks"] if c["severity"] != "ok" and "users" not in (c["metric"], c["message"])]
    assert [(c["name"], c["metric"]) for c in others] == [("drop", "add_to_cart_rate")]  # users is its denominator


def test_duplicate_date(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"INSERT INTO {wh.daily_table} SELECT * FROM {wh.daily_table} WHERE event_date = :d",
            d=wh.last_day)
    code, doc, _ = run_json(capsys, wh.args())
    assert code == 1
    assert [c["message"] for c in doc["checks"]] == [f"2 {wh.daily_table} rows for {wh.last_day}: the grain is broken"]


def test_zero_denominator_today(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"UPDATE {wh.daily_table} SET checkout_users = 0, purchase_users = 0 WHERE event_date = :d",
            d=wh.last_day)
    code, doc, _ = run_json(capsys, wh.args())
    purchase = verdict(doc, "drop", "purchase_rate")
    assert purchase["severity"] == "warn" and purchase["outcome"] == "not_evaluated"
    assert verdict(doc, "drop", "checkout_rate")["severity"] == "critical"  # 0 / add_to_cart_users
    assert code == 1


def test_missing_baseline_days(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"DELETE FROM {wh.daily_table} WHERE event_date BETWEEN :d - 7 AND :d - 3", d=wh.last_day)
    code, doc, _ = run_json(capsys, wh.args())
    assert code == 0 and doc["status"] == "warn"
    events = verdict(doc, "drop", "events")
    assert events["message"] == "insufficient history (2/7 days)"


def test_statement_timeout(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    view = f"slow_{uuid.uuid4().hex[:8]}"
    execute(engine, f"CREATE VIEW {view} AS SELECT d.* FROM {wh.daily_table} d CROSS JOIN pg_sleep(3)")
    try:
        wh.config_path.write_text(f"daily_metrics: {{table: {view}}}\nfct_orders: {{table: {wh.fact_table}}}\n"
                                  "database: {statement_timeout_seconds: 0.3}\n")
        code, doc, err = run_json(capsys, wh.args())
        assert code == 2 and doc == {"status": "error",
                                     "error": f"query on {view} failed: canceling statement due to statement timeout"}
        assert err.strip() == f"daily-metrics-monitor: error: query on {view} failed: " \
                              "canceling statement due to statement timeout"
    finally:
        execute(engine, f"DROP VIEW {view}")


def test_select_only_role_is_enough(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    role = f"dmm_reader_{uuid.uuid4().hex[:8]}"
    execute(engine, f"CREATE ROLE {role} LOGIN", f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT ON {wh.daily_table}, {wh.fact_table} TO {role}")
    try:
        reader = sa.engine.make_url(dsn).set(username=role).render_as_string(hide_password=False)
        code, doc, err = run_json(capsys, ["check", "--dsn", reader, "--config", str(wh.config_path),
                                           "--date", wh.last_day.isoformat()])
        assert (code, err, doc["status"]) == (0, "", "ok")
        execute(engine, f"REVOKE SELECT ON {wh.fact_table} FROM {role}")
        code, doc, err = run_json(capsys, ["check", "--dsn", reader, "--config", str(wh.config_path),
                                           "--date", wh.last_day.isoformat()])
        assert code == 2 and "permission denied" in err
    finally:
        execute(engine, f"REVOKE ALL ON {wh.daily_table}, {wh.fact_table} FROM {role}",
                f"REVOKE USAGE ON SCHEMA public FROM {role}", f"DROP ROLE {role}")


@pytest.mark.parametrize("hostile", ["orders; DROP TABLE x", 'daily"metrics', "it's", "a.b", "x" * 64])
def test_hostile_identifiers_are_rejected_before_any_sql(capsys, tmp_path, hostile):
    config = tmp_path / "hostile.yaml"
    config.write_text(json.dumps({"daily_metrics": {"columns": {"orders": hostile}}}))
    with recorded_statements() as statements:
        code = main(["check", "--dsn", "sqlite://", "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2 and statements == []
    assert "daily_metrics.columns.orders: expected an identifier" in err


def test_exactly_two_statements_per_run(pg, capsys):
    dsn, make, _ = pg
    wh = make(dsn)
    with recorded_statements() as statements:
        assert main(wh.args()) == 0
    assert len(statements) == 2
    assert statements[0].startswith(f"SELECT {wh.daily_table}.event_date AS event_date")
    assert "BETWEEN %(start)s::DATE AND %(end)s::DATE" in statements[0]
    assert statements[1].startswith("SELECT count(*) AS orders, sum(")
    assert f"WHERE {wh.fact_table}.order_date = %(day)s::DATE" in statements[1]


def test_timestamp_column_uses_a_half_open_range(pg, capsys):
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"ALTER TABLE {wh.fact_table} ADD COLUMN created_at timestamp",
            f"UPDATE {wh.fact_table} SET created_at = order_date + interval '23 hours 59 minutes'")
    execute(engine, f"UPDATE {wh.fact_table} SET created_at = order_date + interval '1 day' "
                    f"WHERE order_id IN (SELECT order_id FROM {wh.fact_table} WHERE order_date = :d - 1 LIMIT 1)",
            d=wh.last_day)
    wh.config_path.write_text(f"daily_metrics: {{table: {wh.daily_table}}}\n"
                              f"fct_orders: {{table: {wh.fact_table}, timestamp_column: created_at}}\n")
    with recorded_statements() as statements:
        code, doc, _ = run_json(capsys, wh.args())
    ts = "TIMESTAMP WITHOUT TIME ZONE"
    assert f"{wh.fact_table}.created_at >= %(start)s::{ts} AND {wh.fact_table}.created_at < %(end)s::{ts}" \
        in statements[1]
    orders = verdict(doc, "reconciliation", "orders")
    assert orders["difference"] == -1 and code == 1  # the order moved to 00:00 of D counts for D


def test_a_timestamptz_fact_column_is_cut_at_midnight_of_the_timezone(pg, capsys):
    """New York days on a UTC server: orders at 20:00-23:59 New York time are already D+1 in UTC."""
    dsn, make, engine = pg
    wh = make(dsn)
    execute(engine, f"ALTER TABLE {wh.fact_table} ADD COLUMN created_at timestamptz",
            # every order at 22:30 New York time of its day: 03:30 UTC of the next day
            f"UPDATE {wh.fact_table} SET created_at = (order_date + time '22:30') AT TIME ZONE 'America/New_York'")
    wh.config_path.write_text(f"daily_metrics: {{table: {wh.daily_table}}}\n"
                              f"fct_orders: {{table: {wh.fact_table}, timestamp_column: created_at}}\n")
    code, doc, err = run_json(capsys, wh.args("--timezone", "America/New_York"))
    assert (code, err) == (0, "")
    assert verdict(doc, "reconciliation", "orders")["difference"] == 0
    assert verdict(doc, "reconciliation", "revenue")["difference"] == 0
    code, doc, _ = run_json(capsys, wh.args("--timezone", "UTC"))  # UTC days: D holds D-1's New York orders
    assert code == 1 and verdict(doc, "reconciliation", "orders")["severity"] == "critical"
