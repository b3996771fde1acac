"""The `restated` check, its config keys and its gauge, on plain data (no ledger, no database)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from exporter.config import Config, from_mapping
from exporter.errors import ConfigError
from exporter.judge import evaluate
from exporter.judge.model import CheckName, LedgerRead, Outcome, Severity, StoredDay
from exporter.judge.restatement import restated as restated_of
from exporter.publish.gauges import restatements
from tests.support.factories import DAY, measurements, row

CONFIG = from_mapping({"results": {"table": "dmm_check_results"}})
VOLUMES = ("events", "users", "sessions", "orders", "revenue")


def judged(days_back: int, **values) -> StoredDay:
    return StoredDay(DAY - timedelta(days=days_back), f"run-{days_back}", {**{m: row()[m] for m in VOLUMES}, **values})


def restated(m, judged, config):
    """The check on what a measurement read (its day and rows) and what the ledger stored."""
    return restated_of(m.target_date, m.rows, judged, config)


def with_restatements(m, judged, config):
    """The day judged with what the ledger stored (None: it could not be read)."""
    return evaluate(replace(m, ledger=LedgerRead(judged, None if judged is not None else "cannot read")), config)


def warned(checks):
    return [(c.metric, c.message) for c in checks if c.outcome is Outcome.WARNED]


def test_a_three_percent_restatement_of_d_minus_2_is_one_warn_with_the_day_and_both_values():
    history = [row() for _ in range(5)] + [row(revenue=24_720.0), row()]  # D-2 now 24,720 = 24,000 x 1.03
    checks = restated(measurements(row(), history), (judged(1), judged(2), judged(3)), CONFIG)
    assert warned(checks) == [("revenue", f"{DAY - timedelta(days=2)} was 24,000 when judged, now 24,720 (+3.0 %)")]
    [warn] = [c for c in checks if c.severity is Severity.WARN]
    assert (warn.name, warn.value, warn.expected, warn.difference) == (CheckName.RESTATED, 24_720.0, 24_000.0, 720.0)
    assert sorted(c.metric for c in checks) == sorted(VOLUMES)  # one check per metric


@pytest.mark.parametrize("now, restated_", [(24_240.0, False), (24_240.01, True), (23_760.0, False),
                                            (23_759.99, True), (24_120.0, False)])
def test_the_tolerance_is_relative_and_exclusive(now, restated_):
    """1 % of 24,000 is 240: exactly 240 either way is no restatement, a cent more is."""
    history = [row() for _ in range(6)] + [row(revenue=now)]
    checks = restated(measurements(row(), history), (judged(1),), CONFIG)
    assert bool(warned(checks)) is restated_


def test_a_day_now_missing_or_undefined_is_restated_and_undefined_when_judged_is_not():
    history = [row() for _ in range(5)] + [row(orders=None), row()]  # D-2 orders now NULL; D-1 row gone below
    m = measurements(row(), history)
    m = type(m)(m.target_date, tuple(r for r in m.rows if r.day != DAY - timedelta(days=1)), m.fact_orders,
                m.fact_revenue)
    checks = restated(m, (judged(1), judged(2), judged(3, revenue=None)), CONFIG)
    d1, d2 = DAY - timedelta(days=1), DAY - timedelta(days=2)
    assert ("orders", f"{d2} was 400 when judged, now undefined") in warned(checks)
    assert ("revenue", f"{d1} was 24,000 when judged, now no row") in warned(checks)
    assert not [w for w in warned(checks) if str(DAY - timedelta(days=3)) in w[1]]


def test_a_day_now_duplicated_is_restated_even_when_both_rows_hold_the_judged_value():
    """Two rows of D-1 where the ledger judged one: its grain broke since (reading the first row would say
    "unchanged"); a day read once, unchanged, is not restated."""
    m = measurements(row(), [row() for _ in range(7)])
    d1 = DAY - timedelta(days=1)
    doubled = type(m)(m.target_date, (*m.rows, *(r for r in m.rows if r.day == d1)), m.fact_orders, m.fact_revenue)
    checks = restated(doubled, (judged(1), judged(2)), CONFIG)
    assert sorted(warned(checks)) == sorted((metric, f"{d1} was {value} when judged, now 2 rows")
                                            for metric, value in (("events", "100,000"), ("users", "20,000"),
                                                                  ("sessions", "30,000"), ("orders", "400"),
                                                                  ("revenue", "24,000")))
    assert not warned(restated(m, (judged(1), judged(2)), CONFIG))


def test_from_zero_any_change_is_a_restatement_without_a_percentage():
    history = [row() for _ in range(6)] + [row(orders=3)]
    checks = restated(measurements(row(), history), (judged(1, orders=0),), CONFIG)
    assert warned(checks) == [("orders", f"{DAY - timedelta(days=1)} was 0 when judged, now 3")]


def test_days_beyond_restatement_days_and_an_empty_ledger_are_not_compared():
    history = [row(revenue=1.0) for _ in range(7)]  # every day changed a lot
    config = from_mapping({"results": {"table": "t"}, "restatement": {"days": 2}})
    checks = restated(measurements(row(), history), (judged(3), judged(4)), config)
    assert warned(checks) == []
    assert {c.message for c in checks} == {"none of the previous 2 days is in the ledger yet: nothing to compare"}


def test_restatement_days_0_turns_the_check_off():
    config = from_mapping({"results": {"table": "t"}, "restatement": {"days": 0}})
    assert restated(measurements(row()), (), config) == () == restated(measurements(row()), None, config)


def test_an_unreadable_ledger_is_not_evaluated_never_a_pass_and_gets_no_gauge():
    ev = with_restatements(measurements(row()), None, CONFIG)
    mine = [c for c in ev.checks if c.name is CheckName.RESTATED]
    assert [c.outcome for c in mine] == [Outcome.NOT_EVALUATED] * 5 and ev.severity is Severity.WARN
    assert restatements(ev) == {}


def test_the_gauge_counts_restated_days_per_metric():
    history = [row() for _ in range(4)] + [row(revenue=30_000.0), row(revenue=30_000.0), row()]
    m = measurements(row(), history)
    ev = with_restatements(m, (judged(1), judged(2), judged(3)), CONFIG)
    assert restatements(ev) == {"events": 0, "users": 0, "sessions": 0, "orders": 0, "revenue": 2}


def test_config_keys_defaults_and_errors():
    assert (Config().results.table, Config().results.trust_view, Config().restatement.days,
            Config().restatement.tolerance) == (None, "dmm_day_trust", 3, 0.01)
    plain = {"baseline": {"exclude_alerted": False}}  # a 7-day window, and the 2 days escalation judges
    assert from_mapping({**plain, "results": {"table": "t"}, "restatement": {"days": 20}}).lookback == 20
    assert from_mapping({**plain, "restatement": {"days": 20}}).lookback == 9  # no ledger: nothing re-read
    for data, message in [({"restatement": {"days": 32}}, "restatement.days: must be in [0, 31], got 32"),
                          ({"restatement": {"days": 1.5}}, "restatement.days: expected an integer, got 1.5"),
                          ({"restatement": {"tolerance": -0.1}},
                           "restatement.tolerance: must be in [0, 1000000000], got -0.1"),
                          ({"results": {"table": "a; drop"}}, "results.table: expected an identifier"),
                          ({"results": {"table": "x", "trust_view": "x"}},
                           "results.trust_view: must differ from results.table"),
                          ({"results": {"view": "x"}}, "results.view: unknown key")]:
        with pytest.raises(ConfigError, match=re.escape(message)):
            from_mapping(data)
