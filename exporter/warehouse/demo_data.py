"""The demo warehouse's rows: weekly seasonality, noise, one scenario per failure class. Pure (numpy), no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

SCENARIOS = {
    "healthy": "every check passes",
    "missing_day": "no daily_metrics row for the target day",
    "null_revenue": "revenue is NULL on the target day",
    "zero_orders": "orders = 0 while traffic is normal (tracking of orders broke)",
    "over_attribution": "last-click attributed orders exceed orders",
    "coverage_collapse": "first-click attribution covers only 3% of orders",
    "orders_drop": "orders and revenue fell to 15% of normal",
    "checkout_rate_drop": "checkout rate fell to about 45% of normal (a WARN)",
    "reconciliation_mismatch": "fct_orders lost 5% of the target day's orders after aggregation",
    "insufficient_history": "only 3 days of history before the target day",
    "persistent_drop": "orders and revenue at 35% of normal for the last 6 days (a loss that stays)",
}
PERSISTENT_DAYS = 6

PROFILES = {  # traffic by weekday, Monday .. Sunday
    "shop": (1.05, 1.08, 1.06, 1.04, 0.98, 0.82, 0.80),  # the demo's default: quieter weekends
    "retail": (1.0, 1.0, 1.0, 1.0, 1.0, 1.15, 1.15),  # busier weekends
    "b2b": (1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.35),  # offices closed at the weekend
}


@dataclass(frozen=True)
class Warehouse:
    """Rows for daily_metrics and fct_orders; the check runs on `last_day`."""

    daily: tuple[dict, ...]
    orders: tuple[dict, ...]
    last_day: date


def build(scenario: str = "healthy", last_day: date | None = None, days: int = 90,
          scale: float = 1.0, seed: int = 7, profile: str = "shop") -> Warehouse:
    """`days` days ending on `last_day` (default: today - 1), the scenario applied to the last one."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    season = PROFILES[profile]
    last_day = last_day or date.today() - timedelta(days=1)
    if scenario == "insufficient_history":
        days = 4
    rng = np.random.default_rng(seed)
    daily, orders = [], []
    for i in range(days):
        day = last_day - timedelta(days=days - 1 - i)
        last = day == last_day
        hit = last or (scenario == "persistent_drop" and i >= days - PERSISTENT_DAYS)
        row, cents = _day(rng, day, scale * season[day.weekday()], scenario if hit else "healthy")
        if last and scenario == "reconciliation_mismatch":
            cents = cents[: len(cents) - max(1, len(cents) // 20)]
        if not (last and scenario == "missing_day"):
            daily.append(row)
        orders += [{"order_id": f"{day:%Y%m%d}-{n:05d}", "order_date": day, "revenue": Decimal(c) / 100}
                   for n, c in enumerate(cents)]
    return Warehouse(tuple(daily), tuple(orders), last_day)


def _day(rng, day: date, scale: float, scenario: str) -> tuple[dict, list[int]]:
    season = rng.normal(1.0, 0.03)
    events = int(60_000 * scale * season)
    sessions = int(events * rng.normal(0.25, 0.005))
    users = int(sessions * rng.normal(0.70, 0.01))
    add_to_cart = int(users * rng.normal(0.12, 0.004))
    checkout_rate = rng.normal(0.45, 0.01) * (0.45 if scenario == "checkout_rate_drop" else 1.0)
    checkout = int(add_to_cart * checkout_rate)
    purchase = int(min(checkout, add_to_cart * 0.45) * rng.normal(0.55, 0.015))
    n_orders = int(purchase * 1.02)
    if scenario == "orders_drop":
        n_orders, purchase = int(n_orders * 0.15), int(purchase * 0.15)
    if scenario == "persistent_drop":
        n_orders, purchase = int(n_orders * 0.35), int(purchase * 0.35)
    if scenario == "zero_orders":
        n_orders = purchase = 0
    cents = [int(c) for c in np.round(rng.lognormal(np.log(5_500), 0.5, n_orders))] if n_orders else []
    revenue = Decimal(sum(cents)) / 100
    first, last = _attributed(n_orders, cents, 0.85), _attributed(n_orders, cents, 0.92)
    if scenario == "coverage_collapse":
        first = _attributed(n_orders, cents, 0.03)
    if scenario == "over_attribution":
        last = (n_orders + 25, last[1])
    row = {
        "event_date": day, "events": events, "users": users, "sessions": sessions,
        "orders": n_orders, "revenue": None if scenario == "null_revenue" else revenue,
        "add_to_cart_users": add_to_cart, "checkout_users": checkout, "purchase_users": purchase,
        "attributed_orders_first_click": first[0], "attributed_revenue_first_click": first[1],
        "attributed_orders_last_click": last[0], "attributed_revenue_last_click": last[1],
    }
    return row, cents


def _attributed(n_orders: int, cents: list[int], share: float) -> tuple[int, Decimal]:
    """The first `share` of the day's orders are attributed: their count and revenue."""
    k = int(n_orders * share)
    return k, Decimal(sum(cents[:k])) / 100

