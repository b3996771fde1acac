"""A segmented spike metric judged as counts (issue 27) on SQLite, DuckDB, PostgreSQL and MariaDB, by hand.

Refunds (direction spike) are flat at NL 4, DE 1, FR 2 a day (the total 7); orders 100, 50, 20, revenue 10 x
orders. On the target day NL has 16 refunds, DE 3, FR 2 (the total 21). Under `statistic: auto` the segments
and the spike-only metric's total are counts; a flat baseline (MAD 0) is Poisson at its median:
  P(X >= 21 | 7) = 1.4495e-5, P(X >= 16 | 4) = 4.8926e-6, P(X >= 3 | 1) = 0.080301, FR 2 of 2 is no rise
  (Σ e^-μ μ^k / k! written out). Bonferroni over the 3 metrics judged as counts (orders, revenue, refunds): x 3.
  Benjamini-Hochberg over the day's 4 refunds tests (total, NL, DE, FR): NL 1.4678e-5 x 4 / 1 = 5.8711e-5,
  total 4.3486e-5 x 4 / 2 = 8.6972e-5, DE 0.24090 x 4 / 3 = 0.32121, FR 1.
  z = -Φ⁻¹(p) / 0.6745: NL 5.7102 (frac 4 > 3.333: CRITICAL), total 5.5659 (frac 3: WARN), DE 0.6884 (OK: the
  seed's rule made 1 -> 3 a WARN on frac alone, z +inf), FR 0.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from exporter.config import load
from exporter.judge import evaluate
from exporter.judge.backtest import backtest
from exporter.warehouse.demo_writer import write_warehouse
from exporter.warehouse.read import measure, measure_range
from tests.support import db

DAY = date(2026, 11, 30)
BASE = {"NL": (100, 4), "DE": (50, 1), "FR": (20, 2)}
TODAY = {"NL": 16, "DE": 3, "FR": 2}
CONFIG = """daily_metrics: {{table: {table}}}
fct_orders: null
metrics:
  volume: [orders, revenue, refunds]
  rates: {{}}
  attribution_models: {{}}
  traffic: null
  overrides: {{refunds: {{direction: spike}}}}
segments: {{columns: [country], min_share: 0}}
"""


@pytest.fixture
def config(backend_dsn, tmp_path):
    table = "cnt_" + tmp_path.name[-8:].replace("-", "_").lower()
    daily = [{"event_date": DAY - timedelta(days=k), "country": country, "orders": orders, "revenue": 10 * orders,
              "refunds": TODAY[country] if k == 0 else refunds}
             for k in range(40, -1, -1) for country, (orders, refunds) in BASE.items()]
    url = db.parse_dsn(backend_dsn)
    write_warehouse(url, daily, [], table, table + "_f")
    path = tmp_path / "counts.yaml"
    path.write_text(CONFIG.format(table=table))
    yield url, load(path)
    db.drop_tables(url, table, table + "_f")


def spikes(evaluation):
    return {(c.segment.label if c.segment else "total"): c for c in evaluation.checks if c.name == "spike"}


def test_a_segmented_spike_metric_is_judged_as_counts(config):
    url, c = config
    found = spikes(evaluate(measure(url, c, DAY), c))
    expected = {"total": ("warned", 5.5659, 3.0), "country=NL": ("failed", 5.7102, 4.0),
                "country=DE": ("passed", 0.6884, 3.0), "country=FR": ("passed", 0.0, 1.0)}
    assert {k: (v.outcome.value, round(v.z, 4), v.frac) for k, v in found.items()} == expected
    assert found["country=NL"].message == "16 vs median 4 (p=5.9e-05, z=5.7, frac=4.00)"
    assert found["country=DE"].message == "within normal range (3 vs median 1, p=0.32, z=0.7, frac=3.00)"


def test_its_backtest_is_the_check_of_each_day(config):
    url, c = config
    history = backtest(measure_range(url, c, DAY - timedelta(days=3), DAY), c)
    for e in history:
        assert e == evaluate(measure(url, c, e.target_date), c), e.target_date
    assert [spikes(e)["country=NL"].outcome.value for e in history] == ["passed"] * 3 + ["failed"]


def test_the_job_s_exit_and_text_on_the_spike(config, capsys, backend_dsn):
    from exporter.cli import main

    url, c = config
    assert main(["check", "--dsn", backend_dsn, "--config", c.source, "--date", DAY.isoformat(), "--no-push"]) == 1
    out = capsys.readouterr().out
    assert "[CRITICAL] spike refunds [country=NL]: 16 vs median 4 (p=5.9e-05, z=5.7, frac=4.00)" in out
    assert "[WARN] spike refunds: 21 vs median 7 (p=8.7e-05, z=5.6, frac=3.00)" in out
    assert sa.make_url(str(url)).get_backend_name() in {"sqlite", "duckdb", "postgresql", "mysql"}
