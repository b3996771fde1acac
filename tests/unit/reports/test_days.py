"""How the backtest page names each day and check: real drops apart from days that could not be judged."""

from datetime import date

from exporter.judge.model import CheckName, CheckResult, Evaluation, Outcome, Reason
from exporter.reports.days import check_kind, day_kind, incidents

D = date(2026, 11, 25)


def drop(outcome: Outcome, value=None, median=None) -> CheckResult:
    """Not evaluated: too little history when there is a value today, else undefined (the reasons the judge gives)."""
    reason = None if outcome is not Outcome.NOT_EVALUATED else \
        Reason.INSUFFICIENT_HISTORY if value is not None else Reason.UNDEFINED
    return CheckResult(CheckName.DROP, "orders", outcome, "m", value=value, median=median, reason=reason)


def test_check_kinds_tell_short_history_from_undefined_values_and_real_drops():
    assert check_kind(drop(Outcome.NOT_EVALUATED, value=10.0)) == "insufficient history"
    assert check_kind(drop(Outcome.NOT_EVALUATED)) == "not evaluated"  # NULL today
    assert check_kind(drop(Outcome.WARNED, 5.0, 10.0)) == "warn"
    assert check_kind(drop(Outcome.FAILED, 1.0, 10.0)) == "critical"
    assert check_kind(drop(Outcome.EXPECTED, 1.0, 10.0)) == "ok"


def test_day_kinds_and_the_incident_order():
    days = [Evaluation(date(2026, 11, n), checks)
            for n, checks in ((1, (drop(Outcome.NOT_EVALUATED, value=3.0),)), (2, (drop(Outcome.WARNED, 5.0, 10.0),)),
                              (3, (drop(Outcome.FAILED, 1.0, 10.0), drop(Outcome.WARNED, 5.0, 10.0))),
                              (4, (drop(Outcome.PASSED, 9.0, 10.0),)))]
    days.append(Evaluation(date(2026, 11, 5), (drop(Outcome.EXPECTED, 1.0, 10.0),), known_event="Sale"))
    assert [day_kind(e) for e in days] == ["not evaluated", "warn", "critical", "ok", "known event"]
    assert [(e.target_date.day, kind) for e, kind, _ in incidents(days)] == [
        (3, "critical"), (2, "warn"), (1, "not evaluated")]


def test_a_quiet_range_says_so_instead_of_an_empty_list():
    from exporter.reports.html import _incidents

    quiet = [Evaluation(date(2026, 11, n), (drop(Outcome.PASSED, 9.0, 10.0),)) for n in (1, 2)]
    assert "Every day was OK." in _incidents(quiet) and "Days not OK: 0" in _incidents(quiet)
