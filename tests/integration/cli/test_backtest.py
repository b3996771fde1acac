"""The backtest: every day equals `check --date` for that day, from exactly two statements, on every backend."""

import json
import math
from datetime import date, datetime, time, timedelta

import pytest

from exporter.cli import main
from tests.support.expected import EXPECTED

SCENARIOS = sorted(EXPECTED)
FIELDS = ("severity", "outcome", "value", "median", "mad", "z", "frac", "baseline_days", "coverage", "expected",
          "difference", "model", "message")


def run_json(capsys, args):
    code = main([*args, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def assert_same_check(a: dict, b: dict):
    for key in FIELDS:
        x, y = a[key], b[key]
        if isinstance(x, float) and isinstance(y, float):
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (a["name"], a["metric"], key, x, y)
        else:
            assert x == y, (a["name"], a["metric"], key, x, y)


def assert_days_equal_checks(capsys, wh, first: date, last: date, *extra: str):
    base = ["--dsn", wh.dsn, "--config", str(wh.config_path), *extra]
    doc = run_json(capsys, ["backtest", *base, "--from", first.isoformat(), "--to", last.isoformat()])
    assert [d["date"] for d in doc["days"]] == [(first + timedelta(n)).isoformat()
                                                for n in range((last - first).days + 1)]
    for day in doc["days"]:
        code = main(["check", *base, "--date", day["date"], "--format", "json"])
        single = json.loads(capsys.readouterr().out)
        assert code == (1 if single["status"] == "critical" else 0)
        assert day["status"] == single["status"], day["date"]
        assert [(c["name"], c["metric"]) for c in day["checks"]] == [(c["name"], c["metric"]) for c in single["checks"]]
        for a, b in zip(day["checks"], single["checks"], strict=True):
            assert_same_check(a, b)
    return doc


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_backtest_day_is_the_check_of_that_day(backend_dsn, make_warehouse, capsys, scenario):
    wh = make_warehouse(backend_dsn, scenario, days=20)
    doc = assert_days_equal_checks(capsys, wh, wh.last_day - timedelta(days=6), wh.last_day)
    code, not_ok = EXPECTED[scenario]
    last = doc["days"][-1]
    assert last["status"] == ("critical" if code else "warn" if not_ok else "ok")
    assert {(c["name"], c["metric"], c["severity"]) for c in last["checks"] if c["severity"] != "ok"} == not_ok


def test_a_seasonal_history_with_a_calendar_matches_check(backend_dsn, make_warehouse, capsys):
    """b2b-like weekly drops in a same_weekday config, a known event inside the range and inside baselines."""
    wh = make_warehouse(backend_dsn, "healthy", days=45, config_extra="baseline: {mode: same_weekday}\n")
    holiday = wh.last_day - timedelta(days=9)
    wh.config_path.write_text(wh.config_path.read_text()
                              + f"calendar: {{events: [{{date: {holiday.isoformat()}, name: Holiday}}]}}\n")
    doc = assert_days_equal_checks(capsys, wh, wh.last_day - timedelta(days=12), wh.last_day)
    day = next(d for d in doc["days"] if d["date"] == holiday.isoformat())
    assert {c["outcome"] for c in day["checks"] if c["name"] == "drop"} == {"expected"}


def test_a_timestamp_fact_column_is_grouped_by_day_like_the_check(backend_dsn, make_warehouse, capsys):
    """Orders at 23:59:59 stay in their day, one at 00:00:00 of the next day moves: GROUP BY agrees with check."""
    import sqlalchemy as sa

    from tests.support import db

    wh = make_warehouse(backend_dsn, "healthy", days=20)
    engine = sa.create_engine(db.parse_dsn(wh.dsn), poolclass=sa.pool.NullPool)
    md = sa.MetaData()
    source = sa.Table(wh.fact_table, md, sa.Column("order_id", sa.String(32)), sa.Column("order_date", sa.Date),
                      sa.Column("revenue", sa.Numeric(18, 2)))
    timed = sa.Table(wh.fact_table + "_ts", md, sa.Column("order_id", sa.String(32)),
                     sa.Column("created_at", sa.DateTime), sa.Column("revenue", sa.Numeric(18, 2)))
    try:
        with engine.begin() as conn:
            timed.create(conn)
            orders = conn.execute(sa.select(source)).all()
            moved = wh.last_day - timedelta(days=3)
            rows = [{"order_id": order_id, "created_at": datetime.combine(day, time(23, 59, 59)), "revenue": revenue}
                    for order_id, day, revenue in orders]
            first_of_moved = next(r for r in rows if r["created_at"].date() == moved)
            first_of_moved["created_at"] = datetime.combine(moved + timedelta(days=1), time(0, 0, 0))
            conn.execute(timed.insert(), rows)
        wh.config_path.write_text(f"daily_metrics: {{table: {wh.daily_table}}}\n"
                                  f"fct_orders: {{table: {wh.fact_table}_ts, timestamp_column: created_at}}\n")
        doc = assert_days_equal_checks(capsys, wh, wh.last_day - timedelta(days=5), wh.last_day)
    finally:
        with engine.begin() as conn:
            timed.drop(conn, checkfirst=True)
        engine.dispose()
    by_day = {d["date"]: d for d in doc["days"]}
    assert by_day[moved.isoformat()]["status"] == "critical"  # it lost orders to the next day
    assert by_day[(moved + timedelta(days=1)).isoformat()]["status"] == "critical"  # which gained them


def test_trusted_baselines_shifts_and_spikes_agree_with_check(backend_dsn, make_warehouse, capsys):
    """A loss that stays six days (its days left out of later baselines, re-judged in levels), an accepted shift
    of revenue inside the range and a metric judged both ways: every day of backtest is the check of that day."""
    wh = make_warehouse(backend_dsn, "persistent_drop", days=40)
    shift = wh.last_day - timedelta(days=3)
    wh.config_path.write_text(wh.config_path.read_text() + (
        f"calendar: {{shifts: [{{date: {shift.isoformat()}, name: new level, metrics: [revenue]}}]}}\n"
        "metrics: {overrides: {sessions: {direction: both}}}\n"))
    doc = assert_days_equal_checks(capsys, wh, wh.last_day - timedelta(days=9), wh.last_day)
    last = {(c["name"], c["metric"]): c for c in doc["days"][-1]["checks"]}
    orders = last[("drop", "orders")]
    assert orders["severity"] != "ok" and "alerted days left out" in orders["message"]
    assert last[("drop", "revenue")]["outcome"] == "not_evaluated" and "since the accepted shift" in \
        last[("drop", "revenue")]["message"]
    assert ("spike", "sessions") in last
