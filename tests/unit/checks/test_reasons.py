"""Every check that is not evaluated says why (one reason), and the page reads the reason instead of guessing."""

from __future__ import annotations

from datetime import timedelta

from exporter.config import from_mapping
from exporter.judge import evaluate
from exporter.judge.model import CheckName, Outcome, Reason
from exporter.reports.check import document
from exporter.reports.days import INSUFFICIENT, NOT_EVALUATED, check_kind
from tests.support.factories import DAY, measurements, row


def test_too_little_history_is_insufficient_history_for_drops_and_spikes_alike():
    config = from_mapping({"metrics": {"overrides": {"orders": {"direction": "both"}}}})
    ev = evaluate(measurements(row(), [row(), row()]), config)
    short = [c for c in ev.checks if c.metric == "orders" and c.name in (CheckName.DROP, CheckName.SPIKE)]
    assert {c.name for c in short} == {CheckName.DROP, CheckName.SPIKE}
    assert {c.reason for c in short} == {Reason.INSUFFICIENT_HISTORY}
    assert {check_kind(c) for c in short} == {INSUFFICIENT}  # a spike too (the page guessed from drops only)


def test_statistics_that_are_not_finite_are_not_evaluated_not_insufficient_history():
    """Six days of 1.7e308: the even baseline's median overflows (two of them sum beyond the float limit)."""
    ev = evaluate(measurements(row(events=0), [row(events=1.7e308)] * 6), from_mapping({}))
    [orders] = [c for c in ev.checks if c.metric == "events" and c.name is CheckName.DROP]
    assert orders.outcome is Outcome.NOT_EVALUATED and orders.reason is Reason.NOT_FINITE
    assert check_kind(orders) == NOT_EVALUATED


def test_undefined_inputs_say_so_and_json_carries_the_reason():
    ev = evaluate(measurements(row(orders=None), [row()] * 7), from_mapping({}))
    reasons = {(c.name, c.metric): c.reason for c in ev.checks if c.outcome is Outcome.NOT_EVALUATED}
    assert reasons[(CheckName.DROP, "orders")] is Reason.UNDEFINED
    assert reasons[(CheckName.ORDERS_WITH_TRAFFIC, "orders")] is Reason.INVALID_INPUTS
    assert reasons[(CheckName.RECONCILIATION, "orders")] is Reason.INVALID_INPUTS
    checks = document(ev)["checks"]
    assert {c["reason"] for c in checks if c["outcome"] == "not_evaluated"} >= {"value undefined", "inputs invalid"}
    assert all("reason" not in c for c in checks if c["outcome"] != "not_evaluated")


def test_days_since_an_accepted_shift_are_start_up_days():
    shift = DAY - timedelta(days=2)
    config = from_mapping({"calendar": {"shifts": [{"date": shift.isoformat(), "name": "new checkout"}]}})
    ev = evaluate(measurements(row(), [row()] * 10), config)
    [orders] = [c for c in ev.checks if c.metric == "orders" and c.name is CheckName.DROP]
    assert orders.reason is Reason.SINCE_SHIFT and check_kind(orders) == INSUFFICIENT
