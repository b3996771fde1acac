"""Property-based tests of the evaluation: it never raises, every check has a severity, drops are monotone."""

import json
from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.config import Config
from exporter.judge import evaluate
from exporter.judge.model import DayRow, Measurements, Severity
from exporter.reports.check import text, to_json
from tests.support.factories import DAY, HEALTHY, measurements, row, series

CONFIG = Config()
COLUMNS = list(HEALTHY)

raw_values = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.binary(max_size=4),
    st.booleans(),
    st.sampled_from([0, 0.0, Decimal("0"), 1e308, -1e308, 5e-324, 10 ** 400, Decimal("1E+400"), Decimal("1E-400"),
                     True, False]),
)
day_rows = st.fixed_dictionaries({name: raw_values for name in COLUMNS})


@settings(max_examples=300, deadline=None)
@given(history=st.lists(st.one_of(st.none(), day_rows), min_size=0, max_size=9),
       today=st.lists(day_rows, min_size=0, max_size=2), fact_orders=raw_values, fact_revenue=raw_values)
def test_any_rows_are_judged_without_raising(history, today, fact_orders, fact_revenue):
    rows = [DayRow(DAY - timedelta(days=len(history) - i), values)
            for i, values in enumerate(history) if values is not None]
    rows += [DayRow(DAY, values) for values in today]
    evaluation = evaluate(Measurements(DAY, tuple(rows), fact_orders, fact_revenue), CONFIG)
    assert evaluation.checks
    assert all(isinstance(c.severity, Severity) for c in evaluation.checks)
    assert len(evaluation.checks) == (23 if len(today) == 1 else 1)
    json.loads(to_json(evaluation))  # always valid JSON, no NaN or Infinity
    assert text(evaluation).count("\n") == len(evaluation.checks)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@settings(max_examples=500, deadline=None)
@given(history=st.lists(finite, min_size=5, max_size=7), a=finite, b=finite)
def test_lowering_today_never_makes_a_drop_less_severe(history, a, b):
    high, low = max(a, b), min(a, b)

    def severity(today):
        ev = evaluate(measurements(row(orders=today), series("orders", history),
                                   fact_orders=today, fact_revenue=HEALTHY["revenue"]), CONFIG)
        return next(c for c in ev.checks if (c.name, c.metric) == ("drop", "orders")).severity

    assert severity(low) >= severity(high)


@settings(max_examples=200, deadline=None)
@given(history=st.lists(st.integers(min_value=1, max_value=10 ** 6), min_size=5, max_size=7),
       spike=st.floats(min_value=1.0, max_value=1e6))
def test_spikes_are_never_alerted(history, spike):
    today = max(history) * spike
    ev = evaluate(measurements(row(events=today), series("events", history)), CONFIG)
    assert next(c for c in ev.checks if (c.name, c.metric) == ("drop", "events")).severity is Severity.OK


@settings(max_examples=300, deadline=None)
@given(today=st.floats(min_value=0, max_value=200, allow_nan=False),
       history=st.lists(st.floats(min_value=1, max_value=200, allow_nan=False), min_size=5, max_size=7))
def test_the_printed_numbers_never_contradict_the_verdict(today, history):
    """Read back from the message, frac and z put the day on the same side of every threshold as the verdict."""
    import re

    t = CONFIG.thresholds
    result = evaluate(measurements(row(orders=today), series("orders", history)), CONFIG)
    drop = next(c for c in result.checks if (c.name, c.metric) == ("drop", "orders"))
    frac = re.search(r"frac=(-?[0-9.]+)", drop.message)
    z = re.search(r"z=(-?[0-9.]+)", drop.message)
    if frac:
        shown = float(frac[1])
        assert (shown < t.warn_frac) == (drop.frac < t.warn_frac)
        assert (shown < t.critical_frac) == (drop.frac < t.critical_frac)
    if z:
        shown = float(z[1])
        assert (shown <= t.warn_z) == (drop.z <= t.warn_z)
        assert (shown <= t.critical_z) == (drop.z <= t.critical_z)
