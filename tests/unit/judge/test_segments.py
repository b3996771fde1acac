"""Segments, the pure parts: the config section, the ranking month, contributions by hand, report lines, JSON,
gauges and the ledger's rows."""

from datetime import date

import pytest

from exporter.config import from_mapping
from exporter.errors import ConfigError
from exporter.judge.contributions import contributions
from exporter.judge.model import OTHER, CheckName, CheckResult, Evaluation, Outcome, Segment
from exporter.publish.gauges import RunInfo, build_registry
from exporter.reports import check as report
from exporter.warehouse.ledger import LedgerRun, rows
from exporter.warehouse.segment_queries import ranking_month

SEGMENTED = from_mapping({"segments": {"columns": ["country"]}})
NL, DE, FR = (Segment((("country", c),)) for c in ("NL", "DE", "FR"))


@pytest.mark.parametrize("section, error", [
    ({"top_n": 5}, "segments.columns: required"),
    ({"columns": ["country", "country"]}, "segments.columns: a column is named twice"),
    ({"columns": ["country"], "rank_by": "checkout_rate"},
     "segments.rank_by: 'checkout_rate' is not in metrics.volume"),
    ({"columns": ["country"], "total": "mean"}, "segments.total: expected one of sum, row, got 'mean'"),
    ({"columns": ["country"], "top_n": 0}, "segments.top_n: must be in [1, 1000], got 0"),
    ({"columns": ["country"], "top_n": 1001}, "segments.top_n: must be in [1, 1000], got 1001"),
    ({"columns": ["country"], "min_share": 1}, "segments.min_share: must be in [0, 1), got 1"),
    ({"columns": ["country"], "fact_columns": {"channel": "chan"}},
     "segments.fact_columns.channel: not one of segments.columns"),
    ({"columns": ["orders"]}, "segments.columns: 'orders' is already the column of metric 'orders'"),
    ({"columns": ["event_date"]}, "segments.columns: 'event_date' is already daily_metrics.date_column"),
    ({"columns": ["country"], "group_by": ["x"]}, "segments.group_by: unknown key"),
])
def test_a_bad_segments_section_names_its_key(section, error):
    with pytest.raises(ConfigError) as raised:
        from_mapping({"segments": section})
    assert str(raised.value).startswith(error)


def test_the_defaults_of_the_interface():
    s = SEGMENTED.segments
    assert (s.columns, s.top_n, s.rank_by, s.min_share, s.total, s.fact_columns, s.reconciled) == \
        (("country",), 20, "orders", 0.01, "sum", (), False)
    assert from_mapping({"segments": {"columns": ["country"], "fact_columns": {"country": "c"}}}).segments.reconciled
    assert from_mapping({"segments": None}).segments is None
    assert from_mapping({"segments": {"columns": ["country"], "top_n": 1000}}).segments.top_n == 1000


@pytest.mark.parametrize("day, month", [
    (date(2026, 11, 30), (date(2026, 10, 1), date(2026, 10, 31))),
    (date(2026, 11, 1), (date(2026, 10, 1), date(2026, 10, 31))),
    (date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
    (date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
])
def test_segments_are_ranked_on_the_calendar_month_before(day, month):
    assert ranking_month(day) == month


def drop(metric, value, median, segment=None, outcome=Outcome.PASSED):
    return CheckResult(CheckName.DROP, metric, outcome, "m", value=value, median=median, segment=segment)


def test_contributions_by_hand():
    # the total fell 200 - 120 = 80; the segments' falls: NL 100 -> 40 (-60), DE 50 -> 35 (-15), sum -75 (other
    # rose 5, FR flat): NL 80 % and DE 20 % of the falls (of the total's change they were 75 % and 18.75 %)
    checks = [drop("orders", 120, 200, outcome=Outcome.WARNED), drop("orders", 40, 100, NL, Outcome.FAILED),
              drop("orders", 35, 50, DE), drop("orders", 45, 40, OTHER), drop("orders", 20, 20, FR),
              drop("revenue", 1, 1),
              drop("add_to_cart_rate", 0.1, 0.2, NL, Outcome.FAILED)]
    (c,) = contributions(SEGMENTED, checks)  # revenue did not alert; a rate is never summed
    assert c.metric == "orders"
    assert [(p.segment, p.value, p.median, p.difference, p.share) for p in c.parts] == \
        [(NL, 40, 100, -60, 0.8), (DE, 35, 50, -15, 0.2)]
    assert report.contribution_line(c) == "orders by country: NL −60 (80 % of the falls, −75), DE −15 (20 %)"


def test_at_most_five_segments_and_shares_of_the_falls_when_the_total_rose():
    parts = [drop("orders", 0, 10 * (k + 1), Segment((("country", f"C{k}"),))) for k in range(7)]
    (c,) = contributions(SEGMENTED, [drop("orders", 500, 400), *parts[:-1],
                                     drop("orders", 0, 70, parts[-1].segment, Outcome.FAILED)])
    assert [p.difference for p in c.parts] == [-70, -60, -50, -40, -30]
    assert c.falls == -280  # 10 + 20 + ... + 70
    assert report.contribution_line(c) == ("orders by country: C6 −70 (25 % of the falls, −280), C5 −60 (21 %), "
                                           "C4 −50 (18 %), C3 −40 (14 %), C2 −30 (11 %)")


def evaluation(segmented=True):
    checks = (drop("orders", 100, 100), drop("orders", 0, 24, NL, Outcome.FAILED), drop("orders", 5, 5, OTHER))
    return Evaluation(date(2026, 11, 30), checks, 1, segmented=segmented,
                      contributions=contributions(SEGMENTED, checks))


def test_report_lines_name_the_segment_and_fold_its_passing_checks():
    text = report.text(evaluation())
    assert "[CRITICAL] orders [country=NL]: m" in text.splitlines()
    assert "[OK] orders: m" in text.splitlines() and "[OK] [other]: 1 checks pass" in text.splitlines()
    assert "contributions: orders by country: NL −24" in text


def test_json_has_segments_only_when_segmented():
    doc = report.document(evaluation())
    assert [c["segment"] for c in doc["checks"]] == [None, {"country": "NL"}, {"other": True}]
    assert doc["contributions"] == {"orders": [{"segment": {"country": "NL"}, "value": 0, "median": 24,
                                                "difference": -24, "share": 1.0}]}
    plain = report.document(Evaluation(date(2026, 11, 30), (drop("orders", 100, 100),), 1))
    assert "contributions" not in plain and "segment" not in plain["checks"][0]


def test_gauges_carry_the_segment_label_empty_for_the_total():
    registry = build_registry(SEGMENTED, RunInfo(0, 1), evaluation())
    values = {tuple(sorted(s.labels.items())): s.value for s in registry.collect() for s in s.samples
              if s.name == "dmm_metric_value"}
    assert values == {(("metric", "orders"), ("segment", "")): 100,
                      (("metric", "orders"), ("segment", "country=NL")): 0,
                      (("metric", "orders"), ("segment", "other")): 5}
    plain = build_registry(from_mapping({}), RunInfo(0, 1), evaluation(segmented=False))
    assert all("segment" not in s.labels for f in plain.collect() for s in f.samples)


def test_the_ledger_stores_a_segments_label():
    run = LedgerRun("r", None, "check", "p")
    assert [r["segment"] for r in rows(run, [evaluation()])] == [None, "country=NL", "other"]


def test_segment_values_of_any_type_are_json_and_labels():
    from decimal import Decimal

    s = Segment((("cohort", date(2026, 10, 1)), ("shop", Decimal("42")), ("rate", Decimal("0.5"))))
    assert s.document == {"cohort": "2026-10-01", "shop": 42, "rate": 0.5}
    assert s.label == "cohort=2026-10-01,shop=42,rate=0.5" and s.short == "2026-10-01/42/0.5"
    assert OTHER.document == {"other": True} and OTHER.label == "other"


def test_a_missing_day_is_no_known_event_of_the_report():
    from exporter.judge import evaluate
    from exporter.judge.model import Measurements

    day = date(2026, 11, 27)
    e = evaluate(Measurements(day, (), 0, None, {day: "Black Friday"}), from_mapping({}))
    assert (e.known_event, e.checks[0].name, e.severity.label) == (None, CheckName.ROW_PRESENT, "critical")
