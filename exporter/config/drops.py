"""Reading the drop checks' config (pure): baselines, thresholds, per-metric overrides and the calendar's events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..errors import ConfigError
from .reader import Section, boolean, identifier_list, integer, iso_date, kind, number, text
from .schema import DIRECTIONS, MODES, BaselineWindow, DropRule, Shift


def override(section: Section, d: DropRule) -> DropRule:
    """metrics.overrides.<metric>: its own `baseline`, `thresholds: {warn, critical, spike}` and `direction`,
    each key defaulting to `d`."""
    t = section.section("thresholds")
    rule = drop_rule(section.section("baseline"), t, d, f"{section.location}.")
    direction = section.get("direction", text, d.direction)
    if direction not in DIRECTIONS:
        raise ConfigError(f"{section.location}.direction: expected one of {', '.join(DIRECTIONS)}, got {direction!r}")
    t.reject_unknown()
    section.reject_unknown()
    return replace(rule, direction=direction)


def drop_rule(b: Section, t: Section, d: DropRule, where: str = "") -> DropRule:
    """The `baseline` and the `thresholds.warn/critical` and `thresholds.spike.warn/critical` sections read over
    the defaults `d`."""
    warn, crit, spike = t.section("warn"), t.section("critical"), t.section("spike")
    spike_warn, spike_crit = spike.section("warn"), spike.section("critical")
    mode = b.get("mode", text, d.baseline.mode)
    if mode not in MODES:
        raise ConfigError(f"{b.location}.mode: expected one of {', '.join(MODES)}, got {mode!r}")
    rule = DropRule(
        BaselineWindow(mode, b.get("days", integer, d.baseline.days), b.get("min_days", integer, d.baseline.min_days),
                 b.get("weeks", integer, d.baseline.weeks), b.get("min_weeks", integer, d.baseline.min_weeks),
                       b.get("exclude_alerted", boolean, d.baseline.exclude_alerted)),
        replace(d.thresholds, warn_frac=warn.get("frac", number, d.thresholds.warn_frac),
                warn_z=warn.get("z", number, d.thresholds.warn_z),
                critical_frac=crit.get("frac", number, d.thresholds.critical_frac),
                critical_z=crit.get("z", number, d.thresholds.critical_z),
                spike_warn_frac=spike_warn.get("frac", number, d.thresholds.spike_warn_frac),
                spike_warn_z=spike_warn.get("z", number, d.thresholds.spike_warn_z),
                spike_critical_frac=spike_crit.get("frac", number, d.thresholds.spike_critical_frac),
                spike_critical_z=spike_crit.get("z", number, d.thresholds.spike_critical_z)), d.direction)
    for inner in (b, warn, crit, spike, spike_warn, spike_crit):
        inner.reject_unknown()
    check_rule(rule, where)
    return rule


def events(calendar: Section) -> tuple[tuple[date, str], ...]:
    raw = calendar.get("events", lambda v, where: v, [])
    if not isinstance(raw, list):
        raise ConfigError(f"calendar.events: expected a list of {{date, name}}, got {kind(raw)}")
    events = []
    for i, item in enumerate(raw):
        event = Section(item, f"calendar.events[{i}]")
        day = event.get("date", iso_date, None)
        name = event.get("name", text, None)
        event.reject_unknown()
        if day is None or name is None:
            raise ConfigError(f"calendar.events[{i}]: needs both date and name")
        events.append((day, name))
    return tuple(sorted(events))


def check_rule(rule: DropRule, where: str) -> None:
    t, b = rule.thresholds, rule.baseline
    for ok, message in [
        (0 < t.critical_frac <= 1, "thresholds.critical.frac: must be in (0, 1]"),
        (0 < t.warn_frac <= 1, "thresholds.warn.frac: must be in (0, 1]"),
        (t.critical_z < 0, "thresholds.critical.z: must be negative"),
        (t.warn_z < 0, "thresholds.warn.z: must be negative"),
        (t.critical_frac <= t.warn_frac,
         "thresholds.warn.frac: WARN must not be stricter than CRITICAL (warn.frac >= critical.frac)"),
        (t.critical_z <= t.warn_z, "thresholds.warn.z: WARN must not be stricter than CRITICAL (warn.z >= critical.z)"),
        (t.spike_warn_frac > 1, "thresholds.spike.warn.frac: must be above 1"),
        (t.spike_critical_frac > 1, "thresholds.spike.critical.frac: must be above 1"),
        (t.spike_warn_z > 0, "thresholds.spike.warn.z: must be positive"),
        (t.spike_critical_z > 0, "thresholds.spike.critical.z: must be positive"),
        (t.spike_warn_frac <= t.spike_critical_frac,
         "thresholds.spike.warn.frac: WARN must not be stricter than CRITICAL (warn.frac <= critical.frac)"),
        (t.spike_warn_z <= t.spike_critical_z,
         "thresholds.spike.warn.z: WARN must not be stricter than CRITICAL (warn.z <= critical.z)"),
        (b.days >= 1, "baseline.days: must be at least 1"),
        (1 <= b.min_days <= b.days, "baseline.min_days: must be between 1 and baseline.days"),
        (b.weeks >= 1, "baseline.weeks: must be at least 1"),
        (1 <= b.min_weeks <= b.weeks, "baseline.min_weeks: must be between 1 and baseline.weeks"),
    ]:
        if not ok:
            raise ConfigError(where + message)


def shifts(calendar: Section, metrics: tuple[str, ...]) -> tuple[Shift, ...]:
    """calendar.shifts: [{date, name, metrics}], oldest first; `metrics` (default: all) must name known metrics."""
    raw = calendar.get("shifts", lambda v, where: v, [])
    if not isinstance(raw, list):
        raise ConfigError(f"calendar.shifts: expected a list of {{date, name}}, got {kind(raw)}")
    out = []
    for i, item in enumerate(raw):
        entry = Section(item, f"calendar.shifts[{i}]")
        day, name = entry.get("date", iso_date, None), entry.get("name", text, None)
        names = tuple(entry.get("metrics", identifier_list, []))
        entry.reject_unknown()
        if day is None or name is None:
            raise ConfigError(f"calendar.shifts[{i}]: needs both date and name")
        unknown = [m for m in names if m not in metrics]
        if unknown:
            raise ConfigError(f"calendar.shifts[{i}].metrics: unknown metric {unknown[0]!r}: "
                              f"one of {', '.join(metrics)}")
        out.append(Shift(day, name, names))
    return tuple(sorted(out, key=lambda s: s.day))
