"""Baseline modes, per-metric overrides and the calendar of known events. Pure: no I/O.

Every expectation is worked out by hand from the rows below.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from exporter.config import from_mapping
from exporter.judge import evaluate
from exporter.judge.model import DayRow, Measurements, Outcome, Severity
from tests.support.factories import DAY, row

SAME_WEEKDAY = from_mapping({"baseline": {"mode": "same_weekday", "weeks": 4, "min_weeks": 3}})


def history(orders_by_offset: dict[int, float], days: int = 35, default: float = 100.0, **today) -> Measurements:
    """Rows D-days .. D-1 with orders = `default` except at the given offsets (None: no row), then today's row."""
    rows = []
    for k in range(days, 0, -1):
        value = orders_by_offset.get(k, default)
        if k in orders_by_offset and value is None:
            continue
        rows.append(DayRow(DAY - timedelta(days=k), row(orders=value)))
    rows.append(DayRow(DAY, row(**today)))
    return Measurements(DAY, tuple(rows), today.get("orders", 400), today.get("revenue", 24_000.0))


def drop_of(evaluation, metric="orders"):
    return next(c for c in evaluation.checks if (c.name, c.metric) == ("drop", metric))


def test_same_weekday_reads_d_minus_7_14_21_28_only():
    """Weekday orders 400 at D-7..D-28 (median 400, MAD 0 below: 410, 390, 400, 420 -> median 405, MAD 10)."""
    m = history({7: 410, 14: 390, 21: 400, 28: 420, 35: 1}, default=5, orders=405)
    result = drop_of(evaluate(m, SAME_WEEKDAY))
    assert (result.median, result.mad, result.baseline_days) == (405, 10, 4)
    assert result.severity is Severity.OK
    assert "vs 4-week same-weekday median 405" in result.message


def test_rolling_on_the_same_rows_is_fooled_by_the_weekend_like_days():
    m = history({7: 410, 14: 390, 21: 400, 28: 420}, default=5, orders=405)
    assert drop_of(evaluate(m, from_mapping({}))).median == 5  # D-1 .. D-7: six 5s and a 410


@pytest.mark.parametrize("missing, outcome", [((7,), Outcome.PASSED), ((7, 14), Outcome.NOT_EVALUATED)])
def test_exactly_min_weeks_is_enough(missing, outcome):
    """4 weeks, min 3: one missing same-weekday row leaves 3 (judged), two leave 2 (insufficient)."""
    m = history({k: None for k in missing}, orders=100)
    result = drop_of(evaluate(m, SAME_WEEKDAY))
    assert result.outcome is outcome and result.baseline_days == 4 - len(missing)
    if outcome is Outcome.NOT_EVALUATED:
        assert result.message == "insufficient history (2/4 same weekdays)" and result.severity is Severity.WARN


def test_a_known_event_inside_the_baseline_is_left_out_and_replaced_by_an_earlier_week():
    """Christmas at D-7 (5 orders) is left out; D-35 takes its place: 90, 100, 110, 120 -> median 105, MAD 10."""
    christmas = DAY - timedelta(days=7)
    m = replace(history({7: 5, 14: 90, 21: 100, 28: 110, 35: 120}, orders=105), events={christmas: "Christmas"})
    result = drop_of(evaluate(m, SAME_WEEKDAY))
    assert (result.median, result.mad, result.baseline_days) == (105, 10, 4)
    rolling = drop_of(evaluate(m, from_mapping({})))
    assert rolling.baseline_days == 6  # D-1 .. D-7 without D-7: rolling never reaches further


def test_at_most_two_event_weeks_are_replaced_and_a_missing_row_never():
    """Events at D-7, D-14, D-21: D-28, D-35, D-42 are used (3 of 4, reach 2). A missing D-28 stays missing."""
    events = {DAY - timedelta(days=k): "closed" for k in (7, 14, 21)}
    m = replace(history({28: 100, 35: 110, 42: 120, 49: 1}, days=49, orders=110), events=events)
    result = drop_of(evaluate(m, SAME_WEEKDAY))
    assert (result.median, result.baseline_days) == (110, 3)
    gap = replace(history({28: None, 35: 110, 42: 120}, days=49, orders=110), events=events)
    assert drop_of(evaluate(gap, SAME_WEEKDAY)).baseline_days == 2


def test_a_calendar_makes_the_same_weekday_window_two_weeks_longer():
    base = {"baseline": {"mode": "same_weekday", "exclude_alerted": False}}
    assert from_mapping(base).lookback == 28 + 2  # and the 2 days before D that escalation judges
    assert from_mapping({**base, "calendar": {"events": [{"date": "2026-12-25", "name": "Christmas"}]}}).lookback == 44
    plain = {"baseline": {"exclude_alerted": False}}
    assert from_mapping({**plain, "calendar": {"events": [{"date": "2026-12-25", "name": "Christmas"}]}}).lookback == 9
    # exclude_alerted (the default) reaches 3 x 4 = 12 weeks, in ceil(12 / 2) = 6 levels: (6 + 1) x 12 x 7 days
    assert from_mapping({"baseline": {"mode": "same_weekday"}}).lookback == 588 + 2


def test_a_known_event_day_is_expected_but_the_hard_rules_still_apply():
    small = {"orders": 10, "revenue": 600.0,
             "attributed_orders_first_click": 8, "attributed_revenue_first_click": 400.0,
             "attributed_orders_last_click": 9, "attributed_revenue_last_click": 500.0}
    m = replace(history({}, **small), events={DAY: "Black Friday outage"})
    ev = evaluate(m, SAME_WEEKDAY)
    result = drop_of(ev)
    assert result.outcome is Outcome.EXPECTED and result.severity is Severity.OK
    assert result.message.startswith("expected on a known event (Black Friday outage): 10 vs")
    assert ev.known_event == "Black Friday outage" and ev.severity is Severity.OK
    broken = replace(m, fact_orders=9)  # reconciliation is not excused
    assert evaluate(broken, SAME_WEEKDAY).severity is Severity.CRITICAL


def test_zero_orders_on_a_known_event_with_normal_traffic_is_still_critical():
    m = replace(history({}, orders=0, revenue=0.0), events={DAY: "Christmas"})
    ev = evaluate(replace(m, fact_orders=0, fact_revenue=None), SAME_WEEKDAY)
    orders = next(c for c in ev.checks if c.name == "orders_with_traffic")
    assert orders.severity is Severity.CRITICAL


def test_overrides_give_a_metric_its_own_baseline_and_thresholds():
    config = from_mapping({"metrics": {"overrides": {
        "orders": {"baseline": {"mode": "same_weekday"}},
        "checkout_rate": {"thresholds": {"warn": {"frac": 0.9}}}}}})
    m = history({7: 100, 14: 100, 21: 100, 28: 100}, default=5, orders=100)
    ev = evaluate(m, config)
    assert drop_of(ev, "orders").median == 100  # same weekday
    assert drop_of(ev, "revenue").baseline_days == 7  # rolling, the default
    # checkout_rate 0.85 of its median: WARN only under its own frac 0.9 (z is -inf on a flat baseline)
    low = row(checkout_users=850)
    flat = Measurements(DAY, tuple([DayRow(DAY - timedelta(days=k), row()) for k in range(7, 0, -1)]
                                   + [DayRow(DAY, low)]), 400, 24_000.0)
    assert drop_of(evaluate(flat, config), "checkout_rate").severity is Severity.WARN
    assert drop_of(evaluate(flat, from_mapping({})), "checkout_rate").severity is Severity.OK
    assert config.lookback == 588 + 2  # the same-weekday override reaches furthest (see above), + 2 escalation days


def test_the_default_is_rolling_and_unchanged():
    config = from_mapping({})
    assert config.baseline.mode == "rolling" and config.lookback == 504 + 2 and config.baseline.slots == 7
    assert [config.drop_rule(m).baseline.offsets for m in ("orders", "checkout_rate")] == [tuple(range(1, 8))] * 2


def test_event_dates_from_yaml_dates_and_text():
    config = from_mapping({"calendar": {"events": [{"date": date(2026, 12, 25), "name": "Christmas"},
                                                   {"date": "2026-12-31", "name": "New Year's Eve"[:8]}]}})
    assert config.calendar_events == ((date(2026, 12, 25), "Christmas"), (date(2026, 12, 31), "New Year"))


@pytest.mark.parametrize("config, status", [(None, "WARN"), ("docs/examples/same-weekday.yaml", "OK")])
def test_the_b2b_demo_shows_the_difference_on_a_sunday(capsys, config, status):
    """A healthy b2b Sunday (traffic at 35 %): rolling flags it, the same-weekday example config does not."""
    from pathlib import Path

    from exporter.cli import main

    root = Path(__file__).resolve().parents[3]
    args = ["demo", "--profile", "b2b", "--date", "2026-11-22"]
    code = main(args + (["--config", str(root / config)] if config else []))
    out = capsys.readouterr().out
    assert code == 0 and out.splitlines()[-1].startswith(f"{status}: daily_metrics for 2026-11-22")
    if config is None:
        assert "[WARN] events:" in out
