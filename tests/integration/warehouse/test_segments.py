"""Segmented tables (issue 17) on SQLite, DuckDB, PostgreSQL and MariaDB: every expectation computed by hand
from tests/support/segmented.py's mart (country of base b: 7-day median b, MAD 1; the total's MAD 4)."""

import json
from datetime import date

import pytest

from exporter.cli import main
from exporter.config import load as load_config
from exporter.judge import evaluate
from exporter.judge.backtest import backtest
from exporter.warehouse.read import measure, measure_range
from tests.support import db, segmented
from tests.support.segmented import TARGET

OTHER = {"other": True}


def check(capsys, dsn, config, day=TARGET):
    code = main(["check", "--dsn", dsn, "--config", str(config), "--date", day.isoformat(), "--no-push",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def by(doc, name, metric, segment=None):
    found = [c for c in doc["checks"] if c["name"] == name and c["metric"] == metric and c["segment"] == segment]
    assert len(found) == 1, (name, metric, segment, found)
    return found[0]


def not_ok(doc):
    return {(c["name"], c["metric"], json.dumps(c["segment"]), c["severity"]) for c in doc["checks"]
            if c["severity"] != "ok"}


def test_one_country_loses_every_order_only_it_pages_and_the_contributions_name_it(backend_dsn, mart, capsys):
    config = mart(segmented.rows(today={"NL": 0, "DE": 45}))
    code, doc = check(capsys, backend_dsn, config)
    assert code == 1
    # segments are counts (statistic: auto): NL 0 against median 100, MAD 1, so variance max(100, 1.4826²) = 100,
    # Poisson: P(X <= 0) = e^-100; Bonferroni over the 2 metrics judged as counts (orders, revenue): 2 e^-100;
    # Benjamini-Hochberg over the day's 5 counted segments (NL, DE, YY, FR, other): NL ranks first, so
    # p = 5 x 2 e^-100 = 3.72e-43, z = Φ⁻¹(3.72e-43) / 0.6745 = -20.345 (statistics.NormalDist)
    nl = by(doc, "drop", "orders", {"country": "NL"})
    assert (nl["severity"], nl["value"], nl["median"], nl["mad"], nl["frac"]) == ("critical", 0, 100, 1, 0)
    assert nl["z"] == pytest.approx(-20.345, abs=1e-3)
    assert by(doc, "drop", "revenue", {"country": "NL"})["z"] == pytest.approx(-20.345, abs=1e-3)  # = orders'
    de = by(doc, "drop", "orders", {"country": "DE"})  # P(X <= 45 | 50) = 0.267, x 2 x 5 / rank 2 > 0.5: z 0
    assert (de["severity"], de["z"], de["frac"]) == ("ok", 0, 0.9)
    total = by(doc, "drop", "orders")  # 96 vs 201, MAD 4: z -26.25, frac 0.478: a WARN, not the pager
    assert (total["severity"], total["value"], total["median"], total["mad"], total["z"]) == \
        ("warn", 96, 201, 4, -26.25)
    assert not_ok(doc) == {("drop", "orders", '{"country": "NL"}', "critical"),
                           ("drop", "revenue", '{"country": "NL"}', "critical"),
                           ("drop", "orders", "null", "warn"), ("drop", "revenue", "null", "warn")}
    orders = doc["contributions"]["orders"]  # the total fell 105: NL 100 of it, DE 5
    assert [(p["segment"], p["value"], p["median"], p["difference"]) for p in orders] == \
        [({"country": "NL"}, 0, 100, -100), ({"country": "DE"}, 45, 50, -5)]
    assert [round(p["share"], 4) for p in orders] == [round(100 / 105, 4), round(5 / 105, 4)]
    main(["check", "--dsn", backend_dsn, "--config", str(config), "--date", TARGET.isoformat(), "--no-push"])
    text = capsys.readouterr().out
    assert "[CRITICAL] orders [country=NL]: 0 vs median 100 (p=3.7e-43, z=-20.3, frac=0.00)" in text
    assert "contributions: orders by country: NL −100 (95 % of the falls, −105), DE −5 (5 %)" in text
    assert "[OK] [country=FR]:" in text and "[OK] [other]:" in text


def test_the_top_n_and_min_share_fold_the_rest_into_other(backend_dsn, mart, capsys):
    # October's orders: NL 100, DE 50, YY 30, FR 20, XX 1 a day (share 0.5 %): top 4 by share >= 5 % leaves XX
    _, doc = check(capsys, backend_dsn, mart(segmented.rows()))
    segments = {json.dumps(c["segment"]) for c in doc["checks"]}
    assert segments == {"null", '{"country": "NL"}', '{"country": "DE"}', '{"country": "YY"}',
                        '{"country": "FR"}', '{"other": true}'}
    assert by(doc, "drop", "orders", OTHER)["value"] == 1  # XX alone
    _, doc = check(capsys, backend_dsn, mart(segmented.rows(), top_n=2))
    assert {json.dumps(c["segment"]) for c in doc["checks"]} == {"null", '{"country": "NL"}', '{"country": "DE"}',
                                                                '{"other": true}'}
    other = by(doc, "drop", "orders", OTHER)  # YY + FR + XX: 51 + 2 x offset, offset 0 today
    assert (other["value"], other["median"], other["mad"], other["severity"]) == (51, 51, 2, "ok")


def test_a_vanished_country_is_a_drop_to_zero_and_the_total_row_is_the_total(backend_dsn, mart, capsys):
    config = mart(segmented.rows(today={"NL": None}, total_row=500), total="row")
    code, doc = check(capsys, backend_dsn, config)
    assert code == 1
    nl = [c for c in doc["checks"] if c["segment"] == {"country": "NL"}]
    assert [(c["name"], c["metric"], c["value"], c["median"], c["severity"]) for c in nl] == \
        [("drop", "orders", 0, 100, "critical"), ("drop", "revenue", 0, 1000, "critical")]
    total = by(doc, "drop", "orders")  # the NULL-country row: 500 + 4 x offset, not the countries' sum
    assert (total["value"], total["median"], total["mad"], total["severity"]) == (500, 500, 4, "ok")
    assert by(doc, "row_present", "daily_metrics")["severity"] == "ok"


def test_a_new_country_is_not_evaluated_and_does_not_page(backend_dsn, mart, capsys):
    # ZZ opened on 2026-10-30 (1,000 orders a day): in November's top N, with 3 of the 5 days a baseline needs
    day = date(2026, 11, 2)
    bases = {**segmented.BASES, "ZZ": 1000}
    config = mart(segmented.rows(bases, last=day, since={"ZZ": date(2026, 10, 30)}))
    code, doc = check(capsys, backend_dsn, config, day)
    assert code == 0
    zz = by(doc, "drop", "orders", {"country": "ZZ"})
    assert (zz["severity"], zz["outcome"], zz["baseline_days"]) == ("warn", "not_evaluated", 3)
    assert zz["message"] == "insufficient history (3/7 days)"
    assert not any(c["severity"] == "critical" for c in doc["checks"])


def test_each_country_is_reconciled_with_its_fact_rows(backend_dsn, mart, capsys):
    facts = segmented.fact_rows({"NL": 99, "DE": 50, "YY": 30, "FR": 20, "XX": 1})  # one NL order lost
    config = mart(segmented.rows(), facts=facts, extra="  fact_columns: {country: shop_country}\n")
    code, doc = check(capsys, backend_dsn, config)
    assert code == 1
    nl = by(doc, "reconciliation", "orders", {"country": "NL"})
    assert (nl["severity"], nl["value"], nl["expected"], nl["difference"]) == ("critical", 100, 99, 1)
    assert by(doc, "reconciliation", "orders", {"country": "DE"})["severity"] == "ok"
    assert by(doc, "reconciliation", "revenue", {"country": "DE"})["severity"] == "ok"
    total = by(doc, "reconciliation", "orders")  # 201 vs 200 fact rows
    assert (total["severity"], total["value"], total["expected"]) == ("critical", 201, 200)
    assert not [c for c in doc["checks"] if c["name"] == "reconciliation" and c["segment"] == OTHER]


def test_the_backtest_of_each_day_is_the_check_of_that_day(backend_dsn, mart):
    # NL loses every order from 2026-11-26 on (a loss that stays), DE drops on the last day
    daily = [r if not (r["country"] == "NL" and r["event_date"] >= date(2026, 11, 26)) else {**r, "orders": 0,
                                                                                           "revenue": 0}
             for r in segmented.rows(today={"DE": 30})]
    config = load_config(mart(daily))
    url = db.parse_dsn(backend_dsn)
    first = date(2026, 11, 20)
    history = backtest(measure_range(url, config, first, TARGET), config)
    for e in history:
        assert e == evaluate(measure(url, config, e.target_date), config), e.target_date
    nl = [next(c for c in e.checks if c.name == "drop" and c.metric == "orders" and c.segment
               and c.segment.label == "country=NL").severity.label for e in history]
    assert nl == ["ok"] * 6 + ["critical"] * 5  # stays red: the lost days are left out of later baselines


def test_a_5000_value_dimension_fetches_at_most_top_n_plus_2_rows_a_day(backend_dsn, tmp_path, monkeypatch):
    """Shop s sells s orders a day: the 20 largest are 4981 .. 5000 (each 0.04 % of the total, so min_share 0),
    the other 4,980 are folded in SQL."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from exporter.warehouse import read

    url = db.parse_dsn(backend_dsn)
    md = sa.MetaData()
    t = sa.Table("seg_wide", md, sa.Column("event_date", sa.Date), sa.Column("shop", sa.Integer),
                 sa.Column("orders", sa.BigInteger), sa.Column("revenue", sa.Numeric(18, 2)))
    f = sa.Table("segf_wide", md, sa.Column("order_date", sa.Date), sa.Column("shop_id", sa.Integer),
                 sa.Column("revenue", sa.Numeric(18, 2)))
    day, first = date(2026, 11, 1), date(2026, 10, 25)
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            md.drop_all(conn)
            md.create_all(conn)
            conn.execute(t.insert(), [{"event_date": first, "shop": s, "orders": s, "revenue": s}
                                      for s in range(1, 5001)])
            for n in range(1, 8):  # the same rows on the next 7 days, copied in the database
                conn.execute(t.insert().from_select(["event_date", "shop", "orders", "revenue"], sa.select(
                    sa.literal(date.fromordinal(first.toordinal() + n), sa.Date), t.c.shop, t.c.orders,
                    t.c.revenue).where(t.c.event_date == first)))
            conn.execute(f.insert().from_select(["order_date", "shop_id", "revenue"], sa.select(
                sa.literal(day, sa.Date), t.c.shop, t.c.revenue).where(t.c.event_date == first)))
    finally:
        engine.dispose()
    config_path = tmp_path / "wide.yaml"
    config_path.write_text("daily_metrics: {table: seg_wide}\nfct_orders: {table: segf_wide}\n"
                           "metrics: {volume: [orders, revenue], rates: {}, attribution_models: {}, traffic: null}\n"
                           "baseline: {exclude_alerted: false}\nthresholds: {escalate_after_days: 0}\n"
                           "segments: {columns: [shop], top_n: 20, min_share: 0, fact_columns: {shop: shop_id}}\n")
    fetched = []
    run = read._run

    def counting(conn, query, table, u, take=list):
        def counted(result):
            rows = list(result)
            fetched.append((table, len(rows)))
            return take(rows)
        return run(conn, query, table, u, counted)

    monkeypatch.setattr(read, "_run", counting)
    try:
        config = load_config(config_path)
        assert config.lookback == 7  # the window reads D-7 .. D: 8 days
        m = measure(url, config, day)
        # 20 segments x 8 days + other x 8 + the total x 8 (total: sum, the default: the database's SUM of the
        # day) + the 20 judged segments = (20 + 2) x 8 + 20, + other's faults on D
        assert fetched == [("seg_wide", 197), ("segf_wide", 21)]  # the 20 judged shops and one row for the rest
        assert [s.label for s in m.segments] == [f"shop={s}" for s in range(5000, 4980, -1)] + ["other"]
        e = evaluate(m, config)
        assert e.severity.label == "critical"  # each shop's orders are one fact row: orders reconcile, 5000 vs 1 not
        orders = [c for c in e.checks if c.name == "reconciliation" and c.metric == "orders"]
        assert [(c.value, c.expected) for c in orders] == [(sum(range(1, 5001)), 5000)] + \
            [(s, 1) for s in range(5000, 4980, -1)]
    finally:
        db.drop_tables(url, "seg_wide", "segf_wide")


def test_a_day_without_fact_rows_is_a_mismatch_in_check_as_in_backtest(backend_dsn, mart, capsys):
    config = mart(segmented.rows(), facts=[], extra="  fact_columns: {country: shop_country}\n")
    code, doc = check(capsys, backend_dsn, config)
    total = by(doc, "reconciliation", "orders")
    assert (code, total["severity"], total["value"], total["expected"]) == (1, "critical", 201, 0)
    assert by(doc, "reconciliation", "orders", {"country": "NL"})["expected"] == 0


def test_rows_without_a_country_count_in_the_sum_and_in_other(backend_dsn, mart, capsys):
    # total: sum over every row: 201 + 4 x offset named, 5 + 4 x offset without a country
    _, doc = check(capsys, backend_dsn, mart(segmented.rows(total_row=5)))
    total = by(doc, "drop", "orders")
    assert (total["value"], total["median"], total["mad"]) == (206, 206, 8)
    other = by(doc, "drop", "orders", OTHER)  # XX's 1 and the 5 without a country
    assert (other["value"], other["median"]) == (6, 6)


def test_the_backtest_outputs_name_the_segments(backend_dsn, mart, tmp_path, capsys):
    config = mart(segmented.rows(today={"NL": 0}))
    page, om = tmp_path / "page.html", tmp_path / "om.txt"
    args = ["backtest", "--dsn", backend_dsn, "--config", str(config), "--from", "2026-11-28", "--to",
            TARGET.isoformat()]
    assert main([*args, "--html", str(page), "--openmetrics", str(om), "--format", "csv"]) == 0
    csv_lines = capsys.readouterr().out.splitlines()
    assert csv_lines[0].startswith("date,check,metric,segment,severity")
    assert any(line.startswith("2026-11-30,drop,orders,country=NL,critical") for line in csv_lines)
    assert "drop orders [country=NL]" in page.read_text()
    assert 'dmm_check_status{check="drop",job="daily_metrics_monitor",metric="orders",pipeline="daily_metrics",' \
           'segment="country=NL"} 2.0' in om.read_text()
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "  CRITICAL open orders, revenue [country=NL] down since 2026-11-30, day 1: 0 vs median 100 (frac 0.00) " \
           "on 2026-11-30\n  WARN open orders, revenue down since 2026-11-30, day 1:" in text  # the total: 100 of 201
    assert "  drop orders [country=NL]: 1 critical" in text
