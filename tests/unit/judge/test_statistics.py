import math
from decimal import Decimal

import numpy as np
import pytest

from exporter.judge.statistics import (
    as_number,
    exact_difference,
    fraction_rows,
    not_a_number,
    robust_z_rows,
    row_stats,
)


def stats(values):
    median, mad, size = row_stats(np.array([values], dtype=float))
    return float(median[0]), float(mad[0]), int(size[0])


def test_median_and_unscaled_mad():
    assert stats([60, 80, 90, 100, 110, 120, 140]) == (100, 20, 7)


def test_even_count_median_is_the_mean_of_the_middle_pair():
    median, mad, _ = stats([1, 2, 3, 10])
    assert median == 2.5
    assert mad == 1.0  # deviations 1.5, 0.5, 0.5, 7.5


def test_unusable_values_are_left_out_and_an_empty_row_has_no_median():
    assert stats([60, np.nan, 80, 90, np.nan, 100, 110, 120, 140]) == (100, 20, 7)
    median, mad, size = stats([np.nan, np.nan])
    assert math.isnan(median) and math.isnan(mad) and size == 0


def z(value, median, mad):
    return float(robust_z_rows(np.array([value], float), np.array([median], float), np.array([mad], float))[0])


def test_z_and_frac():
    assert z(40, 100.0, 20.0) == -3.0
    assert float(fraction_rows(np.array([40.0]), np.array([100.0]))[0]) == 0.4


@pytest.mark.parametrize("value,expected", [(99, -math.inf), (100, 0.0), (101, math.inf)])
def test_flat_baseline_z_is_signed_infinity(value, expected):
    assert z(value, 100.0, 0.0) == expected


def test_frac_undefined_when_median_is_zero():
    assert math.isnan(float(fraction_rows(np.array([5.0]), np.array([0.0]))[0]))


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
