"""`demo --segments`: the segmented demo warehouse (a row per day and country), its scenarios, its CLI and writer."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from exporter.config import Config, Segments
from exporter.warehouse.demo_data import COUNTRIES, SCENARIOS, SEGMENT_SCENARIOS, build
from exporter.warehouse.demo_writer import write_warehouse

ROOT = Path(__file__).resolve().parents[3]
DAY = date(2026, 11, 25)
CODES = [code for code, _ in COUNTRIES]
ORDERS = ("orders", "purchase_users", "revenue", "attributed_orders_first_click", "attributed_revenue_first_click",
          "attributed_orders_last_click", "attributed_revenue_last_click")
TRAFFIC = ("events", "users", "sessions", "add_to_cart_users", "checkout_users")


def segmented(scenario: str = "healthy"):
    return build(scenario, last_day=DAY, days=30, scale=0.5, segments=True)


def by_key(rows) -> dict:
    return {(r["event_date"], r["country"]): r for r in rows}


def test_five_countries_a_day_in_their_shares_and_no_total_row():
    wh = segmented()
    assert [r["country"] for r in wh.daily] == CODES * 30
    events = sum(r["events"] for r in wh.daily)
    for code, share in COUNTRIES:
        mine = sum(r["events"] for r in wh.daily if r["country"] == code)
        assert mine / events == pytest.approx(share, abs=0.005)
    assert sum(share for _, share in COUNTRIES) == pytest.approx(1.0)
    unsegmented = build("healthy", last_day=DAY, days=30, scale=0.5)
    assert events == pytest.approx(sum(r["events"] for r in unsegmented.daily), rel=0.03)


def test_every_country_has_a_funnel_attribution_and_revenue():
    for row in segmented().daily:
        assert row["events"] > row["sessions"] > row["users"] > row["add_to_cart_users"] > row["checkout_users"]
        assert 0 < row["attributed_orders_first_click"] <= row["attributed_orders_last_click"] <= row["orders"]
        assert row["revenue"] > row["attributed_revenue_last_click"] > 0


def test_fact_rows_carry_the_country_and_sum_to_the_daily_rows():
    wh = segmented()
    counts, revenue = Counter(), Counter()
    for order in wh.orders:
        counts[order["order_date"], order["country"]] += 1
        revenue[order["order_date"], order["country"]] += order["revenue"]
    for key, row in by_key(wh.daily).items():
        assert (counts[key], revenue[key]) == (row["orders"], row["revenue"])
    assert len({o["order_id"] for o in wh.orders}) == len(wh.orders)


def test_deterministic_and_the_unsegmented_build_unchanged():
    assert segmented() == segmented()
    assert build("healthy", last_day=DAY, days=30, scale=0.5, segments=True, seed=8) != segmented()
    wh = build("healthy", last_day=DAY, days=30, scale=0.2)  # the digest of the build before segments existed
    assert hashlib.sha256(repr((wh.daily, wh.orders)).encode()).hexdigest()[:16] == "8b2acd4dfe33f62e"
    assert "country" not in wh.daily[0] and "country" not in wh.orders[0]


def test_segment_scenarios_need_segments():
    assert set(SEGMENT_SCENARIOS) <= set(SCENARIOS)
    for name in SEGMENT_SCENARIOS:
        with pytest.raises(ValueError, match="needs segments"):
            build(name, last_day=DAY, days=30)


def test_segment_outage_empties_lu_on_the_target_day_only():
    healthy, outage = by_key(segmented().daily), by_key(segmented("segment_outage").daily)
    assert healthy.keys() == outage.keys()
    struck = (DAY, "LU")
    assert {k: v for k, v in outage.items() if k != struck} == {k: v for k, v in healthy.items() if k != struck}
    assert all(outage[struck][name] == 0 for name in ORDERS)
    assert all(outage[struck][name] == healthy[struck][name] for name in TRAFFIC)
    orders = segmented("segment_outage").orders
    assert not [o for o in orders if (o["order_date"], o["country"]) == struck]
    assert list(orders) == [o for o in segmented().orders if (o["order_date"], o["country"]) != struck]


def test_segment_vanished_removes_lu_s_row_and_orders_on_the_target_day():
    healthy, vanished = segmented(), segmented("segment_vanished")
    struck = (DAY, "LU")
    assert by_key(vanished.daily) == {k: v for k, v in by_key(healthy.daily).items() if k != struck}
    assert list(vanished.orders) == [o for o in healthy.orders if (o["order_date"], o["country"]) != struck]


def test_the_other_scenarios_strike_every_country():
    healthy = by_key(segmented().daily)
    drop = by_key(segmented("orders_drop").daily)
    for code in CODES:
        assert drop[DAY, code]["orders"] <= healthy[DAY, code]["orders"] * 0.2
    missing = segmented("missing_day")
    assert {r["event_date"] for r in missing.daily} == {r["event_date"] for r in segmented().daily} - {DAY}
    assert {o["country"] for o in missing.orders if o["order_date"] == DAY} == set(CODES)
    mismatch = segmented("reconciliation_mismatch")
    counts = Counter(o["country"] for o in mismatch.orders if o["order_date"] == DAY)
    assert all(counts[code] < by_key(mismatch.daily)[DAY, code]["orders"] for code in CODES)


def test_the_writer_gives_both_tables_a_country_column(tmp_path):
    wh = segmented("segment_vanished")
    url = sa.engine.make_url(f"sqlite:///{tmp_path / 'wh.sqlite'}")
    write_warehouse(url, list(wh.daily), list(wh.orders))
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        for table in ("daily_metrics", "fct_orders"):
            assert "country" in [c["name"] for c in inspector.get_columns(table)], table
        with engine.connect() as conn:
            daily = conn.execute(sa.text("SELECT country, count(*) FROM daily_metrics WHERE event_date = :d "
                                         "GROUP BY country"), {"d": DAY}).all()
            fact = conn.execute(sa.text("SELECT country, count(*), sum(revenue) FROM fct_orders "
                                        "WHERE order_date = :d GROUP BY country ORDER BY country"), {"d": DAY}).all()
    finally:
        engine.dispose()
    assert sorted(code for code, _ in daily) == sorted(set(CODES) - {"LU"})
    expected = by_key(wh.daily)
    assert [(c, n, Decimal(str(s)).quantize(Decimal("0.01"))) for c, n, s in fact] == sorted(
        (c, expected[DAY, c]["orders"], expected[DAY, c]["revenue"]) for c in CODES if c != "LU")


def test_the_demo_s_segmented_config_is_the_defaults_plus_country():
    import argparse

    from exporter.cli.context import Run
    from exporter.cli.demo import _segmented

    config = _segmented(Run(argparse.Namespace(segments=True, config=None), demo=True))
    assert config == replace(Config(), segments=Segments(("country",), fact_columns=(("country", "country"),)))
    assert _segmented(Run(argparse.Namespace(segments=False, config=None), demo=True)) is None


def _demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exporter", "demo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("name", sorted(SEGMENT_SCENARIOS))
def test_the_cli_refuses_a_segment_scenario_without_segments(name):
    done = _demo("--scenario", name, "--no-push")
    assert done.returncode == 2
    assert done.stderr == f"daily-metrics-monitor: error: scenario {name} needs --segments (it strikes one country " \
                          "of the segmented demo)\n"
    assert done.stdout == ""


def test_the_cli_refuses_a_config_without_segments(tmp_path):
    config = tmp_path / "plain.yaml"
    config.write_text("fail_on: critical\n")
    done = _demo("--segments", "--config", str(config), "--no-push", "--path", str(tmp_path / "demo.sqlite"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"daily-metrics-monitor: error: demo --segments: the config {config} has no segments " \
                          "section\n"
    assert not (tmp_path / "demo.sqlite").exists()


def test_list_scenarios_says_which_need_segments():
    lines = _demo("--list-scenarios").stdout.splitlines()
    assert len(lines) == len(SCENARIOS)
    for name in SCENARIOS:
        line = next(line for line in lines if line.split()[0] == name)
        assert line.endswith("(needs --segments)") == (name in SEGMENT_SCENARIOS)
