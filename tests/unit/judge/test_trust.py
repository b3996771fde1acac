"""Trusted baselines, accepted shifts and spikes, on hand-computed histories. Pure: no I/O."""

from dataclasses import replace
from datetime import timedelta

import pytest

from exporter.config import from_mapping
from exporter.judge import evaluate
from exporter.judge.model import Outcome, Severity
from tests.support.factories import DAY, measurements, row, series

# D-14 .. D-5 at 100 .. 109, then a 90 % loss on D-4 .. D-1 (11, 12, 13, 14), and D itself at 15
LOSS = [100 + k for k in range(10)] + [11, 12, 13, 14]


def orders(ev):
    return next(c for c in ev.checks if (c.name, c.metric) == ("drop", "orders"))


def judged(history, today, mapping=None, **extra):
    m = measurements(row(orders=today), series("orders", history), fact_orders=today, **extra)
    return evaluate(m, from_mapping(mapping or {}))


def test_a_persistent_loss_is_judged_against_the_days_before_it():
    """D-4 .. D-1 each alerted (CRITICAL against 103..109), so D's slots D-1 .. D-4 take D-8 .. D-11 (106, 105, 104,
    103) beside D-5 .. D-7 (109, 108, 107): median 106, MAD 2, z = (15 - 106) / 2 = -45.5, frac = 15 / 106."""
    result = orders(judged(LOSS, 15))
    assert (result.outcome, result.median, result.mad, result.z, result.baseline_days) == \
        (Outcome.FAILED, 106, 2, -45.5, 7)
    assert result.frac == pytest.approx(15 / 106)
    assert result.message == "15 vs median 106 (z=-45.5, frac=0.14, 4 alerted days left out)"


def test_the_literal_rule_lets_the_loss_become_its_own_baseline():
    """exclude_alerted: false: D-1 .. D-7 = 14, 13, 12, 11, 109, 108, 107: median 14, and 15 is 'normal'."""
    result = orders(judged(LOSS, 15, {"baseline": {"exclude_alerted": False}}))
    assert (result.outcome, result.median) == (Outcome.PASSED, 14)
    assert "left out" not in result.message


def test_one_alerted_day_is_replaced_by_the_same_weekday_a_week_earlier():
    """D-3 at 10 alerted (CRITICAL): D's slot D-3 takes D-10 (104); the other six are D-1, D-2, D-4 .. D-7."""
    history = [100 + k for k in range(11)] + [10, 112, 113]  # D-14 .. D-4 = 100 .. 110, D-3 = 10
    result = orders(judged(history, 111))
    # baseline: 113, 112, 104 (for D-3), 110, 109, 108, 107 -> sorted 104, 107 .. 110, 112, 113: median 109
    assert (result.median, result.baseline_days) == (109, 7)
    assert result.message.endswith("1 alerted day left out)")


def test_a_day_that_did_not_alert_stays_in():
    """A 30 % dip (frac 0.7) is no alert: it stays in the next day's baseline (no replacement, nothing left out)."""
    history = [100] * 7 + [100, 100, 100, 70, 100, 100, 100]
    result = orders(judged(history, 100))
    assert result.outcome is Outcome.PASSED and "left out" not in result.message


def test_the_first_days_after_an_accepted_shift_are_not_evaluated_then_judged():
    shift = {"calendar": {"shifts": [{"date": (DAY - timedelta(days=4)).isoformat(), "name": "new level"}]}}
    result = orders(judged(LOSS, 15, shift))
    assert result.outcome is Outcome.NOT_EVALUATED and result.severity is Severity.WARN
    assert result.message == (f"not evaluated: 4 days since the accepted shift 'new level' ({DAY - timedelta(days=4)}):"
                              " the baseline needs 5 days from it, has 4")
    # one day later the five days from the shift on (11, 12, 13, 14, 15) are the baseline: median 13, 16 is normal
    later = orders(judged([*LOSS, 15], 16, shift, day=DAY + timedelta(days=1)))
    assert (later.outcome, later.median, later.baseline_days) == (Outcome.PASSED, 13, 5)


def test_a_shift_applies_only_to_the_metrics_it_names():
    shift = {"calendar": {"shifts": [{"date": (DAY - timedelta(days=4)).isoformat(), "name": "x",
                                      "metrics": ["revenue"]}]}}
    assert orders(judged(LOSS, 15, shift)).outcome is Outcome.FAILED


def test_a_new_incident_after_the_shift_is_caught():
    """Shift on D-9; D-9 .. D-1 at 50 .. 58 form the new level; D at 5 is a 90 % loss against it."""
    history = [100] * 5 + [50 + k for k in range(9)]
    shift = {"calendar": {"shifts": [{"date": (DAY - timedelta(days=9)).isoformat(), "name": "price change"}]}}
    result = orders(judged(history, 5, shift))
    assert (result.outcome, result.median) == (Outcome.FAILED, 55)


SPIKY = {"metrics": {"volume": ["events", "users", "sessions", "orders", "revenue", "refunds"],
                     "overrides": {"refunds": {"direction": "spike", "statistic": "robust", "thresholds": {
                         "spike": {"warn": {"frac": 2, "z": 3}, "critical": {"frac": 4, "z": 19}}}}}}}
REFUNDS = [5, 6, 7, 6, 5, 6, 7]  # median 6, MAD 1


def refunds(today, mapping=SPIKY):
    rows = [row(refunds=v) for v in REFUNDS]
    ev = evaluate(measurements(row(refunds=today), rows), from_mapping(mapping))
    return next(c for c in ev.checks if c.metric == "refunds" and c.name == "spike")


@pytest.mark.parametrize("today, outcome", [
    (7.2, Outcome.PASSED),  # 1.2 x the median
    (12, Outcome.PASSED),  # frac exactly 2: strict
    (12.5, Outcome.WARNED),  # frac 2.08, z 6.5
    (24, Outcome.WARNED),  # frac exactly 4: strict, so WARN not CRITICAL
    (25, Outcome.FAILED),  # frac 4.17, z exactly 19: inclusive
])
def test_spike_edges(today, outcome):
    assert refunds(today).outcome is outcome


def test_z_just_below_the_critical_spike_level_is_a_warn():
    mapping = {"metrics": {**SPIKY["metrics"], "overrides": {"refunds": {"direction": "spike", "statistic": "robust",
                                                                         "thresholds": {
        "spike": {"warn": {"frac": 2, "z": 3}, "critical": {"frac": 4, "z": 19.5}}}}}}}
    assert refunds(25, mapping).outcome is Outcome.WARNED


def test_refunds_at_five_times_the_median_are_critical_by_default():
    """A spike-only metric is a count by default: median 6, MAD 1, so variance max(6, 1.4826²) = 6 (Poisson);
    P(X >= 30 | 6) = 2.5573e-12 (summed by hand), z = -Φ⁻¹(2.5573e-12) / 0.6745 = 10.2335."""
    default = {"metrics": {**SPIKY["metrics"], "overrides": {"refunds": {"direction": "spike"}}}}
    result = refunds(30, default)
    assert (result.outcome, result.median, result.mad, result.frac) == (Outcome.FAILED, 6, 1, 5.0)
    assert result.z == pytest.approx(10.2335, abs=1e-3)
    assert result.message == "30 vs median 6 (p=2.6e-12, z=10.2, frac=5.00)"
    assert refunds(7.2, default).outcome is Outcome.PASSED


def test_a_metric_judged_both_ways_gets_both_checks_and_a_drop_only_metric_no_spike():
    both = from_mapping({"metrics": {"overrides": {"revenue": {"direction": "both"}}}})
    ev = evaluate(measurements(row(events=10 * 100_000)), both)
    names = {(c.name, c.metric) for c in ev.checks}
    assert {("drop", "revenue"), ("spike", "revenue")} <= names and ("spike", "events") not in names
    events = next(c for c in ev.checks if (c.name, c.metric) == ("drop", "events"))
    assert events.outcome is Outcome.PASSED  # ten times the traffic is no drop


def test_a_spike_on_a_known_event_is_expected():
    rows = [row(refunds=v) for v in REFUNDS]
    m = replace(measurements(row(refunds=60), rows), events={DAY: "recall"})
    result = next(c for c in evaluate(m, from_mapping(SPIKY)).checks if c.name == "spike")
    assert result.outcome is Outcome.EXPECTED and result.message.startswith("expected on a known event (recall)")


def test_a_warn_level_loss_is_left_out_too():
    """A 65 % loss (35 .. 38 against 103 .. 109: frac 0.33, WARN) stays WARN on D instead of turning OK."""
    history = [100 + k for k in range(10)] + [35, 36, 37, 38]
    result = orders(judged(history, 36, {"thresholds": {"escalate_after_days": 0}}))
    assert (result.outcome, result.median) == (Outcome.WARNED, 106)
    plain = {"baseline": {"exclude_alerted": False}, "thresholds": {"escalate_after_days": 0}}
    assert orders(judged(history, 36, plain)).outcome is Outcome.PASSED
    # escalation (default 3 days): D-2, D-1 and D are WARN (so are D-4, D-3: the job looks 3 days back), D CRITICAL
    escalated = orders(judged(history, 36))
    assert (escalated.outcome, escalated.median, escalated.frac) == (Outcome.FAILED, 106, 36 / 106)
    assert escalated.message.endswith("4 alerted days left out, WARN 3 days in a row: escalated)")


def test_a_shift_starts_same_weekday_baselines_on_its_day():
    """Same weekday, shift on D-14: only D-7 and D-14 are from the shift on: 2 of the 3 same weekdays needed."""
    history = [400] * 35
    shift = {"baseline": {"mode": "same_weekday"},
             "calendar": {"shifts": [{"date": (DAY - timedelta(days=14)).isoformat(), "name": "new level"}]}}
    result = orders(judged(history, 400, shift))
    assert result.outcome is Outcome.NOT_EVALUATED and result.baseline_days == 2
    assert "14 days since the accepted shift 'new level'" in result.message
    assert "needs 3 same weekdays from it, has 2" in result.message


def test_a_persistent_loss_is_judged_against_the_same_weekdays_before_it():
    """Same weekday: D-56 .. D-35 at 98, 102, 104, 100, then a 90 % loss on D-28 .. D-7 (10, 11, 12, 13).
    Those four alerted (two at level 0, the later two at levels 1 and 2), so D takes D-35 .. D-56:
    median (100 + 102) / 2 = 101, MAD 2, z = (14 - 101) / 2 = -43.5."""
    history = [400] * 56
    for weeks, value in ((8, 98), (7, 102), (6, 104), (5, 100), (4, 10), (3, 11), (2, 12), (1, 13)):
        history[56 - 7 * weeks] = value
    mode = {"baseline": {"mode": "same_weekday"}}
    result = orders(judged(history, 14, mode))
    assert (result.outcome, result.median, result.mad, result.z) == (Outcome.FAILED, 101, 2, -43.5)
    assert result.message.endswith("4 alerted same weekdays left out)")
    plain = orders(judged(history, 14, {"baseline": {"mode": "same_weekday", "exclude_alerted": False}}))
    assert (plain.outcome, plain.median) == (Outcome.PASSED, 11.5)
