"""Counts are counts (issue 27): tail probabilities, Benjamini-Hochberg and escalation, every expectation computed
by hand (the sums are written out: Poisson e^-μ μ^k / k!, the negative binomial's C(k+r-1, k) p^r (1-p)^k)."""

from dataclasses import replace
from datetime import timedelta
from statistics import NormalDist

import numpy as np
import pytest

from exporter.config import from_mapping
from exporter.judge import evaluate
from exporter.judge.counting import pooled
from exporter.judge.counts import SCALE, benjamini_hochberg, count_tails, one_sided, rate_tails, z_of
from exporter.judge.escalation import runs
from exporter.judge.model import Outcome, Severity
from tests.support.factories import DAY, measurements, row, series

COUNT = {"metrics": {"overrides": {"orders": {"statistic": "count"}}}}


def orders(history, today, mapping=None, events=None):
    m = measurements(row(orders=today), series("orders", history), fact_orders=today)
    m = replace(m, events=events or {})
    checks = evaluate(m, from_mapping(COUNT if mapping is None else mapping)).checks
    return next(c for c in checks if (c.name, c.metric) == ("drop", "orders"))


def test_poisson_tails_by_hand():
    # mean 1, variance 1: P(X >= 3) = 1 - e^-1 (1 + 1 + 1/2) = 0.0803014; P(X <= 3) = e^-1 (1 + 1 + 1/2 + 1/6)
    lower, upper = count_tails(np.array([3.0, 0.0]), np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    assert upper[0] == pytest.approx(0.0803014, rel=1e-6) and lower[0] == pytest.approx(0.9810118, rel=1e-6)
    # mean 2 (a variance under the mean is raised to it): P(X <= 0) = e^-2, P(X >= 0) = 1
    assert (lower[1], upper[1]) == (pytest.approx(0.1353353, rel=1e-6), 1.0)


def test_negative_binomial_tail_by_hand():
    # mean 10, variance 30: r = 10² / 20 = 5, p = 10 / 30; P(X <= 2) = p^5 (1 + 5 (2/3) + 15 (2/3)²) = 0.0452675
    lower, _ = count_tails(np.array([2.0]), np.array([10.0]), np.array([30.0]))
    assert lower[0] == pytest.approx(0.0452675, rel=1e-6)


def test_no_tail_without_a_positive_mean():
    lower, upper = count_tails(np.array([3.0, 1.0]), np.array([0.0, np.nan]), np.array([1.0, 1.0]))
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_binomial_tail_of_a_rate_and_its_design_effect():
    # 1 of 10 at 0.5: (1 + 10) / 1024; 2 of 20 with twice the binomial variance (φ 2) is 1 of 10
    lower, upper = rate_tails(np.array([1.0, 2.0]), np.array([10.0, 20.0]), np.array([0.5, 0.5]),
                              np.array([2.5, 10.0]))
    assert lower == pytest.approx([11 / 1024, 11 / 1024], rel=1e-9)
    assert upper[0] == pytest.approx(1 - 1 / 1024, rel=1e-9)  # P(K >= 1) = 1 - P(K = 0)
    assert np.isnan(rate_tails(np.array([3.0]), np.array([2.0]), np.array([0.5]), np.array([1.0]))[0]).all()


def test_the_z_is_on_the_thresholds_scale():
    # normal noise as improbable as z = -3 robust units: P = Φ(-3 / 1.4826) = 0.02152
    p = NormalDist().cdf(-3 / SCALE)
    assert z_of(np.array([p, p, 0.7]), np.array([-1.0, 1.0, -1.0])) == pytest.approx([-3, 3, 0])
    assert SCALE == pytest.approx(1 / NormalDist().inv_cdf(0.75))


def test_one_sided_tests_of_the_rule_s_directions():
    lower, upper = np.array([0.01, 0.9]), np.array([0.995, 0.02])
    assert one_sided(lower, upper, ("drop",))[0] == pytest.approx([0.01, 1.0])  # a rise is no drop test
    assert one_sided(lower, upper, ("spike",))[0] == pytest.approx([1.0, 0.02])
    p, sign = one_sided(lower, upper, ("drop", "spike"))
    assert p == pytest.approx([0.02, 0.04]) and list(sign) == [-1, 1]  # Bonferroni over the two directions


def test_benjamini_hochberg_by_hand():
    # one family of 4: sorted 0.01, 0.03, 0.04, 0.5 -> x 4/1, 4/2, 4/3, 4/4 = 0.04, 0.06, 0.0533, 0.5, made
    # monotone from the top: 0.04, 0.0533, 0.0533, 0.5; a second family of 1 keeps its own; NaN is no test
    p = np.array([0.01, 0.04, 0.03, 0.5, 0.2, np.nan])
    adjusted = benjamini_hochberg(p, np.array([7, 7, 7, 7, 8, 7]))
    assert adjusted[:5] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5, 0.2]) and np.isnan(adjusted[5])


@pytest.mark.parametrize("level", [0, 1, 2, 3])
@pytest.mark.parametrize("change", [-2, 2])
def test_a_flat_baseline_of_0_to_3_never_pages_on_a_change_of_2(level, change):
    today = level + change
    if today < 0:
        return
    result = orders([level] * 7, today, {"metrics": {"overrides": {"orders": {"statistic": "count",
                                                                             "direction": "both"}}}})
    assert result.severity < Severity.CRITICAL, result.message
    robust = orders([level] * 7, today, {"metrics": {"overrides": {"orders": {"direction": "both"}}}})
    if level and today:  # the seed's rule: a flat baseline, where frac alone decides
        assert "flat baseline" in robust.message and robust.z in (-np.inf, np.inf)


def test_1_to_0_is_noise_and_200_to_20_is_not():
    # Poisson 1: P(X <= 0) = e^-1 = 0.37: z 0 (p >= 0.5 is clipped only above; 0.37 gives 1.4826 Φ⁻¹(0.37))
    noise = orders([1] * 7, 0)
    assert noise.outcome is Outcome.PASSED and noise.z == pytest.approx(SCALE * NormalDist().inv_cdf(np.exp(-1)))
    # Poisson 200: P(X <= 20) = e^-200 Σ 200^k / k! (k <= 20) = 6.623e-60: z = 1.4826 Φ⁻¹(6.623e-60) = -24.1
    loss = orders([200] * 7, 20)
    assert loss.outcome is Outcome.FAILED
    assert loss.z == pytest.approx(SCALE * NormalDist().inv_cdf(6.62325765e-60), rel=1e-6)
    assert loss.message.startswith("20 vs median 200 (p=6.6e-60, z=-")


def test_the_total_keeps_the_robust_z_by_default():
    result = orders([1] * 7, 0, {})
    assert (result.outcome, result.z) == (Outcome.FAILED, -np.inf)  # the seed's rule: frac 0, a flat baseline
    assert "flat baseline" in result.message


def test_runs_of_consecutive_warned_days():
    warned = np.array([True, True, False, True, True, True, True, True])
    days = np.array([0, 1, 2, 3, 4, 5, 7, 8])  # 6 missing: the run breaks
    assert list(runs(warned, days)) == [1, 2, 0, 1, 2, 3, 1, 2]
    block = np.array([0, 0, 0, 0, 0, 9, 9, 9])  # a new block (segment) starts a new run
    assert list(runs(warned, np.arange(8), block)) == [1, 2, 0, 1, 2, 1, 2, 3]


LOW = [100 + k for k in range(10)]  # 103 .. 109 in the last 7 days: median 106; 36 is frac 0.34: WARN, z << -5


@pytest.mark.parametrize("before, escalate, outcome", [
    ([35, 36], 3, Outcome.FAILED),  # D-2, D-1, D: the third WARN day in a row
    ([35], 3, Outcome.WARNED),  # only the second
    ([35, 36], 0, Outcome.WARNED),  # 0: never
    ([], 1, Outcome.FAILED),  # 1: every WARN is CRITICAL
    ([35, 36, 37], 4, Outcome.FAILED),
    ([35, 36], 4, Outcome.WARNED),
])
def test_escalation_edges(before, escalate, outcome):
    result = orders(LOW + before, 36, {"thresholds": {"escalate_after_days": escalate}})
    assert result.outcome is outcome
    assert ("escalated" in result.message) is (outcome is Outcome.FAILED)
    assert result.escalated == (escalate if outcome is Outcome.FAILED else 0)


def test_a_known_event_breaks_the_run():
    result = orders([*LOW, 35, 36], 36, {}, events={DAY - timedelta(days=1): "holiday"})
    assert result.outcome is Outcome.WARNED


def test_escalate_after_days_is_validated():
    with pytest.raises(Exception, match=r"thresholds\.escalate_after_days"):
        from_mapping({"thresholds": {"escalate_after_days": 61}})
    with pytest.raises(Exception, match="statistic: expected one of auto, robust, count"):
        from_mapping({"metrics": {"overrides": {"orders": {"statistic": "poisson"}}}})


def test_a_day_s_segments_share_their_dispersion():
    """Day 0: indexes 1, 5, 9 counted (one more with no index, one not counted): all take their median 5;
    day 1 alone keeps its own (2); an index under 1 (less spread than Poisson) is 1; none known: 1."""
    dispersion = np.array([1.0, 5.0, 9.0, np.nan, 40.0, 2.0, 0.3, np.nan])
    on = np.array([True, True, True, True, False, True, True, True])
    day = np.array([0, 0, 0, 0, 0, 1, 2, 3])
    assert pooled(dispersion, on, day) == pytest.approx([5, 5, 5, 5, 5, 2, 1, 1])
