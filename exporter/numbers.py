"""How numbers are written for people, in messages and reports. Pure, no I/O."""

from __future__ import annotations

from datetime import date, datetime, timezone


def fmt(value: float) -> str:
    """A number as people read it: 98,412 / 12,345.67 / 0.123."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 100 else f"{value:.3g}"


def shown(value: float, decimals: int, levels: tuple[float, ...]) -> str:
    """`value` rounded to `decimals`, with more digits where rounding would put it on the other side of a level
    (frac 0.5999 against 0.6 reads 0.5999, never 0.60)."""
    half = 0.5 * 10.0 ** -decimals
    if all(abs(value - level) > half for level in levels):  # too far from every level for rounding to cross it
        return f"{value:.{decimals}f}"
    for places in range(decimals, 16):
        text = f"{value:.{places}f}"
        rounded = float(text)
        if all((rounded < level) == (value < level) and (rounded == level) == (value == level) for level in levels):
            return text
    return repr(value)


def number(value: float) -> str:
    """A threshold exactly as the job uses it, as people write it: 0.3, -5, 93600, 0.5555555."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def midnight(day: date) -> float:
    """00:00 UTC of a day as a Unix time: how a day is pushed."""
    return datetime.combine(day, datetime.min.time(), timezone.utc).timestamp()
