"""Counts are counts: how improbable a day's count is given its baseline, as a z on the thresholds' scale. Pure.

A count of mean μ (the baseline median) has variance σ² = max(μ, (1.4826·MAD)²): at least Poisson, at least what
the baseline's spread shows. Its tails are the negative binomial's (r = μ² / (σ² − μ), p = μ / σ²), Poisson's
when σ² = μ. A rate's numerator k of n trials (its denominator) is binomial at the median rate p₀, widened
by the design effect φ = σ² / (n·p₀·(1 − p₀)) ≥ 1 where the baseline is more spread (beta-binomial): k/φ of n/φ.
A tail probability P becomes z = Φ⁻¹(P) / 0.6745: the robust z ((x − median) / MAD) that normal noise as
improbable would have, so the thresholds keep their meaning (−3 / −5 ≈ P 0.022 / 0.00037, one-sided).
"""

from __future__ import annotations

import numpy as np

SCALE = 1.482602218505602
"""1 / Φ⁻¹(0.75): for normal noise the robust z (over the raw MAD) is the sigma-z times this."""


def count_tails(x: np.ndarray, mean: np.ndarray, variance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(X ≤ x) and P(X ≥ x) under a negative binomial of `mean` and `variance` (Poisson where variance ≤ mean).

    Real x (money in orders' units) is allowed: the regularised incomplete beta and gamma extend the discrete
    tails continuously. NaN where the mean is not positive and finite."""
    from scipy.special import betainc, gammainc, gammaincc  # only a count statistic pays its import (~0.13 s)

    x, mean = np.maximum(np.asarray(x, dtype=float), 0.0), np.asarray(mean, dtype=float)
    ok = np.isfinite(x) & np.isfinite(mean) & (mean > 0) & np.isfinite(variance)
    mean, x = np.where(ok, mean, 1.0), np.where(ok, x, 0.0)
    variance = np.where(ok, variance, 1.0)
    poisson = variance <= mean * (1 + 1e-9)  # at least Poisson: a smaller variance is the mean's
    lower, upper = np.empty_like(x), np.empty_like(x)
    nb = ~poisson  # each element's tails by its own distribution only: a special function costs ~1 us
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r, p = mean[nb] * mean[nb] / (variance[nb] - mean[nb]), mean[nb] / variance[nb]
        lower[poisson] = gammaincc(x[poisson] + 1, mean[poisson])
        lower[nb] = betainc(r, x[nb] + 1, p)
        upper[poisson] = gammainc(np.maximum(x[poisson], 1e-300), mean[poisson])
        upper[nb] = betainc(np.maximum(x[nb], 1e-300), r, 1 - p)
    upper = np.where(x <= 0, 1.0, upper)
    return np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)


def rate_tails(k: np.ndarray, n: np.ndarray, rate: np.ndarray,
               variance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(K ≤ k) and P(K ≥ k) for k successes of n trials at `rate`, widened to the numerator's `variance` when
    that exceeds the binomial's (k/φ of n/φ). NaN where the rate is not strictly between 0 and 1 or k > n."""
    from scipy.special import betainc

    k, n, rate = (np.asarray(a, dtype=float) for a in (k, n, rate))
    ok = np.isfinite(k) & np.isfinite(n) & (n > 0) & (k >= 0) & (k <= n) & (rate > 0) & (rate < 1)
    ok &= np.isfinite(variance)
    k, n, rate = np.where(ok, k, 0.0), np.where(ok, n, 1.0), np.where(ok, rate, 0.5)
    binomial = n * rate * (1 - rate)
    phi = np.maximum(np.where(ok, variance, 0.0) / binomial, 1.0)
    k, n = k / phi, n / phi
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lower = np.where(k >= n, 1.0, betainc(np.maximum(n - k, 1e-300), k + 1, 1 - rate))
        upper = np.where(k <= 0, 1.0, betainc(np.maximum(k, 1e-300), n - k + 1, rate))
    return np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)


def one_sided(lower: np.ndarray, upper: np.ndarray, directions: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(p, sign): the smaller tail and its side (-1 below, +1 above); p is what a test of the rule's directions
    reads (both directions: twice the smaller tail, Bonferroni over two; a side the rule does not judge: 1)."""
    sign = np.where(lower <= upper, -1.0, 1.0)
    p = np.minimum(lower, upper)
    judged = np.zeros_like(p, dtype=bool)
    if "drop" in directions:
        judged |= sign < 0
    if "spike" in directions:
        judged |= sign > 0
    return np.where(judged, np.minimum(p * len(directions), 1.0), 1.0), sign


def benjamini_hochberg(p: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values) within each family (same label in `family`); NaN stays.

    Sorted within a family, p₍ᵢ₎·m / i made monotone from the largest down: a test alerts at level q exactly
    when its adjusted p ≤ q, so the expected share of false alerts among a day's alerts stays ≤ q."""
    out = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    if not len(tested):
        return out
    order = tested[np.lexsort((p[tested], family[tested]))]
    _, group, size = np.unique(family[order], return_inverse=True, return_counts=True)
    rank = np.arange(len(order)) - np.concatenate([[0], np.cumsum(size)[:-1]])[group]
    grid = np.full((len(size), size.max()), np.inf)  # one row per family, its p-values in rank order
    grid[group, rank] = np.minimum(p[order] * size[group] / (rank + 1), 1.0)
    out[order] = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1][group, rank]  # monotone from the top
    return out


def z_of(p: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """The z on the thresholds' scale of a one-sided tail probability p on side `sign` (0 for p ≥ 0.5)."""
    from scipy.special import ndtri

    with np.errstate(divide="ignore"):
        return sign * SCALE * -ndtri(np.clip(p, 0.0, 0.5)) + 0.0  # + 0.0: no -0.0 in a report
