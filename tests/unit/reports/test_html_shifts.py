"""The backtest page draws accepted shifts and spike levels (pure: the SVG text, no browser)."""

from datetime import timedelta

from exporter.config import from_mapping
from exporter.judge.evaluate import evaluate_days
from exporter.judge.model import DayRow, History
from exporter.reports.html import page
from exporter.warehouse.demo_data import build
from tests.support.factories import DAY


def test_a_shift_is_a_line_on_its_day_and_spike_levels_are_drawn():
    wh = build("healthy", last_day=DAY, days=40, scale=0.1)
    shift = wh.last_day - timedelta(days=5)
    config = from_mapping({"calendar": {"shifts": [{"date": shift.isoformat(), "name": "new checkout",
                                                    "metrics": ["orders"]}]},
                           "metrics": {"overrides": {"revenue": {"direction": "both"}}}})
    rows = tuple(DayRow(r["event_date"], r) for r in wh.daily)
    days = [wh.last_day - timedelta(days=k) for k in range(9, -1, -1)]
    h = History(days[0], days[-1], rows, {d: (0, None) for d in days}, {})
    text = page(config, evaluate_days(h, config, days))
    orders = text.split('data-metric="orders"')[1].split("</section>")[0]
    revenue = text.split('data-metric="revenue"')[1].split("</section>")[0]
    assert f'id="shift-{shift}"' in orders and "accepted shift" in orders
    assert "shift-" not in revenue  # the shift names orders only
    assert "spike WARN level (median × 1.667)" in revenue and "spike CRITICAL level (median × 3.333)" in revenue
    assert "spike WARN level" not in orders
