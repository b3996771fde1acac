"""Every rule of the evaluation, with each boundary. Pure: no I/O."""

import math

import pytest

from exporter.config import Config, FactTable, TableRef, Thresholds
from exporter.judge import evaluate
from exporter.judge.drop_rule import classify
from exporter.judge.model import CheckName, Outcome, Severity
from tests.support.factories import HEALTHY, measurements, row, series

CONFIG = Config()
SPREAD_100_MAD_20 = [60, 80, 90, 100, 110, 120, 140]
SPREAD_100_MAD_1 = [98, 99, 99, 100, 101, 101, 102]


def check(evaluation, name, metric):
    found = [c for c in evaluation.checks if (c.name, c.metric) == (name, metric)]
    assert len(found) == 1, f"{name}/{metric}: {found}"
    return found[0]


def drop(metric, today, history, config=CONFIG):
    return check(evaluate(measurements(row(**{metric: today}), series(metric, history)), config), "drop", metric)


def test_healthy_day_is_ok_and_every_check_is_reported():
    ev = evaluate(measurements(row()), CONFIG)
    assert ev.severity is Severity.OK
    # no metric is judged for spikes; restated needs the ledger
    assert {c.name for c in ev.checks} == set(CheckName) - {CheckName.SPIKE, CheckName.RESTATED}
    # 1 row + 5 values + 1 traffic + 4 bounds + 2 coverage + 2 reconciliation + 8 drops
    assert len(ev.checks) == 23


@pytest.mark.parametrize("today,severity,z,frac", [
    (40, Severity.WARN, -3.0, 0.4),       # z exactly -3: inclusive
    (41, Severity.OK, -2.95, 0.41),        # just above -3
    (0, Severity.CRITICAL, -5.0, 0.0),     # z exactly -5: inclusive
    (1, Severity.WARN, -4.95, 0.01),       # just above -5
])
def test_z_boundaries_are_inclusive(today, severity, z, frac):
    result = drop("orders", today, SPREAD_100_MAD_20)
    assert (result.median, result.mad, result.baseline_days) == (100, 20, 7)
    assert result.z == pytest.approx(z)
    assert result.frac == pytest.approx(frac)
    assert result.severity is severity


@pytest.mark.parametrize("today,severity", [
    (60, Severity.OK),            # frac exactly 0.6: strict, no WARN
    (59.99, Severity.WARN),
    (30, Severity.WARN),          # frac exactly 0.3: strict, no CRITICAL
    (29.99, Severity.CRITICAL),
])
def test_frac_boundaries_are_strict(today, severity):
    result = drop("revenue", today, SPREAD_100_MAD_1)
    assert result.mad == 1
    assert result.z <= -5
    assert result.severity is severity


def test_both_conditions_are_needed():
    # frac far below 0.3 but z above -3 (noisy baseline): OK
    result = drop("sessions", 20, [10, 50, 100, 100, 150, 190, 300])
    assert result.frac == 0.2 and result.z > -3
    assert result.severity is Severity.OK


def test_spikes_are_never_alerted():
    assert drop("events", 10_000_000, SPREAD_100_MAD_20).severity is Severity.OK


def test_flat_baseline_lets_frac_decide():
    flat = [100] * 7
    low = drop("users", 29, flat)
    assert low.mad == 0 and low.z == -math.inf and low.severity is Severity.CRITICAL
    assert "flat baseline" in low.message
    assert drop("users", 50, flat).severity is Severity.WARN
    assert drop("users", 100, flat).z == 0.0
    assert drop("users", 101, flat).z == math.inf
    assert drop("users", 101, flat).severity is Severity.OK


@pytest.mark.parametrize("days,outcome", [(4, Outcome.NOT_EVALUATED), (5, Outcome.PASSED)])
def test_minimum_baseline_days(days, outcome):
    result = drop("events", 100_000, [100_000] * days)
    assert result.outcome is outcome
    if outcome is Outcome.NOT_EVALUATED:
        assert result.severity is Severity.WARN
        assert result.message == "insufficient history (4/7 days)"


def test_the_baseline_is_exactly_the_seven_days_before_d():
    """D-9 and D-8 (far below) and D itself never count: median 430 and MAD 20 of D-7 .. D-1, by hand."""
    history = series("orders", [10, 10, 400, 410, 420, 430, 440, 450, 460])  # D-9 .. D-1
    result = drop("orders", 430, [h["orders"] for h in history])
    assert (result.median, result.mad, result.baseline_days) == (430, 20, 7)


def test_null_baseline_days_are_not_usable():
    history = series("orders", [400, None, 400, "bad", 400, 400, float("nan")])
    result = drop("orders", 400, [h["orders"] for h in history])
    assert result.outcome is Outcome.NOT_EVALUATED and result.baseline_days == 4


def test_duplicate_baseline_days_are_left_out():
    ev = evaluate(measurements(row(), [row()] * 7), CONFIG)
    assert check(ev, "drop", "events").baseline_days == 7
    m = measurements(row(), [row()] * 7)
    duplicated = type(m)(m.target_date, m.rows[:1] + m.rows, m.fact_orders, m.fact_revenue)
    assert check(evaluate(duplicated, CONFIG), "drop", "events").baseline_days == 6


def test_rate_with_zero_denominator_is_left_out_of_the_baseline():
    history = [row(users=0)] * 2 + [row()] * 5
    result = check(evaluate(measurements(row(), history), CONFIG), "drop", "add_to_cart_rate")
    assert result.baseline_days == 5 and result.severity is Severity.OK
    assert result.value == pytest.approx(0.1)


@pytest.mark.parametrize("denominator", [0, None])
def test_undefined_rate_today_is_warn(denominator):
    ev = evaluate(measurements(row(checkout_users=denominator)), CONFIG)
    result = check(ev, "drop", "purchase_rate")
    assert result.outcome is Outcome.NOT_EVALUATED and result.severity is Severity.WARN
    assert result.value is None


def test_rate_drop_is_judged_like_a_volume():
    history = [row(checkout_users=1_000 + d) for d in (-20, -10, -5, 0, 5, 10, 20)]
    ev = evaluate(measurements(row(checkout_users=200, purchase_users=100)), CONFIG)
    assert check(ev, "drop", "checkout_rate").severity is Severity.CRITICAL  # flat history: 0.1 vs 0.5
    ev = evaluate(measurements(row(checkout_users=500, purchase_users=250), history), CONFIG)
    result = check(ev, "drop", "checkout_rate")
    assert result.frac == pytest.approx(0.5) and result.severity is Severity.WARN


@pytest.mark.parametrize("rows", [0, 2])
def test_missing_or_duplicated_row_is_critical_and_alone(rows):
    m = measurements(None if rows == 0 else row(), extra_today=max(0, rows - 1))
    ev = evaluate(m, CONFIG)
    assert [(c.name, c.severity) for c in ev.checks] == [("row_present", Severity.CRITICAL)]
    assert ev.daily_rows == rows
    assert ("grain" in ev.checks[0].message) == (rows == 2)


@pytest.mark.parametrize("metric", ["events", "users", "sessions", "orders", "revenue"])
@pytest.mark.parametrize("bad,words", [(None, "is NULL"), (-1, "is negative"), ("n/a", "is text"),
                                       (float("nan"), "is NaN")])
def test_invalid_base_metric_is_critical(metric, bad, words):
    ev = evaluate(measurements(row(**{metric: bad}), fact_orders=400, fact_revenue=24_000.0), CONFIG)
    result = check(ev, "valid_value", metric)
    assert result.severity is Severity.CRITICAL and words in result.message
    others = [c for c in ev.checks if c.name == "valid_value" and c.metric != metric]
    assert all(c.severity is Severity.OK for c in others)


def test_zero_value_is_valid():
    assert check(evaluate(measurements(row(sessions=0)), CONFIG), "valid_value", "sessions").severity is Severity.OK


def test_zero_orders_with_normal_traffic_is_critical():
    ev = evaluate(measurements(row(orders=0, revenue=0.0)), CONFIG)
    assert check(ev, "orders_with_traffic", "orders").severity is Severity.CRITICAL


def test_zero_orders_with_dropped_traffic_is_left_to_the_drop_checks():
    ev = evaluate(measurements(row(orders=0, revenue=0.0, events=1_000)), CONFIG)
    assert check(ev, "drop", "events").severity is Severity.CRITICAL
    assert check(ev, "orders_with_traffic", "orders").severity is Severity.OK


def test_zero_orders_and_zero_events_is_not_this_rule():
    ev = evaluate(measurements(row(orders=0, revenue=0.0, events=0)), CONFIG)
    assert check(ev, "orders_with_traffic", "orders").severity is Severity.OK


def test_zero_orders_with_short_history_uses_events_above_zero():
    ev = evaluate(measurements(row(orders=0, revenue=0.0), [row()] * 2), CONFIG)
    assert check(ev, "drop", "events").outcome is Outcome.NOT_EVALUATED
    assert check(ev, "orders_with_traffic", "orders").severity is Severity.CRITICAL


@pytest.mark.parametrize("model", ["first_click", "last_click"])
@pytest.mark.parametrize("kind,base", [("orders", 400), ("revenue", 24_000.0)])
def test_attribution_above_base_is_critical(model, kind, base):
    column = f"attributed_{kind}_{model}"
    at_base = check(evaluate(measurements(row(**{column: base})), CONFIG), "attribution_bound", column)
    assert at_base.severity is Severity.OK and at_base.difference == 0
    above = check(evaluate(measurements(row(**{column: base + 1})), CONFIG), "attribution_bound", column)
    assert above.severity is Severity.CRITICAL and above.difference == 1 and above.model == model


def test_attribution_coverage_below_minimum_is_warn():
    column = "attributed_orders_first_click"
    at_min = check(evaluate(measurements(row(**{column: 40})), CONFIG), "attribution_coverage", column)
    assert at_min.coverage == pytest.approx(0.1) and at_min.severity is Severity.OK
    below = check(evaluate(measurements(row(**{column: 39})), CONFIG), "attribution_coverage", column)
    assert below.coverage == pytest.approx(0.0975) and below.severity is Severity.WARN


def test_coverage_needs_orders():
    ev = evaluate(measurements(row(orders=0, revenue=0.0)), CONFIG)
    result = check(ev, "attribution_coverage", "attributed_orders_last_click")
    assert result.outcome is Outcome.NOT_EVALUATED and result.coverage is None


def test_reconciliation_of_orders_is_exact():
    ev = evaluate(measurements(row(), fact_orders=399), CONFIG)
    result = check(ev, "reconciliation", "orders")
    assert (result.value, result.expected, result.difference) == (400, 399, 1)
    assert result.severity is Severity.CRITICAL


@pytest.mark.parametrize("fact,severity", [(23_999.99, Severity.OK), (23_999.98, Severity.CRITICAL),
                                           (24_000.01, Severity.OK), (24_000.02, Severity.CRITICAL)])
def test_reconciliation_of_revenue_has_a_tolerance(fact, severity):
    result = check(evaluate(measurements(row(), fact_revenue=fact), CONFIG), "reconciliation", "revenue")
    assert result.severity is severity
    assert result.difference == pytest.approx(24_000.0 - fact)


def test_empty_fact_day_sums_to_zero():
    ev = evaluate(measurements(row(orders=0, revenue=0.0), fact_orders=0, fact_revenue=None), CONFIG)
    assert check(ev, "reconciliation", "revenue").severity is Severity.OK


def test_custom_thresholds_are_used():
    strict = Config(thresholds=Thresholds(warn_frac=0.9, warn_z=-1, critical_frac=0.8, critical_z=-2))
    assert drop("orders", 85, SPREAD_100_MAD_1, strict).severity is Severity.WARN
    assert drop("orders", 85, SPREAD_100_MAD_1).severity is Severity.OK


def test_classify_without_frac_is_ok():
    assert classify(-math.inf, None, Thresholds()) is Outcome.PASSED


def test_healthy_values_of_all_types_are_equal():
    from decimal import Decimal

    as_decimal = {k: Decimal(str(v)) for k, v in HEALTHY.items()}
    a = evaluate(measurements(row()), CONFIG)
    b = evaluate(measurements(as_decimal, [as_decimal] * 7), CONFIG)
    assert [(c.name, c.metric, c.outcome, c.value) for c in a.checks] == \
           [(c.name, c.metric, c.outcome, c.value) for c in b.checks]


@pytest.mark.parametrize("attributed, severity", [("24000.000000001", Severity.OK), ("24000.01", Severity.OK),
                                                  ("24000.011", Severity.CRITICAL), ("24000.02", Severity.CRITICAL)])
def test_attributed_revenue_has_the_money_tolerance(attributed, severity):
    """The same 0.01 as reconciliation, in exact decimal: float noise above the base is not a CRITICAL."""
    from decimal import Decimal

    column = "attributed_revenue_last_click"
    result = check(evaluate(measurements(row(**{column: Decimal(attributed)})), CONFIG), "attribution_bound", column)
    assert result.severity is severity


def test_attributed_orders_have_no_tolerance():
    column = "attributed_orders_first_click"
    assert check(evaluate(measurements(row(**{column: 401})), CONFIG), "attribution_bound",
                 column).severity is Severity.CRITICAL


def test_fact_rows_whose_revenue_is_all_null_are_critical():
    """400 fct_orders rows and sum(revenue) NULL: a broken fact table, never a 'not evaluated' warning."""
    from dataclasses import replace

    broken = replace(measurements(row()), fact_orders=400, fact_revenue=None)
    result = check(evaluate(broken, CONFIG), "reconciliation", "revenue")
    assert result.severity is Severity.CRITICAL
    assert result.message == ("fct_orders has 400 rows for 2026-11-25 but fct_orders sum(revenue) is NULL: "
                              "every revenue is NULL")


@pytest.mark.parametrize("metric", ["events", "orders", "revenue"])
def test_a_boolean_value_is_invalid_not_a_crash(metric):
    ev = evaluate(measurements(row(**{metric: True}), fact_orders=400, fact_revenue=24_000.0), CONFIG)
    result = check(ev, "valid_value", metric)
    assert result.severity is Severity.CRITICAL and result.message == f"{metric} is a boolean (True), not a number"


@pytest.mark.parametrize("today, text", [(59.99, "frac=0.5999"), (60, "frac=0.60"), (60.4, "frac=0.60")])
def test_the_printed_frac_never_contradicts_the_verdict(today, text):
    """frac strictly below 0.6 must not print as 0.60; exactly 0.6 may (it is not a WARN)."""
    history = [100, 100, 100, 100, 200, 200, 200]  # median 100, MAD 0 -> z = -inf below the median
    result = drop("orders", today, history)
    assert text in result.message
    assert result.severity is (Severity.WARN if today < 60 else Severity.OK)


def test_the_printed_z_never_contradicts_the_verdict():
    result = drop("orders", 40.8, SPREAD_100_MAD_20)  # z = -2.96: shown as -2.96, never -3.0
    assert "z=-2.96" in result.message and result.severity is Severity.OK


def test_messages_name_the_physical_table_and_column():
    custom = Config(daily_table=TableRef("kpi_daily", "marts"), columns=(("revenue", "rev_eur"),),
                    fact=FactTable(table=TableRef("orders_fact", "marts")))
    missing = evaluate(measurements(None), custom)
    assert missing.checks[0].message == "no marts.kpi_daily row for 2026-11-25"
    ev = evaluate(measurements(row(revenue=None), fact_orders=400, fact_revenue=24_000.0), custom)
    assert check(ev, "valid_value", "revenue").message == "revenue (marts.kpi_daily.rev_eur) is NULL"
    assert "vs marts.orders_fact count(*) 400" in check(ev, "reconciliation", "orders").message
