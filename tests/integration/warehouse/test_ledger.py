"""The results ledger on every backend: appends, the day-trust view, restatements, backtest history, failures."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.support import db
from tests.support.db import query


@pytest.fixture
def ledger(backend_dsn, make_warehouse, capsys):
    """A 30-day warehouse whose config names a fresh ledger table and view, created by `results init`."""
    created = []

    def make(scenario: str = "healthy", days: int = 30):
        suffix = uuid.uuid4().hex[:8]
        table, view = f"r_{suffix}", f"v_{suffix}"
        wh = make_warehouse(backend_dsn, scenario, days=days,
                            config_extra=f"results:\n  table: {table}\n  trust_view: {view}\n")
        created.append((table, view))
        assert main(["results", "init", "--config", str(wh.config_path), "--results-dsn", backend_dsn]) == 0
        assert capsys.readouterr().out.startswith(f"results ledger {table} and view {view} ready in ")
        return wh, table, view

    yield make
    url = db.parse_dsn(backend_dsn)
    for table, view in created:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS {view}_segment")  # it reads the table too
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS {view}")
        finally:
            engine.dispose()
        db.drop_tables(url, table)


def execute(dsn: str, sql: str, **params) -> None:
    engine = sa.create_engine(db.parse_dsn(dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()


def check(capsys, wh, day, *extra: str) -> tuple[int, dict]:
    code = main(["check", "--dsn", wh.dsn, "--config", str(wh.config_path), "--date", day.isoformat(),
                 "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def trust(dsn: str, view: str) -> dict:
    rows = query(dsn, f"SELECT * FROM {view} ORDER BY data_date")
    return {str(r["data_date"])[:10]: r for r in rows}


def set_value(wh, column: str, day, value) -> None:
    if db.parse_dsn(wh.dsn).get_backend_name() == "spark":  # its tables take no UPDATE
        return db.set_on_spark(db.parse_dsn(wh.dsn), wh.daily_table, column, value, "event_date", day)
    execute(wh.dsn, f"UPDATE {wh.daily_table} SET {column} = :v WHERE event_date = :d", v=value, d=day)


def test_three_runs_of_one_day_give_three_runs_rows_and_one_trust_row_from_the_latest(ledger, capsys):
    wh, table, view = ledger()
    day = wh.last_day
    original = query(wh.dsn, f"SELECT revenue FROM {wh.daily_table} WHERE event_date = :d", d=day)[0]["revenue"]
    code, first = check(capsys, wh, day)
    assert code == 0 and first["status"] == "ok"
    set_value(wh, "revenue", day, None)  # NULL revenue: CRITICAL
    code, second = check(capsys, wh, day)
    assert code == 1
    row = trust(wh.dsn, view)[day.isoformat()]
    critical = sum(c["severity"] == "critical" for c in second["checks"])
    assert (row["status"], bool(row["trusted"]), row["critical_checks"]) == ("critical", False, critical)
    set_value(wh, "revenue", day, original)  # fixed: the third run is OK again
    code, third = check(capsys, wh, day)
    assert code == 0 and third["status"] == "ok"

    runs = query(wh.dsn, f"SELECT run_id, count(*) AS n FROM {table} GROUP BY run_id ORDER BY run_id")
    assert [r["n"] for r in runs] == [len(doc["checks"]) for doc in (first, second, third)]
    views = trust(wh.dsn, view)
    assert list(views) == [day.isoformat()]
    row = views[day.isoformat()]
    assert (row["status"], bool(row["trusted"]), row["critical_checks"], row["warn_checks"], row["run_id"]) == \
           ("ok", True, 0, 0, runs[-1]["run_id"])
    assert row["pipeline"] == "daily_metrics"


def test_a_rerun_of_an_older_day_updates_that_days_trust_row_and_no_other(ledger, capsys):
    wh, _, view = ledger()
    day, older = wh.last_day, wh.last_day - timedelta(days=1)
    assert check(capsys, wh, older)[0] == 0
    assert check(capsys, wh, day)[0] == 0
    before = trust(wh.dsn, view)
    set_value(wh, "orders", older, 0)  # orders = 0 with normal traffic: CRITICAL
    assert check(capsys, wh, older)[0] == 1
    after = trust(wh.dsn, view)
    assert after[day.isoformat()] == before[day.isoformat()]
    assert after[older.isoformat()]["run_id"] > before[older.isoformat()]["run_id"]
    assert (after[older.isoformat()]["status"], bool(after[older.isoformat()]["trusted"])) == ("critical", False)


def restated(doc: dict) -> list[dict]:
    return [c for c in doc["checks"] if c["name"] == "restated" and c["severity"] != "ok"]


def test_a_restated_day_is_one_warn_with_the_day_and_both_values_and_half_a_percent_is_none(ledger, capsys):
    wh, _, _ = ledger()
    day, judged = wh.last_day, wh.last_day - timedelta(days=2)
    set_value(wh, "revenue", judged, 2000.25)
    check(capsys, wh, judged)  # D-2 judged at 2,000.25 (its own verdict does not matter here)
    set_value(wh, "revenue", judged, 2010.25)  # +0.4999 %: within the 1 % tolerance
    code, doc = check(capsys, wh, day)
    assert restated(doc) == [] and code == 0
    assert {c["metric"] for c in doc["checks"] if c["name"] == "restated"} == \
           {"events", "users", "sessions", "orders", "revenue"}
    set_value(wh, "revenue", judged, 2060.26)  # 2,000.25 x 1.03
    code, doc = check(capsys, wh, day)
    assert code == 0 and doc["status"] == "warn"
    [found] = restated(doc)
    assert (found["metric"], found["severity"], found["value"], found["expected"]) == \
           ("revenue", "warn", 2060.26, 2000.25)
    assert found["message"] == f"{judged} was 2,000.25 when judged, now 2,060.26 (+3.0 %)"


def test_the_trust_view_equals_the_backtests_verdicts_day_by_day(ledger, capsys, tmp_path):
    wh, table, view = ledger("orders_drop")
    first = wh.last_day - timedelta(days=29)
    report = tmp_path / "history.json"
    code = main(["backtest", "--dsn", wh.dsn, "--config", str(wh.config_path), "--from", first.isoformat(),
                 "--to", wh.last_day.isoformat(), "--format", "json", "--output", str(report), "--results"])
    assert (code, capsys.readouterr().err) == (0, "")
    days = json.loads(report.read_text())["days"]
    views = trust(wh.dsn, view)
    assert list(views) == [d["date"] for d in days]
    for d in days:
        row = views[d["date"]]
        counts = [sum(c["severity"] == s for c in d["checks"]) for s in ("critical", "warn")]
        assert (row["status"], row["critical_checks"], row["warn_checks"], bool(row["trusted"])) == \
               (d["status"], *counts, d["status"] != "critical"), d["date"]
    assert {d["status"] for d in days} == {"ok", "warn", "critical"}
    kinds = query(wh.dsn, f"SELECT DISTINCT run_kind, run_id FROM {table}")
    assert len(kinds) == 1 and kinds[0]["run_kind"] == "backtest"


def test_the_documented_bi_recipe_annotates_untrusted_days(ledger, capsys, backend_dsn):
    if db.parse_dsn(backend_dsn).get_backend_name() in ("mysql", "mariadb"):
        pytest.skip("the ledger page says: on MySQL/MariaDB write CONCAT() for ||")
    wh, _, view = ledger()
    day, older = wh.last_day, wh.last_day - timedelta(days=1)
    set_value(wh, "orders", older, 0)
    assert check(capsys, wh, older)[0] == 1
    assert check(capsys, wh, day)[0] == 0
    readme = (Path(__file__).resolve().parents[3] / "docs" / "concepts" / "ledger.md").read_text()  # moved there
    recipe = readme.split("**BI recipe.**", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    sql = recipe.replace("FROM daily_metrics m", f"FROM {wh.daily_table} m").replace("dmm_day_trust", view)
    rows = {str(r["event_date"])[:10]: r for r in query(wh.dsn, sql.rstrip().rstrip(";"))}
    revenue = {d: float(r["revenue"]) for d, r in rows.items()}
    assert float(rows[str(day)]["revenue_trusted"]) == pytest.approx(revenue[str(day)])
    assert (rows[str(day)]["revenue_untrusted"], rows[str(day)]["annotation"]) == (None, None)
    assert rows[str(older)]["revenue_trusted"] is None
    assert float(rows[str(older)]["revenue_untrusted"]) == pytest.approx(revenue[str(older)])
    assert rows[str(older)]["annotation"].startswith("CRITICAL: under review since 20")
    assert rows[str(older - timedelta(days=1))]["annotation"] == "not judged yet"


def test_a_run_with_a_ledger_reads_the_warehouse_as_before_plus_one_ledger_select_and_one_insert(ledger, capsys):
    from tests.support.db import recorded_statements

    wh, table, _ = ledger()
    with recorded_statements() as statements:
        code, _ = check(capsys, wh, wh.last_day)
    assert code == 0
    mine = [s.split()[0] for s in statements if wh.daily_table in s or wh.fact_table in s or table in s]
    assert mine == ["SELECT", "SELECT", "SELECT", "INSERT"]
    assert [wh.daily_table in s for s in statements].count(True) == 1
    assert [wh.fact_table in s for s in statements].count(True) == 1
    assert [s.split()[0] for s in statements if table in s] == ["SELECT", "INSERT"]


def test_restated_compares_with_the_latest_judging_of_the_day(ledger, capsys):
    wh, _, _ = ledger()
    day, judged = wh.last_day, wh.last_day - timedelta(days=1)
    set_value(wh, "revenue", judged, 2000.25)
    check(capsys, wh, judged)
    set_value(wh, "revenue", judged, 2100.5)
    check(capsys, wh, judged)  # rejudged after the change: the ledger's latest value is 2,100.50
    code, doc = check(capsys, wh, day)
    assert restated(doc) == [] and code == 0
