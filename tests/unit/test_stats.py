import math
from decimal import Decimal

import pytest

from exporter.judge.statistics import (
    RobustStats,
    as_number,
    exact_difference,
    fraction_of_median,
    not_a_number,
    robust_stats,
    robust_z,
)


def test_median_and_unscaled_mad():
    b = robust_stats([60, 80, 90, 100, 110, 120, 140])
    assert (b.median, b.mad, b.size) == (100, 20, 7)


def test_even_count_median_is_the_mean_of_the_middle_pair():
    b = robust_stats([1, 2, 3, 10])
    assert b.median == 2.5
    assert b.mad == 1.0  # deviations 1.5, 0.5, 0.5, 7.5


def test_baseline_needs_values():
    with pytest.raises(ValueError):
        robust_stats([])


def test_z_and_frac():
    b = RobustStats(100.0, 20.0, 7)
    assert robust_z(40, b) == -3.0
    assert fraction_of_median(40, b) == 0.4


@pytest.mark.parametrize("value,expected", [(99, -math.inf), (100, 0.0), (101, math.inf)])
def test_flat_baseline_z_is_signed_infinity(value, expected):
    assert robust_z(value, RobustStats(100.0, 0.0, 7)) == expected


def test_frac_undefined_when_median_is_zero():
    assert fraction_of_median(5, RobustStats(0.0, 0.0, 7)) is None


@pytest.mark.parametrize("raw,number,problem", [
    (None, None, "is NULL"),
    ("12", None, "is text ('12'), not a number"),
    (b"x", None, "is text ('x'), not a number"),
    (float("nan"), None, "is NaN"),
    (float("-inf"), None, "is infinite"),
    (Decimal("12.50"), 12.5, None),
    (7, 7.0, None),
    (-3, -3.0, None),
])
def test_as_number(raw, number, problem):
    assert (as_number(raw), not_a_number(raw)) == (number, problem)


def test_exact_difference_is_decimal_exact():
    assert exact_difference(100.01, 100.00) == 0.01
    assert exact_difference(Decimal("5.10"), 5) == 0.1
