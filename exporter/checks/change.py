"""drop and spike (layer 3, business sanity): a metric's robust drop or spike against its trusted baseline.

One rule in two directions; the judge (`codes`, `classify`) and these alert rules read the same table of
bounds (`judge.drop_rule.BOUNDS`), so a day's verdict and the PromQL that pages on it never disagree. Pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from ..config import Config, DropRule, Shift
from ..families import (
    ACCEPTED_SHIFT,
    BASELINE_MAD,
    BASELINE_MEDIAN,
    BASELINE_SIZE,
    ESCALATION_STREAK,
    FAMILIES,
    FRACTION,
    KNOWN_EVENT,
    METRIC_VALUE,
    THRESHOLD_MIN_BASELINE_SIZE,
    ZSCORE,
)
from ..judge.drop_rule import BOUNDS, CODES, levels, limits
from ..judge.model import CheckName, CheckResult, Outcome, Reason, Severity
from ..judge.trust import Judged
from ..numbers import fmt, midnight, number, shown
from .alerting import Alert, about, on, query, selector, since
from .change_cases import cases
from .groups import described, either, judged
from .spec import Check, Day

CHECKS = {"drop": CheckName.DROP, "spike": CheckName.SPIKE}


@dataclass(frozen=True)
class Judging:
    """A metric's rule and, per direction it is judged in, the z and frac levels its messages print numbers
    against (worked out once per judgement, not once per day)."""

    rule: DropRule
    marks: dict[str, tuple[tuple[float, float], tuple[float, float]]]


def judging(rule: DropRule) -> Judging:
    return Judging(rule, {d: (levels(rule.thresholds, d, "z"), levels(rule.thresholds, d, "frac"))
                          for d in rule.directions})


EXPECTED, UNDEFINED, SHORT, NOT_FINITE = -1, 3, 4, 5
"""A change's codes besides 0, 1, 2 (passed, warned, failed: `drop_rule.codes`)."""


def verdicts(judged: Judged, rule: DropRule, events: np.ndarray) -> dict[str, np.ndarray]:
    """The rule on every judged cell, per direction: undefined (no value), too little history, statistics not
    finite, else expected on a known event, else the level crossed (`drop_rule.codes`)."""
    out = {}
    for direction in rule.directions:
        code = np.where(events, EXPECTED, judged.codes[direction])
        code = np.where(judged.finite, code, NOT_FINITE)
        code = np.where(judged.size < rule.baseline.minimum, SHORT, code)
        out[direction] = np.where(np.isnan(judged.value), UNDEFINED, code)
    return out


def changes(name: str, judged: tuple, how: Judging, codes: dict[str, int], event: str | None = None,
            shift: Shift | None = None, day: date | None = None) -> list[CheckResult]:
    """The drop and/or spike check of metric `name` on one judged day (`Judged.at`), by the rule's direction,
    with its verdict code per direction (`verdicts`)."""
    return [_change(name, direction, judged, how, codes[direction], event, shift, day)
            for direction in how.rule.directions]


def _change(name: str, direction: str, judged: tuple, how: Judging, code: int, event: str | None,
            shift: Shift | None, day: date | None) -> CheckResult:
    rule = how.rule
    check, window = CHECKS[direction], rule.baseline
    value, median, mad, z, frac_, size, left_out, _, p, escalated, _ = judged
    today, frac = _number(value), _number(frac_)
    if code == UNDEFINED:
        return CheckResult(check, name, Outcome.NOT_EVALUATED, "value undefined for the target day",
                           baseline_days=size, reason=Reason.UNDEFINED)
    if code == SHORT:
        return CheckResult(check, name, Outcome.NOT_EVALUATED, _too_little(rule, size, left_out, shift, day),
                           value=today, baseline_days=size,
                           reason=Reason.SINCE_SHIFT if shift is not None else Reason.INSUFFICIENT_HISTORY)
    if code == NOT_FINITE:
        return CheckResult(check, name, Outcome.NOT_EVALUATED,
                           f"not evaluated: the baseline's statistics are not finite (median {median}, MAD {mad}): "
                           "its values are too large to compute with", value=today, baseline_days=size,
                           reason=Reason.NOT_FINITE)
    outcome = Outcome.EXPECTED if code == EXPECTED else CODES[code]
    assert today is not None  # judged: a value
    z_levels, frac_levels = how.marks[direction]
    z_text = _z_text(z, mad, p, z_levels)
    frac_text = "median 0" if frac is None else f"frac={shown(frac, 2, frac_levels)}"
    label = "median" if window.mode == "rolling" else f"{window.name} median"
    numbers = f"{fmt(today)} vs {label} {fmt(median)}"
    if outcome is Outcome.EXPECTED:
        return CheckResult(check, name, outcome, f"expected on a known event ({event}): {numbers}, {z_text}, "
                           f"{frac_text}", value=today, median=median, mad=mad, z=z, frac=frac, baseline_days=size,
                           escalated=0)
    tail = f", {_count(left_out, window)} left out" if left_out else ""
    tail += f", WARN {escalated} days in a row: escalated" if escalated else ""
    message = (f"within normal range ({numbers}, {z_text}, {frac_text}{tail})" if outcome is Outcome.PASSED
               else f"{numbers} ({z_text}, {frac_text}{tail})")
    return CheckResult(check, name, outcome, message, value=today, median=median, mad=mad, z=z, frac=frac,
                       baseline_days=size, escalated=escalated if outcome is Outcome.FAILED else 0)


def _z_text(z: float, mad: float, p: float, z_levels: tuple[float, float]) -> str:
    """'z=-4.1', 'flat baseline' (robust, MAD 0: z is the sign alone) or 'p=0.0012, z=-4.1' (a count's tail)."""
    if not math.isnan(p):
        return f"p={p:.2g}, z={shown(z, 1, z_levels)}"
    return "flat baseline" if mad == 0 else f"z={shown(z, 1, z_levels)}"


def _too_little(rule: DropRule, size: int, left_out: int, shift: Shift | None, day: date | None) -> str:
    window = rule.baseline
    if shift is not None and day is not None:
        return (f"not evaluated: {(day - shift.day).days} days since the accepted shift {shift.name!r} "
                f"({shift.day}): the baseline needs {window.minimum} {window.unit} from it, has {size}")
    if left_out:
        return (f"insufficient trusted history ({size}/{window.slots} {window.unit}; "
                f"{_count(left_out, window)} left out)")
    return f"insufficient history ({size}/{len(window.offsets)} {window.unit})"


def _count(alerted: int, window) -> str:
    """'1 alerted day', '4 alerted same weekdays'."""
    unit = window.unit[:-1] if alerted == 1 else window.unit
    return f"{alerted} alerted {unit}"


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


GAUGES = {"frac": FRACTION, "z": ZSCORE}
"""The pushed gauge of each statistic the drop and spike rules compare."""
NAMES = {"drop": ("DailyMetricsSharpDrop", "DailyMetricsDrop", "dropped sharply", "dropped significantly"),
         "spike": ("DailyMetricsSharpSpike", "DailyMetricsSpike", "spiked sharply", "rose significantly")}


def expression(c: Config, sel: str, direction: str, level: str) -> str:
    """Every bound of the level crossed, per group of metrics sharing thresholds."""
    def term(m: str, values: Any) -> str:
        return f" and {on(c)} ".join(f"{GAUGES[b.statistic]}{{{sel}{m}}} {b.op} {number(v)}"
                                  for b, v in zip(BOUNDS[direction], values, strict=True))
    return either(c, lambda r: limits(r.thresholds, level, direction), term, direction)


def escalated(c: Config, sel: str, direction: str, critical: str) -> str:
    """The CRITICAL expression, or a WARN the job escalated (dmm_check_escalation_streak > 0): its frac, so the alert's
    value stays the fraction of median. Unchanged when no metric judged this way escalates."""
    if not any(c.drop_rule(m).thresholds.escalate_after_days for m in judged(c, direction)):
        return critical
    check = CheckName.DROP if direction == "drop" else CheckName.SPIKE
    return (f"({critical})\nor\n({GAUGES['frac']}{{{sel}}} and {on(c)} "
            f'{ESCALATION_STREAK}{{{sel},check="{check}"}} > 0)')


def _escalation(c: Config, direction: str) -> str:
    """', or a WARN for 3 days in a row' (and each overridden group's) where escalation is on."""
    text = described(c, lambda r: r.thresholds.escalate_after_days,
                     lambda n: f"a WARN for {n} days in a row" if n else "", direction)
    return f", or {text}" if text.strip("; ") else ""


def levels_text(c: Config, direction: str, level: str) -> str:
    """'frac < 0.3 and z <= -5' (and each overridden group's), for the description."""
    return described(c, lambda r: limits(r.thresholds, level, direction),
                     lambda values: " and ".join(f"{b.statistic} {b.op} {number(v)}"
                                                 for b, v in zip(BOUNDS[direction], values, strict=True)),
                     direction)


def minimum_expr(c: Config) -> str:
    """Fewer usable baseline days than the minimum, per group of metrics sharing it."""
    sel = selector(c)
    return either(c, lambda r: r.baseline.minimum, lambda m, n: f"{BASELINE_SIZE}{{{sel}{m}}} < {number(n)}")


def _alerts(c: Config) -> list[Alert]:
    """The CRITICAL and WARN alerts of each direction some metric is judged in (drops first)."""
    sel = selector(c)
    names = {c.drop_rule(m).baseline.name for m in c.drop_metrics}
    numbers = (f"{about(c)} = {query(c, METRIC_VALUE)} vs "
               f"{names.pop() if len(names) == 1 else 'baseline'} median "
               f"{query(c, BASELINE_MEDIAN)} (z={query(c, ZSCORE)}, "
               f"frac={{{{ $value | printf \"%.4g\" }}}}) in pipeline {{{{ $labels.pipeline }}}}.")
    expected = f"unless on (job, pipeline) {KNOWN_EVENT}{{{sel}}} == 1"
    out = []
    for direction in ("drop", "spike"):
        if not judged(c, direction):
            continue
        sharp, plain, sharp_text, plain_text = NAMES[direction]
        check = (("check", CheckName.DROP if direction == "drop" else CheckName.SPIKE),)
        critical = escalated(c, sel, direction, expression(c, sel, direction, "critical"))
        warn = expression(c, sel, direction, "warn")
        incident = since(c, check[0][1], "down" if direction == "drop" else "up")
        out += [Alert(sharp, f"({critical})\n{expected}", Severity.CRITICAL, f"{about(c)} {sharp_text}",
                      f"{numbers} CRITICAL: {levels_text(c, direction, 'critical')}{_escalation(c, direction)}.",
                      check, incident=incident),
                Alert(plain, f"({warn})\nunless {on(c)}\n({critical})\n{expected}", Severity.WARN,
                      f"{about(c)} {plain_text}", f"{numbers} WARN: {levels_text(c, direction, 'warn')}.",
                      check, incident=incident)]
    return [*out, Alert("DailyMetricsInsufficientHistory", minimum_expr(c), Severity.WARN,
                        f"{about(c)} has too little history to judge a drop",
                        f"Only {{{{ $value }}}} baseline days are usable for {about(c)} in pipeline "
                        f"{{{{ $labels.pipeline }}}} (at least "
                        f"{described(c, lambda r: r.baseline.minimum, lambda n: f'{n} needed')}).",
                        (("check", CheckName.DROP),))]


def _gauges(r: CheckResult) -> list:
    return [(METRIC_VALUE, r.value, {}), (BASELINE_MEDIAN, r.median, {}), (BASELINE_MAD, r.mad, {}),
            (ZSCORE, r.z, {}), (FRACTION, r.frac, {}), (BASELINE_SIZE, r.baseline_days, {}),
            (ESCALATION_STREAK, r.escalated, {"check": r.name})]


def _thresholds(c: Config, day: date) -> list:
    """Each metric's own thresholds, for the directions it is judged in, its minimum history and its shift."""
    out = []
    for metric in c.drop_metrics:
        rule, of = c.drop_rule(metric), {"metric": metric}
        for direction in rule.directions:
            prefix = "spike_" if direction == "spike" else ""
            for level in ("warn", "critical"):
                frac, z = limits(rule.thresholds, level, direction)
                out += [(FAMILIES[f"threshold_{prefix}{level}_fraction_ratio"], frac, of),
                        (FAMILIES[f"threshold_{prefix}{level}_zscore"], z, of)]
        out.append((THRESHOLD_MIN_BASELINE_SIZE, rule.baseline.minimum, of))
        shifts = [s.day for s in c.shifts(metric) if s.day <= day]
        if shifts:
            out.append((ACCEPTED_SHIFT, midnight(max(shifts)), of))
    return out


def _evaluate(d: Day) -> list[CheckResult]:
    """The changes judged for the day; a vanished segment's volume metrics only (its rates are undefined)."""
    return [ch for ch in d.changes if ch.metric in d.c.volume_metrics] if d.vanished else d.changes


CHECK = Check(
    (CheckName.DROP, CheckName.SPIKE), "Each metric against its trusted baseline's median: a drop (or, with "
    "`direction: spike|both`, a spike) is WARN/CRITICAL when both its fraction of the median and its robust z "
    "cross that level's thresholds; too little history is WARN (not evaluated).", _evaluate, vanished=True,
    gauges=_gauges, thresholds=_thresholds, alerts=_alerts, cases=cases)
