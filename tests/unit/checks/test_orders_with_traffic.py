"""orders_with_traffic at its edges: no traffic at all is no missing orders, one event with no orders is."""

import numpy as np
import pytest

from exporter.checks.orders_with_traffic import orders_with_traffic, rule
from exporter.config import Config
from exporter.judge import evaluate
from exporter.judge.model import Outcome
from tests.support.factories import measurements, row


def test_no_events_and_no_orders_with_short_history_is_no_missing_orders():
    """events = 0, orders = 0, 3 days of history: nothing tracked at all is no 'orders = 0 while traffic is normal'.

    Kills `events > 0` -> `events >= 0` in orders_with_traffic (the events drop is not evaluated, so traffic
    counts as normal).
    """
    ev = evaluate(measurements(row(events=0, orders=0, revenue=0.0, attributed_orders_first_click=0,
                                   attributed_revenue_first_click=0.0, attributed_orders_last_click=0,
                                   attributed_revenue_last_click=0.0), [row() for _ in range(3)]), Config())
    check = next(c for c in ev.checks if c.name == "orders_with_traffic")
    assert (check.outcome, check.message) == (Outcome.PASSED, "no orders, but traffic is not normal either")
    assert with_normal_traffic(0, 0).outcome is Outcome.PASSED
    assert with_normal_traffic(0, 1).outcome is Outcome.FAILED


def with_normal_traffic(orders: int, events: int):
    """The check's rule and its result on one day whose traffic did not drop."""
    code = int(rule(np.array([float(orders)]), np.array([float(events)]), np.array([True]))[0])
    return orders_with_traffic({"orders": orders, "events": events}, "events", code)


@pytest.mark.parametrize("events,expected", [(0, Outcome.PASSED), (1, Outcome.FAILED)])
def test_orders_with_traffic_at_the_events_edge(events, expected):
    assert with_normal_traffic(0, events).outcome is expected
