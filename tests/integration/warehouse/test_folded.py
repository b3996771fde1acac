"""The rows folded into `other` validated in SQL as its own check (issue 31), on SQLite, DuckDB, PostgreSQL and
MariaDB: a NULL, a negative and a duplicate row among the folded segments each fail, though `other`'s sums
look normal."""

import json
from datetime import timedelta

from exporter.cli import main
from exporter.config import load
from exporter.judge.backtest import judged_days
from exporter.judge.model import Severity
from exporter.warehouse.read import measure_range
from tests.support import db, segmented
from tests.support.segmented import TARGET


def check(capsys, dsn, config):
    code = main(["check", "--dsn", dsn, "--config", str(config), "--date", TARGET.isoformat(), "--no-push",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def others(doc):
    return {(c["name"], c["metric"]): (c["severity"], c["value"], c["message"]) for c in doc["checks"]
            if c["segment"] == {"other": True} and c["name"] in ("row_present", "valid_value")}


def test_null_negative_and_duplicate_rows_folded_into_other_fail(backend_dsn, mart, capsys):
    daily = segmented.rows()  # top 2: NL and DE judged; YY (30), FR (20) and XX (1) folded into other
    today = {r["country"]: r for r in daily if r["event_date"] == TARGET}
    today["YY"]["orders"] = None  # SUM skips it: other's orders would read 21
    today["FR"]["revenue"] = -200
    daily.append(dict(today["XX"]))  # XX twice on the day
    code, doc = check(capsys, backend_dsn, mart(daily, top_n=2))
    assert others(doc) == {
        ("row_present", "daily_metrics"): (
            "critical", 1, "1 duplicate row among the segments folded into other: the grain is broken"),
        ("valid_value", "orders"): ("critical", 22, "orders: 1 folded row NULL (SUM skips them)"),  # 20 + 1 + 1
        ("valid_value", "revenue"): ("critical", 120, "revenue: 1 folded row negative")}  # 300 - 200 + 10 + 10
    assert code == 1


def test_clean_folded_rows_pass_the_check(backend_dsn, mart, capsys):
    code, doc = check(capsys, backend_dsn, mart(segmented.rows(), top_n=2))
    assert others(doc) == {
        ("row_present", "daily_metrics"): ("ok", 0, "one row a day for each segment folded into other"),
        ("valid_value", "orders"): ("ok", 51, "orders = 51"), ("valid_value", "revenue"): ("ok", 510, "revenue = 510")}
    assert code == 0


def test_the_text_backtest_reports_the_folded_faults_of_every_day(backend_dsn, mart):
    """The text backtest builds only what is not OK: on `other` every check is built, since a folded row's fault
    fails a check whose own codes (other's sums) passed."""
    daily = segmented.rows()
    first = TARGET - timedelta(days=3)
    for r in daily:
        if r["event_date"] >= first and r["country"] == "YY":
            r["orders"] = None  # folded into other (top 2: NL and DE)
    config = load(mart(daily, top_n=2))
    h = measure_range(db.parse_dsn(backend_dsn), config, first - timedelta(days=1), TARGET)

    def folded(evaluations) -> list[tuple]:
        return [(e.target_date, str(x.name), x.metric) for e in evaluations for x in e.checks
                if x.segment is not None and x.segment.other and x.severity is not Severity.OK]

    alerts = folded(judged_days(h, config, everything=False))
    assert alerts == folded(judged_days(h, config))
    assert [(day, name, metric) for day, name, metric in alerts if name == "valid_value"] == [
        (first + timedelta(days=k), "valid_value", "orders") for k in range(4)]
