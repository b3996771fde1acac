"""The demo warehouse's rows: weekly seasonality, noise, one scenario per failure class, optionally one row per
country. Pure (numpy), no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

SEGMENT_SCENARIOS = {  # only with segments: they strike one country
    "segment_outage": "LU loses every order on the target day: only that segment is CRITICAL, the total stays OK",
    "segment_vanished": "LU has no daily_metrics row and no orders on the target day",
}
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
    **SEGMENT_SCENARIOS,
}
PERSISTENT_DAYS = 6
COUNTRIES = (("DE", 0.40), ("FR", 0.25), ("NL", 0.15), ("BE", 0.12), ("LU", 0.08))
"""The segmented demo's countries and their shares of the traffic: losing all of LU drops the total by 8%."""
STRUCK = COUNTRIES[-1][0]  # the smallest, and the last drawn: striking it changes no other row

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


def build(scenario: str = "healthy", last_day: date | None = None, days: int = 90, scale: float = 1.0,
          seed: int = 7, profile: str = "shop", segments: bool = False) -> Warehouse:
    """`days` days ending on `last_day` (default: today - 1), the scenario applied to the last one;
    `segments`: one daily row per day and country (COUNTRIES, no total row), fct_orders with the country."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    if scenario in SEGMENT_SCENARIOS and not segments:
        raise ValueError(f"scenario {scenario!r} needs segments")
    season = PROFILES[profile]
    last_day = last_day or date.today() - timedelta(days=1)
    if scenario == "insufficient_history":
        days = 4
    rng = np.random.default_rng(seed)
    daily, orders = [], []
    for i in range(days):
        day = last_day - timedelta(days=days - 1 - i)
        hit = day == last_day or (scenario == "persistent_drop" and i >= days - PERSISTENT_DAYS)
        for country, share in COUNTRIES if segments else ((None, 1.0),):
            row, facts = _rows(rng, day, country, scale * season[day.weekday()] * share,
                               scenario if hit else "healthy")
            daily += [] if row is None else [row]
            orders += facts
    return Warehouse(tuple(daily), tuple(orders), last_day)


def _rows(rng, day: date, country: str | None, scale: float, scenario: str) -> tuple[dict | None, list[dict]]:
    """The day's daily_metrics row (None when the scenario removes it) and fct_orders rows, of one country or all."""
    key = {"event_date": day} if country is None else {"event_date": day, "country": country}
    struck = country == STRUCK
    if scenario in SEGMENT_SCENARIOS:  # the other countries are healthy; LU's outage is zero_orders
        row, cents = _day(rng, key, scale, "zero_orders" if struck and scenario == "segment_outage" else "healthy")
    else:
        row, cents = _day(rng, key, scale, scenario)
    if scenario == "reconciliation_mismatch":
        cents = cents[: len(cents) - max(1, len(cents) // 20)]
    vanished = struck and scenario == "segment_vanished"
    if vanished:
        cents = []
    prefix = f"{day:%Y%m%d}-" if country is None else f"{day:%Y%m%d}-{country}-"
    where = {} if country is None else {"country": country}
    facts = [{"order_id": f"{prefix}{n:05d}", "order_date": day, **where, "revenue": Decimal(c) / 100}
             for n, c in enumerate(cents)]
    return (None if scenario == "missing_day" or vanished else row), facts


def _day(rng, key: dict, scale: float, scenario: str) -> tuple[dict, list[int]]:
    """One row of daily_metrics for `key` (its day, and country) and the cents of its orders."""
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
        **key, "events": events, "users": users, "sessions": sessions,
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

