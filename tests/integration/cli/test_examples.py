"""Every config in examples/ validates, and checks a demo warehouse of its shape (PostgreSQL's on the real server)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from exporter.cli import main
from exporter.warehouse.demo_data import build
from tests.conftest import execute, server_engine
from tests.support import db

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DAY = "2026-11-30"
"""The demo's last day: pinned, so no verdict depends on today."""


def demo(path: Path, *extra: str) -> str:
    assert main(["demo", "--path", str(path), "--date", DAY, "--no-push", *extra]) == 0
    return f"sqlite:///{path}"


def check(dsn: str, *configs: Path | str, extra: tuple[str, ...] = ()) -> int:
    return main(["check", "--dsn", dsn, *(a for c in configs for a in ("--config", str(c))), "--date", DAY,
                 "--no-push", *extra])


@pytest.mark.parametrize("example", sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yaml")))
def test_every_example_validates(example, capsys):
    assert main(["validate", "--config", str(EXAMPLES / example)]) == 0
    assert "valid" in capsys.readouterr().out


def test_the_seed_example_checks_the_seed_mart(tmp_path, capsys):
    dsn = demo(tmp_path / "seed.sqlite")
    capsys.readouterr()
    assert check(dsn, EXAMPLES / "seed.yaml") == 0
    assert f"OK: daily_metrics for {DAY}" in capsys.readouterr().out


def test_the_segmented_example_judges_each_country_and_events_both_ways(tmp_path, capsys):
    dsn = demo(tmp_path / "segmented.sqlite", "--segments")
    capsys.readouterr()
    assert check(dsn, EXAMPLES / "segmented.yaml", extra=("--format", "json")) == 0
    checks = json.loads(capsys.readouterr().out)["checks"]
    spikes = {(c["metric"], (c["segment"] or {}).get("country")) for c in checks if c["name"] == "spike"}
    assert spikes == {("events", country) for country in (None, "NL", "DE", "BE", "FR", "LU")}
    assert {(c["segment"] or {}).get("country") for c in checks if c["name"] == "reconciliation"} == {
        None, "NL", "DE", "BE", "FR", "LU"}


def test_the_lean_example_checks_a_mart_of_date_orders_and_revenue_only(tmp_path, capsys):
    path = tmp_path / "lean.sqlite"
    demo(path)
    with sqlite3.connect(path) as conn:  # the lean shape: three columns, no fact table
        conn.executescript("CREATE TABLE lean AS SELECT event_date, orders, revenue FROM daily_metrics;"
                           "DROP TABLE daily_metrics; DROP TABLE fct_orders;"
                           "ALTER TABLE lean RENAME TO daily_metrics;")
    capsys.readouterr()
    assert check(f"sqlite:///{path}", EXAMPLES / "lean.yaml") == 0
    out = capsys.readouterr().out
    assert "note: no reconciliation: fct_orders is null in the config" in out and f"OK: daily_metrics for {DAY}" in out


def test_several_tables_in_one_run_each_in_its_own_pipeline(tmp_path, capsys):
    dsn = demo(tmp_path / "shop.sqlite")
    capsys.readouterr()
    assert check(dsn, EXAMPLES / "several-tables" / "orders.yaml", EXAMPLES / "several-tables" / "marketing.yaml",
                 extra=("--format", "json")) == 0
    out = capsys.readouterr().out
    assert '"pipeline": "shop_orders"' in out and '"pipeline": "marketing"' in out, out[:400]


@pytest.mark.postgresql
def test_the_postgresql_example_reads_as_a_reader_and_writes_the_ledger_as_a_writer(tmp_path, capsys):
    """The least-privilege guide end to end: the example with its schema renamed for this run."""
    suffix = uuid.uuid4().hex[:8]
    schema, reader, writer = f"marts_{suffix}", f"dmm_reader_{suffix}", f"dmm_writer_{suffix}"
    text = (EXAMPLES / "postgresql-ledger.yaml").read_text().replace("schema: marts", f"schema: {schema}")
    config = tmp_path / "postgresql-ledger.yaml"
    config.write_text(text)
    ledger = yaml.safe_load(text)["results"]
    with server_engine("postgresql") as (dsn, engine):
        url = sa.engine.make_url(dsn)
        execute(engine, f"CREATE SCHEMA {schema}", f"CREATE ROLE {reader} LOGIN", f"CREATE ROLE {writer} LOGIN")
        try:
            mart = build("healthy", last_day=date.fromisoformat(DAY), days=60, scale=0.1)
            db.write_warehouse(url.update_query_dict({"options": f"-csearch_path={schema}"}), list(mart.daily),
                               list(mart.orders))
            assert main(["results", "init", "--config", str(config), "--results-dsn", dsn]) == 0
            table, view = f"{schema}.{ledger['table']}", f"{schema}.{ledger['trust_view']}"
            execute(engine, f"GRANT USAGE ON SCHEMA {schema} TO {reader}, {writer}",
                    f"GRANT SELECT ON {schema}.daily_metrics, {schema}.fct_orders TO {reader}",
                    f"GRANT SELECT, INSERT ON {table} TO {writer}")
            capsys.readouterr()
            as_reader, as_writer = (url.set(username=r).render_as_string(False) for r in (reader, writer))
            assert check(as_reader, config, extra=("--results-dsn", as_writer)) == 0
            assert f"OK: daily_metrics for {DAY}" in capsys.readouterr().out
            with engine.connect() as conn:
                judged = conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE data_date = :d"), {"d": DAY})
                assert judged.scalar() > 0
                assert conn.execute(sa.text(f"SELECT count(*) FROM {view}")).scalar() > 0
        finally:
            execute(engine, f"DROP SCHEMA {schema} CASCADE", f"DROP OWNED BY {reader}, {writer}",
                    f"DROP ROLE {reader}", f"DROP ROLE {writer}")
