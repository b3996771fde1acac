"""The rows folded into `other` validated in SQL as its own check (issue 31), on SQLite, DuckDB, PostgreSQL and
MariaDB: a NULL, a negative and a duplicate row among the folded segments each fail, though `other`'s sums
look normal."""

import json

from exporter.cli import main
from tests.support import segmented
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
