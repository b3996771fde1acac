"""The arrays and the materialised results agree check by check (issue 29), on every backend.

Every check's rule runs once over every day of every segment (`checks.spec.Cells`); a `CheckResult` is built
from its code. A text backtest builds only what is not OK. Here, on a segmented demo warehouse with a fault of
every kind struck on some of its last days: the backtest's non-OK checks are those of the complete judgement,
check by check; the judged day of `check` is the backtest's same day; the CSV of the range is the per-day
checks' rows.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from exporter.config import load
from exporter.judge.backtest import backtest, judged_days
from exporter.judge.evaluate import evaluate
from exporter.judge.model import Severity
from exporter.reports import history
from exporter.warehouse.demo_data import build
from exporter.warehouse.read import measure, measure_range
from tests.support import db

LAST = date(2026, 11, 25)
FIRST = LAST - timedelta(days=7)
FAULTS = {  # (days before LAST, country): what breaks that day
    (7, "FR"): {"revenue": None},
    (6, "NL"): {"orders": -3},
    (5, "BE"): {"orders": 0, "purchase_users": 0, "attributed_orders_first_click": 0,
                "attributed_orders_last_click": 0, "attributed_revenue_first_click": 0,
                "attributed_revenue_last_click": 0, "revenue": 0},
    (4, "DE"): {"attributed_orders_last_click": 10**6},
    (3, "FR"): {"attributed_orders_first_click": 1},
    (2, "LU"): None,  # no row: judged as vanished
}
TRAFFIC_DROP = (1, "NL")
"""NL's traffic (events, users, sessions) at a tenth that day: only drops alert, every row check passes."""
TRAFFIC_WARN = (1, "DE")
"""DE's traffic at half that day: its drops WARN (frac 0.5), nothing else of DE's alerts."""


def warehouse(dsn: str, tmp_path):
    """The demo's five countries over 60 days, FAULTS struck, TRAFFIC_DROP, one fact row of DE dropped on LAST (a
    segment's reconciliation fails), and an attributed revenue of FR exactly at its base plus the tolerance (exact
    money: it passes)."""
    wh = build("healthy", last_day=LAST, days=60, segments=True)
    daily = []
    for row in wh.daily:
        fault = FAULTS.get(((LAST - row["event_date"]).days, row["country"]), {})
        if fault is None:
            continue
        row = {**row, **fault}
        if ((LAST - row["event_date"]).days, row["country"]) == TRAFFIC_DROP:
            row.update({k: row[k] // 10 for k in ("events", "users", "sessions")})
        if ((LAST - row["event_date"]).days, row["country"]) == TRAFFIC_WARN:
            row.update({k: row[k] // 2 for k in ("events", "users", "sessions")})
        if row["event_date"] == LAST and row["country"] == "FR":
            row["attributed_revenue_last_click"] = Decimal(str(row["revenue"])) + Decimal("0.01")
        daily.append(row)
    dropped = next(i for i, o in enumerate(wh.orders) if o["order_date"] == LAST and o["country"] == "DE")
    orders = [o for i, o in enumerate(wh.orders) if i != dropped]
    url = db.parse_dsn(dsn)
    suffix = tmp_path.name[-8:].replace("-", "_")
    table, fact = f"mat_{suffix}", f"matf_{suffix}"
    db.write_warehouse(url, daily, orders, table, fact)
    path, bare = tmp_path / "materialised.yaml", tmp_path / "no-facts.yaml"
    path.write_text(f"daily_metrics: {{table: {table}}}\nfct_orders: {{table: {fact}}}\n"
                    "segments: {columns: [country], min_share: 0, fact_columns: {country: country}}\n")
    bare.write_text(f"daily_metrics: {{table: {table}}}\nfct_orders: null\n"
                    "segments: {columns: [country], min_share: 0}\n")
    return url, load(path), load(bare), (table, fact)


def key(check) -> tuple:
    return (check.name, check.metric, check.segment, check.outcome, check.message, check.value, check.reason)


def test_arrays_and_materialised_results_agree_check_by_check(backend_dsn, tmp_path):
    url, c, bare, tables = warehouse(backend_dsn, tmp_path)
    try:
        h, h_bare = measure_range(url, c, FIRST, LAST), measure_range(url, bare, FIRST, LAST)
        full = backtest(h, c)
        pairs = [(full, list(judged_days(h, c, everything=False))),  # without facts, a drop alone alerts
                 (backtest(h_bare, bare), list(judged_days(h_bare, bare, everything=False)))]
        days = [measure(url, c, day) for day in (FIRST + timedelta(days=k) for k in range(8))]
    finally:
        db.drop_tables(url, *tables)
    for complete, alerts in pairs:
        assert [e.target_date for e in alerts] == [e.target_date for e in complete]
        for whole, only in zip(complete, alerts, strict=True):  # the non-OK checks, built from the same codes
            assert [key(x) for x in only.checks] == [key(x) for x in whole.checks if x.severity is not Severity.OK]
            assert only.severity is whole.severity and not only.complete
    nl = [x for x in full[-2].checks if x.segment and x.segment.label == "country=NL"]
    assert {str(x.name) for x in nl if x.severity} == {"drop"}  # the traffic drop alone
    de = [x for x in full[-2].checks if x.segment and x.segment.label == "country=DE" and x.severity]
    assert {(str(x.name), x.severity) for x in de} == {("drop", Severity.WARN)}  # built on a day of partial results
    failing = {(str(x.name), x.segment.label if x.segment else "") for e in full for x in e.checks
               if x.severity is not Severity.OK}
    assert {("valid_value", "country=FR"), ("valid_value", "country=NL"), ("orders_with_traffic", "country=BE"),
            ("attribution_bound", "country=DE"), ("attribution_coverage", "country=FR"),
            ("reconciliation", "country=DE")} <= failing
    assert not any(x.name == "attribution_bound" and x.metric == "attributed_revenue_last_click"
                   and x.segment and x.segment.label == "country=FR" and x.severity for x in full[-1].checks)
    for m, e in zip(days, full, strict=True):  # the judged day of check is the backtest's same day
        assert [key(x) for x in evaluate(m, c).checks] == [key(x) for x in e.checks]
    ranged = list(csv.reader(io.StringIO(history.to_csv(full))))
    per_day = [row for m in days for row in list(csv.reader(io.StringIO(history.to_csv([evaluate(m, c)]))))[1:]]
    assert [row[:-1] for row in ranged[1:]] == [row[:-1] for row in per_day]  # all but the incident column
