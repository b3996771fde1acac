"""Layer 3, business sanity: a metric's robust drop or spike against its trusted baseline. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..config import DropRule, Shift, Thresholds
from ..numbers import fmt, shown
from .drop_rule import CODES, classify, levels
from .model import CheckName, CheckResult, Outcome

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


def changes(name: str, judged: tuple, how: Judging, event: str | None = None,
            shift: Shift | None = None, day: date | None = None) -> list[CheckResult]:
    """The drop and/or spike check of metric `name` on one judged day (`Judged.at`), by the rule's direction."""
    return [_change(name, direction, judged, how, event, shift, day) for direction in how.rule.directions]


def _change(name: str, direction: str, judged: tuple, how: Judging, event: str | None, shift: Shift | None,
            day: date | None) -> CheckResult:
    rule = how.rule
    check, window = CHECKS[direction], rule.baseline
    value, median, mad, z, frac_, size, left_out, finite, codes = judged
    today, frac = _number(value), _number(frac_)
    if today is None:
        return CheckResult(check, name, Outcome.NOT_EVALUATED, "value undefined for the target day",
                           baseline_days=size)
    if size < window.minimum:
        return CheckResult(check, name, Outcome.NOT_EVALUATED, _too_little(rule, size, left_out, shift, day),
                           value=today, baseline_days=size)
    if not finite:
        return CheckResult(check, name, Outcome.NOT_EVALUATED,
                           f"not evaluated: the baseline's statistics are not finite (median {median}, MAD {mad}): "
                           "its values are too large to compute with", value=today, baseline_days=size)
    outcome = CODES[codes[direction]]
    z_levels, frac_levels = how.marks[direction]
    z_text = "flat baseline" if mad == 0 else f"z={shown(z, 1, z_levels)}"
    frac_text = "median 0" if frac is None else f"frac={shown(frac, 2, frac_levels)}"
    label = "median" if window.mode == "rolling" else f"{window.name} median"
    numbers = f"{fmt(today)} vs {label} {fmt(median)}"
    tail = f", {_count(left_out, window)} left out" if left_out else ""
    message = (f"within normal range ({numbers}, {z_text}, {frac_text}{tail})" if outcome is Outcome.PASSED
               else f"{numbers} ({z_text}, {frac_text}{tail})")
    if event:
        outcome, message = Outcome.EXPECTED, f"expected on a known event ({event}): {numbers}, {z_text}, {frac_text}"
    return CheckResult(check, name, outcome, message, value=today, median=median, mad=mad, z=z, frac=frac,
                       baseline_days=size)


def _too_little(rule: DropRule, size: int, left_out: int, shift: Shift | None, day: date | None) -> str:
    window = rule.baseline
    if shift is not None and day is not None:
        return (f"not evaluated: {(day - shift.day).days} days since the accepted shift {shift.name!r} "
                f"({shift.day}): the baseline needs {window.minimum} {window.unit} from it, has {size}")
    if left_out:
        return (f"insufficient trusted history ({size}/{window.slots} {window.unit}; "
                f"{_count(left_out, window)} left out)")
    return f"insufficient history ({size}/{len(window.offsets)} {window.unit})"


def traffic_normal(events: CheckResult, t: Thresholds) -> bool:
    """Events did not drop: too little history to tell, or a value within the drop thresholds (known events too)."""
    if events.outcome is Outcome.NOT_EVALUATED or events.z is None:
        return True
    return classify(events.z, events.frac, t, "drop") is Outcome.PASSED


def _count(alerted: int, window) -> str:
    """'1 alerted day', '4 alerted same weekdays'."""
    unit = window.unit[:-1] if alerted == 1 else window.unit
    return f"{alerted} alerted {unit}"


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
