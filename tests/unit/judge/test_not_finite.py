"""Statistics that are not finite (overflow, NaN, inf from a division) end as not evaluated, never OK (pure)."""

import math
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import generate_latest

from exporter.config import Config
from exporter.judge import evaluate
from exporter.judge.model import Outcome, Severity
from exporter.publish.gauges import RunInfo, build_registry
from tests.support.factories import measurements, row, series
from tests.support.services import samples

HUGE = 1.7e308  # two of them sum beyond the float limit (1.797e308): the median of an even baseline overflows


def drop_of(evaluation, metric):
    return next(c for c in evaluation.checks if (c.name, c.metric) == ("drop", metric))


def test_an_even_baseline_whose_middle_values_overflow_is_not_evaluated():
    """The review's case: six days of events = 1.7e308, 0 today; was `[OK] … median inf, z=nan`."""
    ev = evaluate(measurements(row(events=0), series("events", [HUGE] * 6)), Config())
    drop = drop_of(ev, "events")
    assert drop.outcome is Outcome.NOT_EVALUATED and drop.severity is Severity.WARN
    assert drop.message == ("not evaluated: the baseline's statistics are not finite (median inf, MAD inf): "
                            "its values are too large to compute with")
    assert (drop.median, drop.mad, drop.z, drop.frac, drop.baseline_days) == (None, None, None, None, 6)


def test_the_gauges_say_not_evaluated_and_carry_no_overflowed_number():
    ev = evaluate(measurements(row(events=0), series("events", [HUGE] * 6)), Config())
    found = samples(generate_latest(build_registry(Config(), RunInfo(1.0, 2.0), ev)).decode())
    assert found[("dmm_check_evaluated", ("check", "drop"), ("metric", "events"))] == 0
    assert found[("dmm_check_status", ("check", "drop"), ("metric", "events"))] == 1
    for family in ("dmm_zscore", "dmm_baseline_median", "dmm_baseline_mad", "dmm_fraction_of_median_ratio"):
        assert (family, ("metric", "events")) not in found


def test_a_z_that_overflows_from_a_finite_baseline_is_a_verdict():
    """Median 1 + 2e, MAD e (e = 2.2e-16, both finite): z of 1e300 is +inf, beyond every threshold, not NaN."""
    e = 2.220446049250313e-16
    history = [1 + k * e for k in range(5)]
    drop = drop_of(evaluate(measurements(row(events=1e300), series("events", history)), Config()), "events")
    assert drop.outcome is Outcome.PASSED and drop.z == math.inf  # a rise: never a drop


def test_a_flat_baseline_keeps_its_infinite_z():
    """MAD 0 is no overflow: z = -inf, frac decides (README: flat baseline)."""
    drop = drop_of(evaluate(measurements(row(orders=10), series("orders", [400] * 7)), Config()), "orders")
    assert drop.outcome is Outcome.FAILED and drop.z == -math.inf


near_limit = st.floats(min_value=0, max_value=sys.float_info.max, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(history=st.lists(st.one_of(near_limit, st.sampled_from([HUGE, sys.float_info.max, 5e-324])),
                        min_size=5, max_size=7),  # the 7-day window: all of them are the baseline
       today=st.one_of(near_limit, st.sampled_from([0.0, HUGE])))
def test_no_judged_drop_rests_on_a_number_that_is_not_finite(history, today):
    """Up to the float limit: a judged drop has a finite median and MAD and a z and frac that are numbers
    (infinite at most: beyond every threshold), never NaN; else it is not evaluated and says why."""
    drop = drop_of(evaluate(measurements(row(events=today), series("events", history)), Config()), "events")
    if drop.outcome is Outcome.NOT_EVALUATED:
        assert drop.z is None and drop.median is None
        return
    assert math.isfinite(drop.median) and math.isfinite(drop.mad)
    assert not math.isnan(drop.z) and (drop.frac is None or not math.isnan(drop.frac))


def test_a_coverage_that_overflows_is_not_evaluated():
    """340 attributed orders over 5e-324 orders: the ratio is inf; was `[OK] … coverage inf% at or above`."""
    ev = evaluate(measurements(row(orders=5e-324), fact_orders=5e-324), Config())
    check = next(c for c in ev.checks
                 if (c.name, c.metric) == ("attribution_coverage", "attributed_orders_first_click"))
    assert check.outcome is Outcome.NOT_EVALUATED and check.coverage is None
    assert check.message == "not evaluated: the coverage is not finite (values too large to compare)"
