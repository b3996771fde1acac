"""The backtest's page, opened in a real browser (Debian's headless Chromium): ribbon, incidents, charts.

The history is the demo's 90 days (an orders drop on the last), with one day's row deleted, one day's revenue
NULL and one known event, the three things a trend view used to hide.
"""

import re
from datetime import date, timedelta

import pytest
import yaml

from exporter.cli import main
from exporter.config import Config
from exporter.warehouse.demo_data import build
from tests.support import db
from tests.support.browser import chromium

pytestmark = pytest.mark.binaries

FIRST, LAST = date(2026, 8, 28), date(2026, 11, 25)
MISSING, NULL_REVENUE, EVENT = date(2026, 10, 15), date(2026, 11, 5), date(2026, 10, 30)
CRITICAL_DAYS = [MISSING, NULL_REVENUE, LAST]
"""By construction: no row, revenue NULL, orders and revenue at 15 % of normal."""
START_UP = [FIRST + timedelta(days=n) for n in range(5)]
"""Fewer than min_days (5) usable baseline days: not evaluated."""


def history(path) -> None:
    """The demo's orders_drop warehouse with a missing day and a NULL revenue day."""
    wh = build("orders_drop", last_day=LAST, days=90)
    daily = [dict(r, revenue=None) if r["event_date"] == NULL_REVENUE else r
             for r in wh.daily if r["event_date"] != MISSING]
    db.write_warehouse(db.parse_dsn(f"sqlite:///{path}"), daily, list(wh.orders))


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    history(tmp / "demo.sqlite")
    config = tmp / "dmm.yaml"
    config.write_text(yaml.safe_dump({"metrics": {"currency": "EUR"},
                                      "calendar": {"events": [{"date": EVENT.isoformat(), "name": "Autumn sale"}]}}))
    path = tmp / "backtest.html"
    assert main(["backtest", "--dsn", f"sqlite:///{tmp / 'demo.sqlite'}", "--config", str(config),
                 "--from", FIRST.isoformat(), "--to", LAST.isoformat(), "--html", str(path),
                 "--output", str(tmp / "report.txt")]) == 0
    return path


@pytest.fixture(scope="module")
def dom(page, tmp_path_factory):
    result = chromium(page, tmp_path_factory.mktemp("chromium"), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert not [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    return result.stdout


def test_the_page_needs_no_network(page):
    text = page.read_text()
    assert "<script" not in text and not re.search(r'(src|href)="(https?:)?//', text)
    assert text.count('<section class="chart"') == len(Config().drop_metrics) == 8


def test_the_ribbon_has_a_cell_per_day_with_its_date(dom):
    cells = re.findall(r'<rect class="day ([\w-]+)" data-date="([\d-]+)"[^>]*><title>([^<]*)</title>', dom)
    assert [d for _, d, _ in cells] == [(FIRST + timedelta(days=n)).isoformat() for n in range(90)]
    kinds = {date.fromisoformat(d): kind for kind, d, _ in cells}
    assert sorted(d for d, k in kinds.items() if k == "critical") == CRITICAL_DAYS
    assert [d for d, k in kinds.items() if k == "not-evaluated"] == START_UP
    assert kinds[EVENT] == "known-event"
    assert all(title.startswith(d) for _, d, title in cells)
    assert f"{LAST} Wed: CRITICAL: drop orders, drop purchase_rate, drop revenue" in dom


def test_the_day_list_opens_with_the_critical_days(dom):
    section = dom[dom.index('<section id="days"'):dom.index('<h2>Charts')]
    listed = re.findall(r'<li class="([\w-]+)" id="day-[\d-]+" data-date="([\d-]+)">', section)
    assert listed[:3] == [("critical", d.isoformat()) for d in CRITICAL_DAYS]
    assert [d for k, d in listed if k == "not-evaluated"] == [d.isoformat() for d in START_UP]
    assert re.search(r"drop orders: critical, [\d,.]+ vs median [\d,.]+ \(z=-[\d.]+, frac=0\.1\d\)", section)
    assert "drop events, users, sessions, orders, revenue, add_to_cart_rate, checkout_rate, purchase_rate: " \
           "insufficient history (0/7 days)" in section  # the first day: one line, not eight
    assert "row_present daily_metrics: critical" in section and "valid_value revenue: critical" in section


def test_the_summary_separates_too_little_history_from_real_drops(dom):
    table = dom[dom.index('<table id="checks"'):]
    row = re.search(r"<td>drop</td><td>revenue</td>((?:<td[^>]*>\d+</td>){4})", table)
    # critical, warn, insufficient history, not evaluated: the last day; none; the 5 start-up days; the NULL day
    assert re.findall(r">(\d+)<", row[1]) == ["1", "0", "5", "1"]


def test_every_chart_is_drawn_with_a_gap_marked_on_the_missing_day(dom):
    charts = re.findall(r'<section class="chart" data-metric="(\w+)">\s*<svg', dom)
    assert charts == list(Config().drop_metrics)
    for metric in charts:
        assert f'id="gap-{metric}-{MISSING}"' in dom
        value = re.search(rf'<g id="value-{metric}">\s*<path d="([^"]*)"', dom)
        assert value and value[1].count("M") >= 2, metric  # the line breaks
        assert f'id="event-{EVENT}"' in dom
    assert f'id="gap-revenue-{NULL_REVENUE}"' in dom and "no row" in dom and "no value" in dom
    assert "revenue per day (EUR)" in dom and "orders per day" in dom and "purchase_rate (% per day)" in dom
    assert "not evaluated: insufficient history" in dom and "known event" in dom


def test_chromium_draws_the_page(page, tmp_path):
    shot = tmp_path / "page.png"
    result = chromium(page, tmp_path, "--window-size=1280,2600", f"--screenshot={shot}")
    assert result.returncode == 0 and shot.stat().st_size > 50_000  # a drawn page, not a blank one
