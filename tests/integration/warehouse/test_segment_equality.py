"""Segments where the database's equality is looser than Python's (issue 31), on SQLite, DuckDB, PostgreSQL and
MariaDB: a case- and accent-insensitive collation must neither merge two segments nor hide one, and a fact row
that the database calls equal to its segment is reconciled with it."""

import json

import sqlalchemy as sa

from exporter.cli import main
from tests.support import segmented
from tests.support.segmented import TARGET


def backend(dsn: str) -> str:
    return next(name for name in ("sqlite", "duckdb", "postgresql", "mysql", "mariadb") if dsn.startswith(name))


LOOSE = {"sqlite": "NOCASE", "duckdb": "NOCASE", "mysql": "utf8mb4_general_ci", "mariadb": "utf8mb4_general_ci"}
"""A collation under which nl = NL (and, on MariaDB, Zürich = Zurich); PostgreSQL's default is deterministic."""


def check(capsys, dsn, config):
    code = main(["check", "--dsn", dsn, "--config", str(config), "--date", TARGET.isoformat(), "--no-push",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def test_values_a_collation_calls_equal_are_two_segments_and_an_outage_of_either_pages(backend_dsn, mart, capsys):
    loose = sa.String(8, collation=LOOSE.get(backend(backend_dsn)))
    bases = {"NL": 100, "nl": 50, "Zurich": 30, "Zürich": 20, "XX": 1}  # top 4 by the month; XX is other
    config = mart(segmented.rows(bases, today={"nl": 0, "Zürich": 0}), country=loose)
    code, doc = check(capsys, backend_dsn, config)
    failing = {(c["name"], c["metric"], c["segment"]["country"]) for c in doc["checks"]
               if c["severity"] == "critical" and c["segment"] not in (None, {"other": True})}
    # nl: 0 against median 50 (MAD 1), Zürich: 0 against 20; NL and Zurich unchanged
    assert failing == {("drop", m, country) for m in ("orders", "revenue") for country in ("nl", "Zürich")}
    assert code == 1
    judged = {c["segment"]["country"] for c in doc["checks"] if c["segment"] not in (None, {"other": True})}
    assert judged == {"NL", "nl", "Zurich", "Zürich"}


def test_fact_rows_the_database_calls_equal_reconcile_with_their_segment(backend_dsn, mart, capsys):
    """PostgreSQL: a CHAR(3) fact column returns 'NL '; elsewhere the facts say 'nl' under a case-insensitive
    collation. The database's equality decides which segment a fact row is."""
    name = backend(backend_dsn)
    fact_type = sa.CHAR(3) if name == "postgresql" else sa.String(8, collation=LOOSE[name])
    counts = {"NL": 100, "DE": 50, "YY": 30, "FR": 20, "XX": 1}
    facts = segmented.fact_rows({(k if name == "postgresql" else k.lower()): n for k, n in counts.items()})
    config = mart(segmented.rows(), facts=facts, extra="  fact_columns: {country: shop_country}\n",
                  shop_country=fact_type)
    code, doc = check(capsys, backend_dsn, config)
    reconciled = {(c["metric"], c["segment"]["country"]): (c["severity"], c["value"], c["expected"])
                  for c in doc["checks"] if c["name"] == "reconciliation" and c["segment"]}
    assert reconciled == {(m, k): ("ok", n * (10 if m == "revenue" else 1), n * (10 if m == "revenue" else 1))
                          for m in ("orders", "revenue") for k, n in counts.items() if k != "XX"}
    assert code == 0


def test_a_value_folded_into_other_stays_there_beside_its_judged_look_alike(backend_dsn, mart, capsys):
    loose = sa.String(8, collation=LOOSE.get(backend(backend_dsn)))
    bases = {"NL": 100, "DE": 50, "YY": 30, "FR": 20, "nl": 1}  # nl: 30 of 6,030 orders in the month, below 5 %
    config = mart(segmented.rows(bases, today={"nl": 5}), country=loose)
    code, doc = check(capsys, backend_dsn, config)
    assert code == 0
    other = [c for c in doc["checks"] if c["segment"] == {"other": True} and c["name"] == "valid_value"
             and c["metric"] == "orders"]
    assert [c["value"] for c in other] == [5]
    assert "nl" not in {c["segment"].get("country") for c in doc["checks"] if c["segment"]}


def test_two_judged_look_alikes_each_reconcile_with_their_own_exact_fact_rows(backend_dsn, mart, capsys):
    loose = sa.String(8, collation=LOOSE.get(backend(backend_dsn)))
    counts = {"NL": 100, "nl": 50, "Zurich": 30, "Zürich": 20, "XX": 1}
    config = mart(segmented.rows(counts), facts=segmented.fact_rows(counts), country=loose, shop_country=loose,
                  extra="  fact_columns: {country: shop_country}\n")
    code, doc = check(capsys, backend_dsn, config)
    reconciled = {(c["metric"], c["segment"]["country"]): (c["severity"], c["value"], c["expected"])
                  for c in doc["checks"] if c["name"] == "reconciliation" and c["metric"] == "orders"
                  and c["segment"]}
    assert reconciled == {("orders", k): ("ok", n, n) for k, n in counts.items() if k != "XX"}
    assert code == 0
