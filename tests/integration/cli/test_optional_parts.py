"""A warehouse without attribution, fact table or clickstream, judged on every backend (issue 20, part 1)."""

import json
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from exporter.cli import main
from exporter.warehouse.demo_data import build
from tests.support import db
from tests.support.factories import DAY

MINIMAL = ("event_date", "orders", "revenue")
"""A mart with only orders and revenue: no events, no funnel, no attribution, and no fct_orders at all."""
NOTES = ["no reconciliation: fct_orders is null in the config",
         "no orders_with_traffic check: metrics.traffic is null in the config",
         "no attribution checks: metrics.attribution_models is empty in the config"]
CONFIG = """daily_metrics: {{table: {table}}}
fct_orders: null
metrics:
  volume: [orders, revenue]
  rates: {{}}
  attribution_models: {{}}
  traffic: null
"""


@pytest.fixture
def minimal_warehouse(backend_dsn, tmp_path):
    """(write(scenario) -> config path, last day): only the daily table, only its three columns."""
    url, table = db.parse_dsn(backend_dsn), f"kpi_{uuid.uuid4().hex[:8]}"

    def write(scenario: str):
        wh = build(scenario, last_day=DAY, days=30, scale=0.1)
        md = sa.MetaData()
        t = sa.Table(table, md, sa.Column("event_date", sa.Date, nullable=False),
                     sa.Column("orders", sa.BigInteger), sa.Column("revenue", sa.Numeric(18, 2)))
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.begin() as conn:
            md.drop_all(conn)
            md.create_all(conn)
            conn.execute(t.insert(), [{k: r[k] for k in MINIMAL} for r in wh.daily])
        engine.dispose()
        config = tmp_path / f"{scenario}.yaml"
        config.write_text(CONFIG.format(table=table))
        return config, wh.last_day

    yield write
    db.drop_tables(url, table)


@pytest.mark.parametrize("scenario, code, problems", [
    ("healthy", 0, set()),
    ("orders_drop", 1, {("drop", "orders", "critical"), ("drop", "revenue", "critical")}),
    ("missing_day", 1, {("row_present", "daily_metrics", "critical")}),
])
def test_a_mart_without_attribution_fact_table_or_traffic(backend_dsn, minimal_warehouse, capsys, scenario, code,
                                                           problems):
    config, day = minimal_warehouse(scenario)
    exit_code = main(["check", "--dsn", backend_dsn, "--config", str(config), "--date", day.isoformat(),
                      "--format", "json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert (exit_code, err) == (code, "")
    assert {(c["name"], c["metric"], c["severity"]) for c in doc["checks"] if c["severity"] != "ok"} == problems
    names = {c["name"] for c in doc["checks"]}
    assert not names & {"reconciliation", "attribution_bound", "attribution_coverage", "orders_with_traffic"}
    if scenario == "healthy":  # the checks that remain: the row, two valid values, two drops
        assert sorted((c["name"], c["metric"]) for c in doc["checks"]) == [
            ("drop", "orders"), ("drop", "revenue"), ("row_present", "daily_metrics"),
            ("valid_value", "orders"), ("valid_value", "revenue")]
    assert doc["notes"] == NOTES


def test_the_text_report_says_once_what_is_left_out(backend_dsn, minimal_warehouse, capsys):
    config, day = minimal_warehouse("healthy")
    assert main(["check", "--dsn", backend_dsn, "--config", str(config), "--date", day.isoformat()]) == 0
    out = capsys.readouterr().out
    for note in NOTES:
        assert out.count(note) == 1
    assert out.splitlines()[-1].startswith(f"OK: daily_metrics for {day}: 0 critical, 0 warn, 5 ok")


def test_backtest_of_the_mart_sends_no_fact_statement(backend_dsn, minimal_warehouse, capsys):
    config, day = minimal_warehouse("orders_drop")
    first = day - timedelta(days=2)
    assert main(["backtest", "--dsn", backend_dsn, "--config", str(config), "--from", first.isoformat(),
                 "--to", day.isoformat(), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [d["status"] for d in doc["days"]] == ["ok", "ok", "critical"]
    assert all(d["notes"] == NOTES for d in doc["days"])
