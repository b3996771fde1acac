"""Plain-data builders for the pure unit tests."""

from __future__ import annotations

from datetime import date, timedelta

from exporter.judge.model import DayRow, Measurements

DAY = date(2026, 11, 25)

HEALTHY = {
    "events": 100_000, "users": 20_000, "sessions": 30_000, "orders": 400, "revenue": 24_000.0,
    "add_to_cart_users": 2_000, "checkout_users": 1_000, "purchase_users": 400,
    "attributed_orders_first_click": 340, "attributed_revenue_first_click": 20_000.0,
    "attributed_orders_last_click": 360, "attributed_revenue_last_click": 21_000.0,
}


def row(**overrides) -> dict:
    return {**HEALTHY, **overrides}


def measurements(today: dict | None = None, history: list[dict] | None = None, fact_orders=None,
                 fact_revenue=None, day: date = DAY, extra_today: int = 0) -> Measurements:
    """Today's row (None: missing) after a history (oldest first, default 7 healthy days).

    The fact aggregate defaults to matching today's orders and revenue.
    """
    history = [row() for _ in range(7)] if history is None else history
    rows = [DayRow(day - timedelta(days=len(history) - i), values) for i, values in enumerate(history)]
    if today is not None:
        rows += [DayRow(day, today)] * (1 + extra_today)
        fact_orders = today["orders"] if fact_orders is None else fact_orders
        fact_revenue = today["revenue"] if fact_revenue is None else fact_revenue
    return Measurements(day, tuple(rows), fact_orders, fact_revenue)


def series(metric: str, values: list) -> list[dict]:
    """Healthy history rows whose `metric` takes the given values."""
    return [row(**{metric: v}) for v in values]
