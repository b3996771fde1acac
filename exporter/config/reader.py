"""Reading plain YAML data (pure): sections that remember their keys, and converters whose errors name the key."""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
READS: ContextVar[list | None] = ContextVar("READS", default=None)
"""While set (config.keys does), every key read is appended as (dotted key, converter, default)."""


class Section:
    """A mapping being read, remembering which keys were used."""

    def __init__(self, data: Any, location: str):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{location or 'top level'}: expected a mapping, got {kind(data)}")
        self.data, self.location = data, location
        self.used: set[str] = set()

    def _where(self, key: str) -> str:
        return f"{self.location}.{key}" if self.location else key

    def section(self, key: str) -> Section:
        self.used.add(key)
        return Section(self.data.get(key), self._where(key))

    def _read(self, key: str, convert, default) -> None:
        self.used.add(key)
        reads = READS.get()
        if reads is not None:
            reads.append((self._where(key), convert, default))

    def get(self, key: str, convert, default, nullable: bool = False):
        self._read(key, convert, default)
        if key not in self.data:
            return default
        value = self.data[key]
        if value is None and nullable:
            return None
        return convert(value, self._where(key))

    def mapping(self, key: str, default, value, allow_empty: bool = False):
        self._read(key, dict, default)  # a mapping of names: its entries are read below it
        if key not in self.data:
            return default
        raw = self.data[key]
        if not isinstance(raw, dict) or not (raw or allow_empty):
            wanted = "a mapping ({} for none)" if allow_empty else "a non-empty mapping"
            raise ConfigError(f"{self._where(key)}: expected {wanted}, got {kind(raw)}")
        return {identifier(k, self._where(key)): value(v, f"{self._where(key)}.{k}") for k, v in raw.items()}

    def reject_unknown(self) -> None:
        for key in self.data:
            if key not in self.used:
                name = key if isinstance(key, str) and key.isprintable() and len(key) <= 63 else short(key)
                raise ConfigError(f"{self._where(name)}: unknown key{did_you_mean(key, self.used)}")


def did_you_mean(key: Any, known) -> str:
    """' (did you mean 'x'?)' for the closest known key, or nothing."""
    import difflib

    close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise ConfigError(f"{where}: expected an identifier (letters, digits, _; at most 63), got {short(value)}")
    return value


def identifier_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: expected a non-empty list, got {kind(value)}")
    return [identifier(v, f"{where}[{i}]") for i, v in enumerate(value)]


def text(value: Any, where: str) -> str:
    """A short name on one line (an event's), fit for a report line."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100 or not value.isprintable():
        raise ConfigError(f"{where}: expected a name of at most 100 printable characters on one line, "
                          f"got {short(value)}")
    return value


def iso_date(value: Any, where: str):
    """A date, from YAML's own date or from YYYY-MM-DD text."""
    from datetime import date, datetime

    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a date YYYY-MM-DD, got {short(value)}") from None


def url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s\"'{}]+$", value):
        raise ConfigError(f"{where}: expected an http(s) URL, got {short(value)}")
    return value


def number(value: Any, where: str) -> float:
    """A finite number: NaN, .inf and an integer beyond the float range are no setting."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where}: expected a number, got {short(value)}")
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise ConfigError(f"{where}: expected a finite number, got {short(value)}")
    return result


def integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: expected an integer, got {short(value)}")
    return value


@dataclass(frozen=True)
class Range:
    """An interval a number must lie in, written as the documentation writes it: (0, 1], [1, 365]."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, v: float) -> bool:
        above = self.low < v if self.low_open else self.low <= v
        below = v < self.high if self.high_open else v <= self.high
        return above and below

    def __str__(self) -> str:
        return (f"{'(' if self.low_open else '['}{_plain(self.low)}, {_plain(self.high)}"
                f"{')' if self.high_open else ']'}")


def within(convert, bounds: Range):
    """A converter that also checks the value lies in `bounds`, naming the key and the range."""
    def checked(value: Any, where: str):
        result = convert(value, where)
        if result not in bounds:
            raise ConfigError(f"{where}: must be in {bounds}, got {_plain(result)}")
        return result

    checked.convert, checked.bounds = convert, bounds  # type: ignore[attr-defined]
    return checked


def _plain(v: float) -> str:
    return short(v) if isinstance(v, int) else str(int(v)) if v.is_integer() else str(v)


def short(value: Any) -> str:
    """A value as an error message shows it: its repr, cut short (an alias-built value can be enormous)."""
    import reprlib

    cut = reprlib.Repr()
    cut.maxlevel, cut.maxstring, cut.maxother, cut.maxlong = 2, 40, 40, 40
    try:
        return cut.repr(value)
    except ValueError:  # an integer of more digits than Python will print
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"


def one_of(values: tuple[str, ...], convert=None):
    """A converter that accepts one of `values` (after `convert`, when given), naming them all when it does not."""
    def read(value: Any, where: str) -> str:
        value = convert(value, where) if convert else value
        if value not in values:
            raise ConfigError(f"{where}: expected one of {', '.join(values)}, got {value!r}")
        return value
    read.values = values  # type: ignore[attr-defined]
    return read


def pair(keys: tuple[str, str]):
    def convert(value: Any, where: str) -> tuple[str, str]:
        section = Section(value, where)
        pair = tuple(section.get(k, identifier, None, nullable=True) for k in keys)
        section.reject_unknown()
        for k, v in zip(keys, pair, strict=True):
            if v is None:
                raise ConfigError(f"{where}.{k}: required")
        return pair

    return convert




def boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value
