"""Incidents built by hand from a history: runs, one cause, open, start-up, the ranking and the lines."""

from datetime import date

from exporter.judge.incidents import ALERT, NOT_EVALUATED, START_UP, document, incidents
from exporter.judge.model import CheckName, CheckResult, Evaluation, Outcome, Reason, Segment, Severity

NL = Segment((("country", "NL"),))
DE = Segment((("country", "DE"),))


def d(n: int) -> date:
    return date(2026, 11, n)


def check(outcome: Outcome, metric: str = "orders", value: float | None = 50.0, median: float | None = 100.0,
          segment: Segment | None = NL, name: CheckName = CheckName.DROP) -> CheckResult:
    frac = None if value is None or median is None else value / median
    reason = None if outcome is not Outcome.NOT_EVALUATED else Reason.UNDEFINED if value is None \
        else Reason.INSUFFICIENT_HISTORY  # as the judge says it (sanity.py)
    return CheckResult(name, metric, outcome, "m", value=value, median=median, frac=frac, segment=segment,
                       reason=reason)


def ok(metric: str = "orders", segment: Segment | None = NL) -> CheckResult:
    return check(Outcome.PASSED, metric, 100.0, 100.0, segment)


def days(*checks_per_day: tuple[CheckResult, ...], start: int = 1) -> list[Evaluation]:
    return [Evaluation(d(start + n), checks) for n, checks in enumerate(checks_per_day)]


def test_one_ok_day_breaks_a_run_into_two_incidents():
    warn, critical = check(Outcome.WARNED, value=60.0), check(Outcome.FAILED, value=20.0)
    found = incidents(days((warn,), (critical,), (ok(),), (warn,), (ok(),)))
    # CRITICAL before WARN: the two-day run (worst CRITICAL, peak 20 on day 2), then the one-day WARN
    assert [(i.first, i.last, i.days, i.severity) for i in found] == [
        (d(1), d(2), 2, Severity.CRITICAL), (d(4), d(4), 1, Severity.WARN)]
    assert (found[0].peak.value, found[0].peak_day) == (20.0, d(2))


def test_a_day_without_the_check_ends_the_run_too():
    warn = check(Outcome.WARNED)
    found = incidents(days((warn,), (), (warn,)))
    assert [(i.first, i.days) for i in found] == [(d(3), 1), (d(1), 1)]  # newest first


def test_checks_of_one_segment_starting_together_are_one_incident():
    orders, revenue = check(Outcome.FAILED, value=10.0), check(Outcome.WARNED, "revenue", 600.0, 1000.0)
    rate = check(Outcome.FAILED, "purchase_rate", 0.002, 0.02)
    other_country = check(Outcome.WARNED, segment=DE)
    found = incidents(days((ok(), ok("revenue")), (orders, revenue, rate, other_country), (orders, ok("revenue"))))
    assert len(found) == 2
    nl, de = found
    assert (nl.segment, nl.first, nl.last, nl.days, nl.open, nl.severity) == (NL, d(2), d(3), 2, True,
                                                                                Severity.CRITICAL)
    # worst first, then farthest from normal: orders and purchase_rate at 10 % before revenue at 60 %
    assert nl.checks == ((CheckName.DROP, "orders"), (CheckName.DROP, "purchase_rate"), (CheckName.DROP, "revenue"))
    assert nl.line() == ("CRITICAL open orders, purchase_rate, revenue [country=NL] down since 2026-11-02, day 2: "
                         "10 vs median 100 (frac 0.10) on 2026-11-02")
    assert (de.segment, de.open, de.last) == (DE, False, d(2))
    assert de.line() == ("WARN to 2026-11-02 orders [country=DE] down since 2026-11-02, day 1: "
                         "50 vs median 100 (frac 0.50) on 2026-11-02")


def test_a_run_that_starts_later_in_the_same_segment_is_its_own_incident():
    refunds = check(Outcome.FAILED, "refunds", 600.0, 100.0, name=CheckName.SPIKE)
    orders = check(Outcome.FAILED, value=10.0)
    found = incidents(days((refunds,), (refunds, ok()), (refunds, orders)))
    assert [(i.metrics, i.first, i.open, i.direction) for i in found] == [
        (("orders",), d(3), True, "down"), (("refunds",), d(1), True, "up")]  # open, newest first


def test_open_first_then_newest_then_farthest_within_a_severity():
    a, b = check(Outcome.WARNED, value=60.0), check(Outcome.WARNED, value=30.0, segment=DE)
    closed_new = check(Outcome.WARNED, "revenue", 10.0)
    found = incidents(days((closed_new,), (a, b, ok("revenue"))))
    assert [(i.segment, i.metrics) for i in found] == [(DE, ("orders",)), (NL, ("orders",)), (NL, ("revenue",))]
    critical_old = check(Outcome.FAILED, "revenue", 10.0)
    found = incidents(days((critical_old,), (a, ok("revenue"))))
    assert [i.severity for i in found] == [Severity.CRITICAL, Severity.WARN]  # CRITICAL, though closed and older


def test_start_up_days_are_one_line_however_many_checks_and_segments():
    short = [check(Outcome.NOT_EVALUATED, metric, 10.0, None, segment)
             for metric in ("orders", "revenue") for segment in (None, NL, DE)]
    later = check(Outcome.NOT_EVALUATED, "orders", 3.0, None, Segment((("country", "FR"),)))
    found = incidents(days(tuple(short), tuple(short), (ok(),), (ok(), later)))
    assert [(i.kind, i.first, i.last, i.segments) for i in found] == [
        (START_UP, d(4), d(4), 1), (START_UP, d(1), d(2), 3)]  # newest first, as every incident
    assert found[1].line() == ("START-UP 2026-11-01 .. 2026-11-02 (2 days): too little history for 2 checks in "
                               "3 segments (not alerts)")


def test_not_evaluated_is_neither_an_alert_nor_start_up():
    null_today = check(Outcome.NOT_EVALUATED, value=None, median=None, segment=None)
    real = check(Outcome.WARNED)
    found = incidents(days((null_today, real)))
    assert [i.kind for i in found] == [ALERT, NOT_EVALUATED]
    assert found[1].line().startswith("NOT EVALUATED open orders down since 2026-11-01, day 1: m")


def test_the_json_document():
    found = incidents(days((check(Outcome.FAILED, value=10.0),), start=28))
    assert document(found[0]) == {
        "kind": "alert", "severity": "critical", "segment": {"country": "NL"}, "first": "2026-11-28",
        "last": "2026-11-28", "open": True, "days": 1, "checks": [{"check": "drop", "metric": "orders"}],
        "peak": {"date": "2026-11-28", "check": "drop", "metric": "orders", "value": 10.0, "median": 100.0,
                 "frac": 0.1}, "line": found[0].line()}


def test_a_quiet_range_has_no_incidents():
    assert incidents(days((ok(),), (ok(),))) == []


def test_json_and_csv_give_the_incidents_beside_the_days():
    import csv
    import io
    import json

    from exporter.reports import history

    evaluations = days((check(Outcome.WARNED),), (ok(),), (check(Outcome.FAILED, value=10.0),))
    doc = json.loads(history.to_json(d(1), d(3), evaluations))
    assert [(i["first"], i["last"], i["open"], i["severity"]) for i in doc["incidents"]] == [
        ("2026-11-03", "2026-11-03", True, "critical"), ("2026-11-01", "2026-11-01", False, "warn")]
    rows = list(csv.DictReader(io.StringIO(history.to_csv(evaluations))))
    assert [(r["date"], r["severity"], r["incident"]) for r in rows] == [
        ("2026-11-01", "warn", "alert 2026-11-01 country=NL"), ("2026-11-02", "ok", ""),
        ("2026-11-03", "critical", "alert 2026-11-03 country=NL")]


def test_a_check_belongs_to_the_incident_of_its_run_when_a_later_run_restarts_inside_a_longer_one():
    from exporter.judge.incidents import membership

    revenue, orders = check(Outcome.WARNED, "revenue"), check(Outcome.WARNED)
    evaluations = days((revenue, orders), (revenue, ok()), (revenue, orders))
    found = incidents(evaluations)
    belongs = membership(found)
    assert [i.key for i in found] == ["alert 2026-11-03 country=NL", "alert 2026-11-01 country=NL"]
    assert [belongs(d(n), orders) for n in (1, 3)] == [found[1].key, found[0].key]
    assert belongs(d(3), revenue) == found[1].key and belongs(d(2), ok()) == ""


def test_a_spike_with_too_little_history_is_start_up_on_the_page_as_a_drop_is():
    from exporter.reports.days import check_kind

    for name in (CheckName.DROP, CheckName.SPIKE):
        short = check(Outcome.NOT_EVALUATED, "refunds", 3.0, None, name=name)
        assert check_kind(short) == "insufficient history"
        assert [i.kind for i in incidents(days((short,)))] == [START_UP]
