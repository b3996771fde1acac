"""calendar.countries: public holidays as known events, from the `holidays` library (imported only when set). Pure.

An entry is a country (`BR`) or a country and subdivision (`US-CA`, `BR-SP`), ISO 3166 codes as the library
knows them; a day that is a holiday in any listed entry is a known event named after it ("BR: Carnival").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import ConfigError


def countries(raw: Any) -> tuple[str, ...]:
    """calendar.countries validated against the library's list: every error names the entry and its key."""
    if not raw:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ConfigError("calendar.countries: expected a list of country codes like [BR, US-CA]")
    try:
        import holidays  # only a config that lists countries pays for it (~0.1 s)
    except ImportError:
        raise ConfigError("calendar.countries: needs the holidays package: pip install "
                          "'daily-metrics-monitor[holidays]'") from None
    known = holidays.list_supported_countries()
    for i, entry in enumerate(raw):
        country, _, subdivision = entry.partition("-")
        if country not in known:
            raise ConfigError(f"calendar.countries[{i}]: unknown country {entry!r}: an ISO 3166 code the "
                              "holidays library knows (BR, DE, US, ...)")
        if subdivision and subdivision not in known[country]:
            raise ConfigError(f"calendar.countries[{i}]: {country} has no subdivision {subdivision!r}: one of "
                              f"{', '.join(known[country][:12])}{', ...' if len(known[country]) > 12 else ''}")
    return tuple(raw)


def holiday_events(entries: tuple[str, ...], first: date, last: date) -> dict[date, str]:
    """The listed countries' holidays from `first` to `last`: day -> 'BR: Carnival; US: ...'."""
    if not entries:
        return {}
    import holidays

    names: dict[date, list[str]] = {}
    years = range(first.year, last.year + 1)
    for entry in entries:
        country, _, subdivision = entry.partition("-")
        for day, name in sorted(holidays.country_holidays(country, subdiv=subdivision or None, years=years).items()):
            if first <= day <= last:
                names.setdefault(day, []).append(f"{entry}: {name}")
    return {day: "; ".join(found) for day, found in sorted(names.items())}
