"""Edges of segmented tables the audit's surviving mutants showed untested (issue 31), on SQLite, DuckDB,
PostgreSQL and MariaDB. Every expectation by hand from tests/segmented.py's mart."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.support import db, segmented
from tests.support.segmented import TARGET

OTHER = {"other": True}


@pytest.fixture
def mart(backend_dsn, tmp_path):
    created = []

    def make(daily, **kwargs):
        return segmented.load(backend_dsn, tmp_path, daily, created=created, **kwargs)

    yield make
    for url, table, fact in created:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS v{table}_r")
        finally:
            engine.dispose()
        db.drop_tables(url, table, fact, f"{table}_r")


def check(capsys, dsn, config, day=TARGET, *more):
    code = main(["check", "--dsn", dsn, "--config", str(config), "--date", day.isoformat(), "--no-push",
                 "--format", "json", *more])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def judged(doc) -> set:
    return {c["segment"]["country"] for c in doc["checks"] if c["segment"] and "country" in c["segment"]}


def test_ties_at_the_top_n_boundary_go_to_the_smaller_value_byte_for_byte(backend_dsn, mart, capsys):
    # DE and FR sell 50 a day each: rank 2 is a tie, broken by the value ("DE" < "FR")
    _, doc = check(capsys, backend_dsn, mart(segmented.rows({"NL": 100, "FR": 50, "DE": 50, "XX": 1}), top_n=2))
    assert judged(doc) == {"NL", "DE"}


def test_a_total_row_is_neither_a_segment_nor_in_other_nor_in_the_share_base(backend_dsn, mart, capsys):
    # the total row holds the sum (201 a day): min_share 0.05 of 201 is 10.05 a day, so FR (20) is judged; a
    # base counting the total row twice (402) would fold FR (4.98 %); other is XX alone: 1 (551 or 202 if the
    # total row were folded), and no segment has a NULL country
    code, doc = check(capsys, backend_dsn, mart(segmented.rows(total_row=201), total="row"))
    assert judged(doc) == {"NL", "DE", "YY", "FR"}
    other = [c["value"] for c in doc["checks"] if c["segment"] == OTHER and c["name"] == "valid_value"
             and c["metric"] == "orders"]
    total = [c["value"] for c in doc["checks"] if c["segment"] is None and c["name"] == "valid_value"
             and c["metric"] == "orders"]
    assert (other, total, code) == ([1], [201], 0)


def test_the_ledger_of_a_segmented_table_restates_the_total_only_and_keeps_long_labels(backend_dsn, mart, capsys):
    """A 70-character country fits no VARCHAR(63): its label ends in a hash; `restated` compares the total's
    stored values with the total's, never a segment's (a false +19,200 %)."""
    long = "L" * 70
    bases = {"NL": 100, long: 50, "YY": 30, "FR": 20, "XX": 1}
    config = mart(segmented.rows(bases), country=sa.String(80))
    table = config.read_text().split("table: ", 1)[1].split("}", 1)[0]
    config.write_text(config.read_text() + f"results: {{table: {table}_r, trust_view: v{table}_r}}\n")
    assert main(["results", "init", "--config", str(config), "--dsn", backend_dsn]) == 0
    capsys.readouterr()
    for day in (TARGET - timedelta(days=2), TARGET - timedelta(days=1)):
        assert check(capsys, backend_dsn, config, day)[0] == 0
    code, doc = check(capsys, backend_dsn, config)
    restated = {c["metric"]: (c["severity"], c["message"]) for c in doc["checks"] if c["name"] == "restated"}
    assert restated["orders"][0] == "ok" and restated["revenue"][0] == "ok", restated
    engine = sa.create_engine(db.parse_dsn(backend_dsn), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            labels = {r[0] for r in conn.exec_driver_sql(f"SELECT DISTINCT segment FROM {table}_r")}
    finally:
        engine.dispose()
    cut = [s for s in labels if s and s.startswith("country=LLL")]
    assert len(cut) == 1 and len(cut[0]) == 63 and cut[0][50] == "~" and code == 0
