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


def test_a_segment_whose_rank_by_is_null_all_month_takes_no_top_n_place(backend_dsn, mart, capsys):
    # ZZ's orders are NULL on every day: its month's volume is NULL, which PostgreSQL sorts first in DESC order;
    # it is no top segment, so the top 2 are NL and DE on every backend (before, PostgreSQL judged NL alone)
    daily = segmented.rows({"NL": 100, "DE": 50, "FR": 20, "XX": 1})
    daily += [{"event_date": r["event_date"], "country": "ZZ", "orders": None, "revenue": 5}
              for r in daily if r["country"] == "XX"]
    _, doc = check(capsys, backend_dsn, mart(daily, top_n=2))
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


def _by(doc, name, metric, segment=None):
    return next(c for c in doc["checks"] if (c["name"], c["metric"], c["segment"]) == (name, metric, segment))


def test_a_day_without_any_row_is_one_missing_day_not_a_vanished_segment_each(backend_dsn, mart, capsys):
    """No row at all on D: the total's row_present says so; no judged segment is judged as zeros (the day is
    missing, not each country)."""
    code, doc = check(capsys, backend_dsn, mart([r for r in segmented.rows() if r["event_date"] != TARGET]))
    assert code == 1 and judged(doc) == set() and not [c for c in doc["checks"] if c["segment"] == OTHER]
    assert _by(doc, "row_present", "daily_metrics")["severity"] == "critical"


def test_a_day_with_only_the_total_row_is_every_judged_segment_gone(backend_dsn, mart, capsys):
    """total: row, and D has only the total's row (201, as every day): the total is fine, each judged country
    vanished, so each is judged as 0 orders against its median and pages."""
    daily = [r for r in segmented.rows(total_row=201) if r["event_date"] != TARGET or r["country"] is None]
    code, doc = check(capsys, backend_dsn, mart(daily, total="row"))
    assert code == 1 and _by(doc, "drop", "orders")["severity"] == "ok" and _by(doc, "drop", "orders")["value"] == 201
    for country, median in (("NL", 100), ("DE", 50), ("YY", 30), ("FR", 20)):
        drop = _by(doc, "drop", "orders", {"country": country})
        assert (drop["value"], drop["median"], drop["severity"]) == (0, median, "critical"), country


def test_a_warn_only_fall_still_names_its_segment_in_the_contributions(backend_dsn, mart, capsys):
    """NL at half its median (frac 0.5: WARN, not below 0.3) and the total at 151 of 201 (frac 0.75: OK): the
    one alerted drop is a WARN, and the contributions still say who fell."""
    code, doc = check(capsys, backend_dsn, mart(segmented.rows(today={"NL": 50})))
    nl = _by(doc, "drop", "orders", {"country": "NL"})
    assert (code, nl["severity"], nl["frac"], _by(doc, "drop", "orders")["severity"]) == (0, "warn", 0.5, "ok")
    orders = doc["contributions"]["orders"]
    assert [(p["segment"], p["value"], p["median"], p["difference"], p["share"]) for p in orders] == \
        [({"country": "NL"}, 50, 100, -50, 1.0)]


def _flat(bases: dict[str, int]) -> list[dict]:
    """Every day FIRST .. TARGET the same orders per country (no weekly offset): shares are exact."""
    days = [segmented.FIRST + timedelta(days=n) for n in range((TARGET - segmented.FIRST).days + 1)]
    return [{"event_date": day, "country": country, "orders": n, "revenue": 10 * n}
            for day in days for country, n in bases.items()]


def test_min_share_is_inclusive_at_exactly_its_share(backend_dsn, mart, capsys):
    """min_share 0.25 (a binary fraction: the product is exact in every database): DE sells exactly 25 of 100
    a day and is judged; FR with 24 % is folded."""
    config = mart(_flat({"NL": 50, "DE": 25, "FR": 24, "XX": 1}))
    config.write_text(config.read_text().replace("min_share: 0.05", "min_share: 0.25"))
    _, doc = check(capsys, backend_dsn, config)
    assert judged(doc) == {"NL", "DE"}


@pytest.mark.parametrize(("days", "outcome"), [(5, "passed"), (4, "not_evaluated")])
def test_min_days_is_inclusive_at_exactly_its_count(backend_dsn, mart, capsys, days, outcome):
    """baseline.min_days 5: the total's drop on FIRST + 5 has 5 earlier days and is judged; on FIRST + 4, with
    4, it is not (insufficient history)."""
    _, doc = check(capsys, backend_dsn, mart(segmented.rows()), segmented.FIRST + timedelta(days=days))
    drop = _by(doc, "drop", "orders")
    assert drop["outcome"] == outcome and drop["baseline_days"] == days


def test_a_judged_segment_read_twice_on_its_day_is_two_rows_not_their_sum(backend_dsn, mart, capsys):
    """NL's row of D twice (a broken grain): row_present of NL says 2 rows and pages, and is NL's only check."""
    daily = segmented.rows()
    daily += [r for r in daily if r["event_date"] == TARGET and r["country"] == "NL"]
    code, doc = check(capsys, backend_dsn, mart(daily))
    nl = [c for c in doc["checks"] if c["segment"] == {"country": "NL"}]
    assert code == 1 and [(c["name"], c["severity"]) for c in nl] == [("row_present", "critical")]
    assert "[country=NL] rows for 2026-11-30: the grain is broken" in nl[0]["message"]
    assert nl[0]["message"].startswith("2 ")  # and no drop or valid_value of NL: its sum (200) is never judged
