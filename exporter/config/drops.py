"""Reading the drop checks' config (pure): baselines, thresholds, per-metric overrides and the calendar's events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ..errors import ConfigError
from .reader import Range, Section, boolean, identifier_list, integer, iso_date, kind, number, one_of, text, within
from .schema import DIRECTIONS, MODES, BaselineWindow, DropRule, Shift

DAYS = Range(1, 365)
"""baseline.days and min_days: at most a year of daily rows before D."""
WEEKS = Range(1, 52)
"""baseline.weeks and min_weeks: at most a year of same weekdays."""
FRAC = Range(0, 1, low_open=True)
Z = Range(-1000, 0, high_open=True)
"""A drop's z threshold is negative and finite; below -1000 no robust z of real data would ever reach it."""
SPIKE_FRAC = Range(1, 1000, low_open=True)
SPIKE_Z = Range(0, 1000, low_open=True)
"""A spike's: above the median (frac > 1, z > 0), at most a thousand-fold and a z of 1000."""
STATISTICS = ("auto", "robust", "count")
ESCALATE = Range(0, 60)
"""thresholds.escalate_after_days: 0 (never) or a run of at most two months of WARN days."""


def override(section: Section, d: DropRule) -> DropRule:
    """metrics.overrides.<metric>: its own `baseline`, `thresholds: {warn, critical, spike}`, `direction` and
    `statistic`, each key defaulting to `d`."""
    t = section.section("thresholds")
    rule = drop_rule(section.section("baseline"), t, d, f"{section.location}.")
    direction = section.get("direction", one_of(DIRECTIONS, text), d.direction)
    statistic = section.get("statistic", one_of(STATISTICS, text), d.statistic)
    t.reject_unknown()
    section.reject_unknown()
    return replace(rule, direction=direction, statistic=statistic)


def drop_rule(b: Section, t: Section, d: DropRule, where: str = "") -> DropRule:
    """The `baseline` and the `thresholds.warn/critical` and `thresholds.spike.warn/critical` sections read over
    the defaults `d`."""
    warn, crit, spike = t.section("warn"), t.section("critical"), t.section("spike")
    spike_warn, spike_crit = spike.section("warn"), spike.section("critical")
    mode = b.get("mode", one_of(MODES, text), d.baseline.mode)
    days, weeks, frac, z = within(integer, DAYS), within(integer, WEEKS), within(number, FRAC), within(number, Z)
    spike_frac, spike_z = within(number, SPIKE_FRAC), within(number, SPIKE_Z)
    rule = DropRule(
        BaselineWindow(mode, b.get("days", days, d.baseline.days), b.get("min_days", days, d.baseline.min_days),
                       b.get("weeks", weeks, d.baseline.weeks), b.get("min_weeks", weeks, d.baseline.min_weeks),
                       b.get("exclude_alerted", boolean, d.baseline.exclude_alerted)),
        replace(d.thresholds, warn_frac=warn.get("frac", frac, d.thresholds.warn_frac),
                warn_z=warn.get("z", z, d.thresholds.warn_z),
                critical_frac=crit.get("frac", frac, d.thresholds.critical_frac),
                critical_z=crit.get("z", z, d.thresholds.critical_z),
                spike_warn_frac=spike_warn.get("frac", spike_frac, d.thresholds.spike_warn_frac),
                spike_warn_z=spike_warn.get("z", spike_z, d.thresholds.spike_warn_z),
                spike_critical_frac=spike_crit.get("frac", spike_frac, d.thresholds.spike_critical_frac),
                spike_critical_z=spike_crit.get("z", spike_z, d.thresholds.spike_critical_z),
                escalate_after_days=t.get("escalate_after_days", within(integer, ESCALATE),
                                          d.thresholds.escalate_after_days)), d.direction, d.statistic)
    for inner in (b, warn, crit, spike, spike_warn, spike_crit):
        inner.reject_unknown()
    check_rule(rule, where)
    return rule


def events(calendar: Section) -> tuple[tuple[date, str], ...]:
    """calendar.events: [{date, name}], in date order."""
    return tuple(sorted((day, name) for day, name, _ in _dated(calendar, "events")))


def _dated(calendar: Section, key: str, extra: str | None = None) -> list[tuple[date, str, Any]]:
    """The (date, name, `extra` key's value) of each entry of the list calendar.<key>; both date and name needed."""
    raw = calendar.get(key, lambda v, where: v, [])
    if not isinstance(raw, list):
        raise ConfigError(f"calendar.{key}: expected a list of {{date, name}}, got {kind(raw)}")
    out = []
    for i, item in enumerate(raw):
        entry = Section(item, f"calendar.{key}[{i}]")
        day, name = entry.get("date", iso_date, None), entry.get("name", text, None)
        more = entry.get(extra, identifier_list, []) if extra else None
        entry.reject_unknown()
        if day is None or name is None:
            raise ConfigError(f"calendar.{key}[{i}]: needs both date and name")
        out.append((day, name, more))
    return out


def check_rule(rule: DropRule, where: str) -> None:
    t, b = rule.thresholds, rule.baseline
    for ok, message in [
        (t.critical_frac <= t.warn_frac,
         "thresholds.warn.frac: WARN must not be stricter than CRITICAL (warn.frac >= critical.frac)"),
        (t.critical_z <= t.warn_z, "thresholds.warn.z: WARN must not be stricter than CRITICAL (warn.z >= critical.z)"),
        (t.spike_warn_frac <= t.spike_critical_frac,
         "thresholds.spike.warn.frac: WARN must not be stricter than CRITICAL (warn.frac <= critical.frac)"),
        (t.spike_warn_z <= t.spike_critical_z,
         "thresholds.spike.warn.z: WARN must not be stricter than CRITICAL (warn.z <= critical.z)"),
        (1 <= b.min_days <= b.days, "baseline.min_days: must be between 1 and baseline.days"),
        (1 <= b.min_weeks <= b.weeks, "baseline.min_weeks: must be between 1 and baseline.weeks"),
    ]:
        if not ok:
            raise ConfigError(where + message)


def shifts(calendar: Section, metrics: tuple[str, ...]) -> tuple[Shift, ...]:
    """calendar.shifts: [{date, name, metrics}], oldest first; `metrics` (default: all) must name known metrics."""
    out = []
    for i, (day, name, names) in enumerate(_dated(calendar, "shifts", "metrics")):
        unknown = [m for m in names if m not in metrics]
        if unknown:
            raise ConfigError(f"calendar.shifts[{i}].metrics: unknown metric {unknown[0]!r}: "
                              f"one of {', '.join(metrics)}")
        out.append(Shift(day, name, tuple(names)))
    return tuple(sorted(out, key=lambda s: s.day))
