"""The segment-trust view on every backend: hand-written ledger rows, and the README's per-segment BI recipe over
the 12-segment mart."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from exporter.cli import main
from exporter.config import Results
from exporter.warehouse.ledger_sql import ledger_table
from tests.support import db
from tests.support import incident_mart as mart
from tests.support.db import query

D = date(2026, 11, 30)
CONFIG = """daily_metrics: {{table: {daily}}}
fct_orders: null
metrics: {{volume: [sessions, orders, revenue, refunds], traffic: sessions, rates: {{}}, attribution_models: {{}},
          overrides: {{refunds: {{direction: spike}}}}}}
segments: {{columns: [channel, platform], top_n: 12, min_share: 0}}
results: {{table: {table}, trust_view: {view}, segment_trust_view: {segment_view}}}
"""
WITH_MODEL = """daily_metrics: {{table: unused}}
fct_orders: null
metrics: {{traffic: null, rates: {{}},
          attribution_models: {{first_click: {{orders: attributed_orders_first_click,
                                              revenue: attributed_revenue_first_click}}}}}}
segments: {{columns: [channel, platform]}}
results: {{table: {table}, trust_view: {view}, segment_trust_view: {segment_view}}}
"""


@pytest.fixture
def ledger(backend_dsn, tmp_path, capsys):
    """A config naming a fresh ledger and its two views, created by `results init`: (config path, names)."""
    created = []

    def make(template: str, daily: str = "unused") -> tuple[Path, dict[str, str]]:
        suffix = uuid.uuid4().hex[:8]
        names = {"table": f"r_{suffix}", "view": f"v_{suffix}", "segment_view": f"s_{suffix}"}
        path = tmp_path / f"config-{suffix}.yaml"
        path.write_text(template.format(daily=daily, **names))
        created.append(names)
        assert main(["results", "init", "--config", str(path), "--results-dsn", backend_dsn]) == 0
        capsys.readouterr()
        return path, names

    yield make
    engine = sa.create_engine(db.parse_dsn(backend_dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            for names in created:
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS {names['segment_view']}")
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS {names['view']}")
    finally:
        engine.dispose()
    db.drop_tables(db.parse_dsn(backend_dsn), *(names["table"] for names in created))


def row(run: str, segment: str | None, severity: str, check: str = "drop") -> dict:
    return {"run_id": run, "run_at": datetime(2026, 12, 1, 6, int(run[0])), "run_kind": "check",
            "pipeline": "daily_metrics", "data_date": D, "check_name": check, "metric": "orders",
            "segment": segment, "severity": severity, "outcome": {"ok": "passed", "warn": "warned"}.get(severity,
                                                                                                        "failed"),
            "message": "m"}


def test_one_row_per_segment_of_the_latest_run_with_its_values_and_verdict(backend_dsn, ledger):
    _, names = ledger(WITH_MODEL)
    paid, email = "channel=paid,platform=ios", "channel=email,platform=android"
    rows = [row("1-old", email, "critical"), row("1-old", paid, "ok"),  # an older run: replaced by the later one
            row("2-new", None, "ok"), row("2-new", "first_click", "critical", "attribution_bound"),  # the total's
            row("2-new", paid, "critical"), row("2-new", f"{paid} first_click", "warn", "attribution_coverage"),
            row("2-new", email, "ok"), row("2-new", email, "ok", "valid_value"), row("2-new", "other", "warn"),
            row("2-new", "other first_click", "warn", "attribution_coverage")]
    engine = sa.create_engine(db.parse_dsn(backend_dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(ledger_table(Results(names["table"])).insert(), rows)
    finally:
        engine.dispose()
    found = {r["segment"]: r for r in query(backend_dsn, f"SELECT * FROM {names['segment_view']}")}
    assert sorted(found) == [email, paid, "other"]
    got = {s: (r["channel"], r["platform"], r["status"], int(r["critical_checks"]), int(r["warn_checks"]),
               bool(r["trusted"]), r["run_id"]) for s, r in found.items()}
    assert got == {paid: ("paid", "ios", "critical", 1, 1, False, "2-new"),
                   email: ("email", "android", "ok", 0, 0, True, "2-new"),
                   "other": (None, None, "warn", 0, 2, True, "2-new")}
    day = query(backend_dsn, f"SELECT * FROM {names['view']}")
    assert [(r["status"], int(r["critical_checks"]), bool(r["trusted"])) for r in day] == [("critical", 2, False)]


def test_the_readme_recipe_hides_the_one_segment_that_fell(backend_dsn, ledger, tmp_path, capsys):
    daily = f"mart_{uuid.uuid4().hex[:8]}"
    mart.load(backend_dsn, tmp_path, daily)
    try:
        path, names = ledger(CONFIG, daily)
        assert main(["check", "--dsn", backend_dsn, "--config", str(path), "--date", D.isoformat(),
                     "--format", "json", "--no-push"]) == 1
        report = json.loads(capsys.readouterr().out)
        readme = (Path(__file__).resolve().parents[3] / "docs" / "concepts" / "ledger.md").read_text()  # moved there
        recipe = readme.split("**BI recipe per segment.**", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
        sql = (recipe.replace("FROM daily_metrics m", f"FROM {daily} m")
               .replace("dmm_segment_trust", names["segment_view"]).replace("dmm_day_trust", names["view"]))
        rows = [r for r in query(backend_dsn, sql.rstrip().rstrip(";")) if str(r["event_date"])[:10] == str(D)]
    finally:
        db.drop_tables(db.parse_dsn(backend_dsn), daily)
    critical = {(c["segment"]["channel"], c["segment"]["platform"]) for c in report["checks"]
                if c["segment"] and c["severity"] == "critical"}
    assert mart.DROP_SEGMENT in critical and len(critical) < 12
    untrusted = {(r["channel"], r["platform"]) for r in rows if r["orders_trusted"] is None}
    assert untrusted == critical and len(rows) == 12
    assert all(r["orders_untrusted"] is None for r in rows if (r["channel"], r["platform"]) not in critical)
    assert {r["verdict"] for r in rows if (r["channel"], r["platform"]) in critical} == {"critical"}
