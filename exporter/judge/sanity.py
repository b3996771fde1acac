"""Layer 3, business sanity: a metric's robust drop against its baseline. Pure."""

from __future__ import annotations

from ..config import DropRule, Thresholds
from ..numbers import fmt, shown
from .drop_rule import classify
from .model import CheckName, CheckResult, Outcome
from .statistics import fraction_of_median, robust_stats, robust_z


def drop(name: str, today: float | None, history: list[float | None], rule: DropRule,
         event: str | None = None) -> CheckResult:
    """Today against the median and MAD of the usable baseline days; a known-event day is expected to differ."""
    t, window = rule.thresholds, rule.baseline
    usable = [v for v in history if v is not None]
    if today is None:
        return CheckResult(CheckName.DROP, name, Outcome.NOT_EVALUATED, "value undefined for the target day",
                           baseline_days=len(usable))
    if len(usable) < window.minimum:
        return CheckResult(CheckName.DROP, name, Outcome.NOT_EVALUATED,
                           f"insufficient history ({len(usable)}/{len(window.offsets)} {window.unit})",
                           value=today, baseline_days=len(usable))
    stats = robust_stats(usable)
    z, frac = robust_z(today, stats), fraction_of_median(today, stats)
    outcome = classify(z, frac, t)
    z_text = "flat baseline" if stats.mad == 0 else f"z={shown(z, 1, (t.warn_z, t.critical_z))}"
    frac_text = "median 0" if frac is None else f"frac={shown(frac, 2, (t.warn_frac, t.critical_frac))}"
    median = "median" if window.mode == "rolling" else f"{window.name} median"
    numbers = f"{fmt(today)} vs {median} {fmt(stats.median)}"
    message = (f"within normal range ({numbers}, {z_text}, {frac_text})" if outcome is Outcome.PASSED
               else f"{numbers} ({z_text}, {frac_text})")
    if event:
        outcome, message = Outcome.EXPECTED, f"expected on a known event ({event}): {numbers}, {z_text}, {frac_text}"
    return CheckResult(CheckName.DROP, name, outcome, message, value=today, median=stats.median, mad=stats.mad,
                       z=z, frac=frac, baseline_days=stats.size)


def traffic_normal(events_drop: CheckResult, t: Thresholds) -> bool:
    """Events did not drop: passed, too little history to tell, or on a known event within its thresholds."""
    if events_drop.outcome is Outcome.EXPECTED and events_drop.z is not None:
        return classify(events_drop.z, events_drop.frac, t) is Outcome.PASSED
    return events_drop.outcome in (Outcome.PASSED, Outcome.NOT_EVALUATED)
