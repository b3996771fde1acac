"""Reading plain YAML data (pure): sections that remember their keys, and converters whose errors name the key."""

from __future__ import annotations

import re
from typing import Any

from ..errors import ConfigError

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


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

    def get(self, key: str, convert, default, nullable: bool = False):
        self.used.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        if value is None and nullable:
            return None
        return convert(value, self._where(key))

    def mapping(self, key: str, default, value, allow_empty: bool = False):
        self.used.add(key)
        if key not in self.data:
            return default
        raw = self.data[key]
        if not isinstance(raw, dict) or not (raw or allow_empty):
            raise ConfigError(f"{self._where(key)}: expected a non-empty mapping, got {kind(raw)}")
        return {identifier(k, self._where(key)): value(v, f"{self._where(key)}.{k}") for k, v in raw.items()}

    def reject_unknown(self) -> None:
        for key in self.data:
            if key not in self.used:
                raise ConfigError(f"{self._where(str(key))}: unknown key{did_you_mean(key, self.used)}")


def did_you_mean(key: Any, known) -> str:
    """' (did you mean 'x'?)' for the closest known key, or nothing."""
    import difflib

    close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise ConfigError(f"{where}: expected an identifier (letters, digits, _; at most 63), got {value!r}")
    return value


def identifier_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: expected a non-empty list, got {kind(value)}")
    return [identifier(v, f"{where}[{i}]") for i, v in enumerate(value)]


def text(value: Any, where: str) -> str:
    """A short name on one line (an event's), fit for a report line."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100 or not value.isprintable():
        raise ConfigError(f"{where}: expected a name of at most 100 printable characters on one line, got {value!r}")
    return value


def iso_date(value: Any, where: str):
    """A date, from YAML's own date or from YYYY-MM-DD text."""
    from datetime import date, datetime

    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a date YYYY-MM-DD, got {value!r}") from None


def url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s\"'{}]+$", value):
        raise ConfigError(f"{where}: expected an http(s) URL, got {value!r}")
    return value


def number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    return float(value)


def integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: expected an integer, got {value!r}")
    return value


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
