"""Every demo scenario through the CLI against SQLite, DuckDB, PostgreSQL and MariaDB."""

import json

import pytest

from exporter.cli import main
from tests.support.expected import EXPECTED


def run_json(capsys, args):
    code = main([*args, "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_scenario_verdict(backend_dsn, make_warehouse, capsys, scenario):
    wh = make_warehouse(backend_dsn, scenario)
    code, doc = run_json(capsys, wh.args())
    expected_code, expected_problems = EXPECTED[scenario]
    problems = {(c["name"], c["metric"], c["severity"]) for c in doc["checks"] if c["severity"] != "ok"}
    assert problems == expected_problems
    assert code == expected_code
    assert doc["date"] == wh.last_day.isoformat()
    assert doc["status"] == {0: "warn" if problems else "ok", 1: "critical"}[code]


def test_numbers_are_reported(backend_dsn, make_warehouse, capsys):
    wh = make_warehouse(backend_dsn, "reconciliation_mismatch")
    _, doc = run_json(capsys, wh.args())
    checks = {(c["name"], c["metric"]): c for c in doc["checks"]}
    orders = checks[("reconciliation", "orders")]
    assert orders["difference"] == orders["value"] - orders["expected"] == 1  # scale 0.1: 1 of ~30 orders lost
    revenue = checks[("reconciliation", "revenue")]
    assert revenue["difference"] == pytest.approx(revenue["value"] - revenue["expected"], abs=1e-6)
    assert revenue["difference"] > 0.01
    events = checks[("drop", "events")]
    assert events["baseline_days"] == 7 and events["mad"] > 0 and events["median"] > 0
    assert events["z"] == pytest.approx((events["value"] - events["median"]) / events["mad"])
    assert events["frac"] == pytest.approx(events["value"] / events["median"])


def test_the_window_read_is_d_minus_7_to_d(backend_dsn, make_warehouse):
    """The one daily_metrics statement reads D-7 .. D (the literal 7-day rule, no escalation): both edges, on every
    backend; escalate_after_days 3 reads the 2 days before those too (D-9 .. D)."""
    from datetime import timedelta

    from exporter.config import load
    from tests.support import db

    extra = "baseline: {exclude_alerted: false}\nthresholds: {escalate_after_days: %d}\n"
    for escalate, first in ((0, 7), (3, 9)):
        wh = make_warehouse(backend_dsn, "healthy", config_extra=extra % escalate)
        measured = db.measure(db.parse_dsn(wh.dsn), load(wh.config_path), wh.last_day)
        assert sorted({r.day for r in measured.rows}) == [wh.last_day - timedelta(days=n)
                                                          for n in range(first, -1, -1)]


def test_trusted_baselines_read_their_levels_of_reach(backend_dsn, make_warehouse):
    """exclude_alerted with a 3-day window: a reach of 6 x 3 = 18 days, i.e. 18 // 7 = 2 weeks (this one and the
    one before, where an alerted day is replaced by its weekday): the window reads 3 + 7 x 1 = 10 days;
    ceil(18 / ceil(3 / 2)) = 9 levels, so the statement reads (9 + 1) x 10 = 100 days back, and escalation (3
    days) the 2 days before: D-102 .. D, both edges, of a 110-day table."""
    from datetime import timedelta

    from exporter.config import load
    from tests.support import db

    wh = make_warehouse(backend_dsn, "healthy", days=110, config_extra="baseline: {days: 3, min_days: 1}\n")
    measured = db.measure(db.parse_dsn(wh.dsn), load(wh.config_path), wh.last_day)
    assert sorted({r.day for r in measured.rows}) == [wh.last_day - timedelta(days=n) for n in range(102, -1, -1)]


def test_same_weekday_reads_one_window_of_7_weeks_plus_1_days(backend_dsn, make_warehouse):
    """4 same weekdays: D-28 .. D, and the 2 days before them that escalation (3 days) judges too."""
    from datetime import timedelta

    from exporter.config import load
    from tests.support import db

    wh = make_warehouse(backend_dsn, "healthy", days=40,
                        config_extra="baseline: {mode: same_weekday, exclude_alerted: false}\n")
    measured = db.measure(db.parse_dsn(wh.dsn), load(wh.config_path), wh.last_day)
    assert sorted({r.day for r in measured.rows}) == [wh.last_day - timedelta(days=n) for n in range(30, -1, -1)]


def test_the_calendar_table_is_read_in_the_same_connection(backend_dsn, make_warehouse, capsys):
    """A holiday row for D in the warehouse's own table: the orders drop on D is expected, exit 0."""
    import uuid

    import sqlalchemy as sa

    from tests.support import db

    table = f"hol_{uuid.uuid4().hex[:8]}"
    wh = make_warehouse(backend_dsn, "orders_drop", config_extra=f"calendar: {{table: {{name: {table}}}}}\n")
    url = db.parse_dsn(wh.dsn)
    md = sa.MetaData()
    holidays = sa.Table(table, md, sa.Column("day", sa.Date), sa.Column("name", sa.String(100)))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            md.create_all(conn)
            conn.execute(holidays.insert(), [{"day": wh.last_day, "name": "Store closed"}])
        code = main(wh.args("--format", "json"))
        doc = json.loads(capsys.readouterr().out)
    finally:
        with engine.begin() as conn:
            md.drop_all(conn)
        engine.dispose()
    assert code == 0 and doc["status"] == "ok"
    orders = next(c for c in doc["checks"] if (c["name"], c["metric"]) == ("drop", "orders"))
    assert orders["outcome"] == "expected" and "Store closed" in orders["message"]
