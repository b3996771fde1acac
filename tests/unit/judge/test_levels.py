"""The levels of trusted baselines, judged on a shrinking slice of the history, equal their definition (every
valued day judged at every level), and segments laid end to end never see each other's days. Pure, no I/O."""

import numpy as np
import pytest

from exporter.config import BaselineWindow, DropRule, Thresholds
from exporter.judge import escalation, trust
from exporter.judge.counting import Counting
from exporter.judge.window import Series

# tight windows and touchy thresholds: many alerted days, long chains of levels
RULES = [DropRule(BaselineWindow(mode=mode, days=days, min_days=2, weeks=2, min_weeks=1),
                  Thresholds(warn_frac=0.95, warn_z=-0.5, critical_frac=0.9, critical_z=-1))
         for mode, days in (("rolling", 3), ("same_weekday", 3), ("rolling", 14))]
IDS = ["rolling", "same_weekday", "rolling-14"]  # 14 days: a window reads 91 days back, more than its reach of 84


def definition(series: Series, rule: DropRule, days: np.ndarray) -> trust.Judged:
    """Every valued day judged at every level, as the levels are defined."""
    valued = np.flatnonzero(~np.isnan(series.values) & ~series.events)
    alerted = np.zeros(len(series.values), dtype=bool)
    for _ in range(rule.baseline.levels if len(valued) > rule.baseline.minimum else 0):
        found = np.zeros_like(alerted)
        found[valued] = trust._judge(series, rule, valued, alerted).alerted(series, rule.baseline.minimum)
        if np.array_equal(found, alerted):
            break
        alerted = found
    return trust._judge(series, rule, days, alerted)


def same(a: trust.Judged, b: trust.Judged) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) for x, y in
               ((a.median, b.median), (a.mad, b.mad), (a.size, b.size), (a.alerted_left_out, b.alerted_left_out)))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_the_shrinking_levels_equal_their_definition(rule):
    rng = np.random.default_rng(1)
    for _ in range(40):
        n = rule.baseline.lookback(False) + 30
        s = Series(np.exp(rng.normal(0, 0.3, n)) * 100, np.zeros(n, bool), np.full(n, -1))
        days = np.arange(n - 30, n)
        assert same(trust.judge_metric(s, rule, days), definition(s, rule, days))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_segments_laid_end_to_end_are_judged_as_if_alone(rule):
    rng = np.random.default_rng(2)
    n = rule.baseline.lookback(False) + 30
    blocks = [np.exp(rng.normal(0, 0.3, n)) * scale for scale in (100, 5, 1000)]
    whole = Series(np.concatenate(blocks), np.zeros(3 * n, bool), np.full(3 * n, -1), np.repeat(np.arange(3) * n, n))
    days = np.arange(n)  # the first days too: their windows end at their block's start
    together = trust.judge_metric(whole, rule, np.concatenate([b * n + days for b in range(3)]))
    for b, values in enumerate(blocks):
        alone = trust.judge_metric(Series(values, np.zeros(n, bool), np.full(n, -1)), rule, days)
        assert np.array_equal(together.median[b * n:(b + 1) * n], alone.median, equal_nan=True)
        assert np.array_equal(together.size[b * n:(b + 1) * n], alone.size)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_windows_built_in_slices_are_the_windows(rule, monkeypatch):
    from exporter.judge import window

    rng = np.random.default_rng(3)
    n = rule.baseline.lookback(False) + 30
    s = Series(np.exp(rng.normal(0, 0.3, n)) * 100, np.zeros(n, bool), np.full(n, -1))
    whole = trust.judge_metric(s, rule, np.arange(n))
    monkeypatch.setattr(window, "CHUNK", 7)
    assert same(trust.judge_metric(s, rule, np.arange(n)), whole)


def test_a_check_reads_the_span_of_its_window_at_every_level():
    # rolling 14 days with exclude_alerted: reach 6 x 14 = 84, the same weekday up to 84 // 7 = 12 weeks back,
    # so a window reads 14 + 7 x 11 = 91 days; levels ceil(84 / 7) = 12; the check reads 13 x 91 days
    window = BaselineWindow(days=14)
    assert (window.reach, window.span, window.levels, window.lookback(False)) == (84, 91, 12, 1183)
    assert BaselineWindow().lookback(False) == 504 and BaselineWindow(mode="same_weekday").lookback(False) == 588


def _counted(how: str, n: int, blocks: int, rng) -> tuple[Series, Counting]:
    size = n * blocks
    counts = rng.poisson(rng.choice([2.0, 30.0, 400.0], blocks).repeat(n)).astype(float)
    trials = counts * 5 + 1
    counts[rng.random(size) < 0.05] *= 0.2  # drops enough to alert and leave baselines
    floor = np.repeat(np.arange(blocks) * n, n)
    on = np.ones(size, dtype=bool)
    if how == "rate":
        return Series(counts / trials, np.zeros(size, bool), np.full(size, -1), floor), Counting(on, trials=trials)
    if how == "money":
        return (Series(counts * rng.normal(50, 5, size), np.zeros(size, bool), np.full(size, -1), floor),
                Counting(on, orders=counts))
    return Series(counts, np.zeros(size, bool), np.full(size, -1), floor), Counting(on)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
@pytest.mark.parametrize("how", ["count", "rate", "money"])
def test_what_a_level_keeps_is_what_it_would_compute_again(rule, how):
    """The memo of the levels (a baseline kept while no alerted flag in its span changed, a count's tails while
    their inputs are the same) gives every number judging from scratch gives, counts pooled over segments."""
    rng = np.random.default_rng(4)
    n = rule.baseline.lookback(False) + 30
    series, counting = _counted(how, n, 6, rng)
    days = np.concatenate([b * n + np.arange(n - 30, n) for b in range(6)])
    extended, picked = escalation.days_with_run(series, days, rule.thresholds.escalate_after_days)
    valued = np.flatnonzero(~np.isnan(series.values))
    alerted = np.zeros(len(series.values), dtype=bool)
    local = np.arange(len(series.values)) % n
    first = local[extended].min()  # the escalation's days before the judged ones are judged too
    levels = rule.baseline.levels
    for k in range(levels):  # the levels of judge_metric, each judged from scratch (no memo)
        judged = valued[local[valued] >= first - (levels - k) * rule.baseline.span]
        found = np.zeros_like(alerted)
        found[judged] = trust._judge(series, rule, judged, alerted, counting).alerted(series, rule.baseline.minimum)
        if np.array_equal(found[judged], alerted[judged]):
            break
        alerted = found
    assert k >= 1  # a level changed its mind: the next one kept what it could
    scratch = escalation.judged(trust._judge(series, rule, extended, alerted, counting), series, rule, picked)
    kept = trust.judge_metric(series, rule, days, counting)
    assert same(kept, scratch)
    assert np.array_equal(kept.z, scratch.z, equal_nan=True) and np.array_equal(kept.p, scratch.p, equal_nan=True)
    assert all(np.array_equal(kept.codes[d], scratch.codes[d]) for d in rule.directions)
