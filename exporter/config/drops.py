"""Reading the drop checks' config (pure): baselines, thresholds, per-metric overrides and the calendar's events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..errors import ConfigError
from .reader import Section, integer, iso_date, kind, number, text
from .schema import MODES, BaselineWindow, DropRule


def override(section: Section, d: DropRule) -> DropRule:
    """metrics.overrides.<metric>: its own `baseline` and `thresholds: {warn, critical}`, each key defaulting to `d`."""
    t = section.section("thresholds")
    rule = drop_rule(section.section("baseline"), t, d, f"{section.location}.")
    t.reject_unknown()
    section.reject_unknown()
    return rule


def drop_rule(b: Section, t: Section, d: DropRule, where: str = "") -> DropRule:
    """The `baseline` and the `thresholds.warn/critical` sections read over the defaults `d`."""
    warn, crit = t.section("warn"), t.section("critical")
    mode = b.get("mode", text, d.baseline.mode)
    if mode not in MODES:
        raise ConfigError(f"{b.location}.mode: expected one of {', '.join(MODES)}, got {mode!r}")
    rule = DropRule(
        BaselineWindow(mode, b.get("days", integer, d.baseline.days), b.get("min_days", integer, d.baseline.min_days),
                 b.get("weeks", integer, d.baseline.weeks), b.get("min_weeks", integer, d.baseline.min_weeks)),
        replace(d.thresholds, warn_frac=warn.get("frac", number, d.thresholds.warn_frac),
                warn_z=warn.get("z", number, d.thresholds.warn_z),
                critical_frac=crit.get("frac", number, d.thresholds.critical_frac),
                critical_z=crit.get("z", number, d.thresholds.critical_z)))
    for inner in (b, warn, crit):
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
        (b.days >= 1, "baseline.days: must be at least 1"),
        (1 <= b.min_days <= b.days, "baseline.min_days: must be between 1 and baseline.days"),
        (b.weeks >= 1, "baseline.weeks: must be at least 1"),
        (1 <= b.min_weeks <= b.weeks, "baseline.min_weeks: must be between 1 and baseline.weeks"),
    ]:
        if not ok:
            raise ConfigError(where + message)
