"""Every configuration key, its default and the values it takes, found by reading a full example through the loader.

The loader is the schema: a key it never reads cannot be documented here, and a key it reads cannot be missed.
Pure, no I/O (the documentation's generator, `exporter.cli.reference`, writes the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import reader
from .loader import from_mapping

EXAMPLE: dict[str, Any] = {
    "daily_metrics": {"columns": {"orders": "orders"}},
    "fct_orders": {"table": "fct_orders"},
    "metrics": {"overrides": {"orders": {"direction": "drop"}},
                "rates": {"a_rate": {"numerator": "orders", "denominator": "events"}},
                "attribution_models": {"a_model": {"orders": "orders", "revenue": "revenue"}}},
    "calendar": {"events": [{"date": "2026-12-25", "name": "Christmas"}],
                 "shifts": [{"date": "2026-11-10", "name": "new checkout"}], "table": {"name": "dim_holidays"}},
    "segments": {"columns": ["country"], "fact_columns": {"country": "country"}},
}
"""A config that reaches every branch of the loader: each optional section present once."""
PLACEHOLDERS = ((r"\[0\]", "[]"), (r"overrides\.orders\b", "overrides.<metric>"), (r"\.a_rate\b", ".<rate>"),
                (r"\.a_model\b", ".<model>"))
"""The example's own names, written as what a user puts there."""
KINDS = {reader.identifier: "identifier", reader.identifier_list: "list of identifiers", reader.number: "number",
         reader.integer: "integer", reader.boolean: "`true` or `false`", reader.text: "text (one line, ≤ 100)",
         reader.url: "http(s) URL", reader.iso_date: "date YYYY-MM-DD", dict: "mapping of names"}
IRREGULAR = {"calendar.countries": ("list of ISO 3166 codes, a subdivision after `-` (`BR`, `US-CA`); "
                                    "needs the `holidays` extra", "`[]`"),
             "calendar.table": ("mapping of name, schema, date_column, name_column (below)", "`null`"),
             "segments.columns": ("list of identifiers", "required (when `segments` is set)"),
             "metrics.rates": ("mapping of names (`{}`: none)", "the three funnel rates"),
             "metrics.attribution_models": ("mapping of names (`{}`: none)", "`first_click`, `last_click`")}
"""The keys a plain reader does not describe: read raw, required inside their section, or defaulting to a set."""


@dataclass(frozen=True)
class Key:
    name: str
    """Dotted, as an error message names it (`baseline.days`, `metrics.rates.<rate>.numerator`)."""
    accepts: str
    default: str


def keys() -> list[Key]:
    """Every key the loader reads, in the order it reads them (each once)."""
    reads: list = []
    token = reader.READS.set(reads)
    try:
        from_mapping(EXAMPLE)
    finally:
        reader.READS.reset(token)
    found: dict[str, Key] = {}
    for where, convert, default in reads:
        name = where
        for pattern, placeholder in PLACEHOLDERS:
            name = re.sub(pattern, placeholder, name)
        required = default is None and ("<" in name or "[]" in name or name == "calendar.table.name")
        what, default = IRREGULAR.get(name, (accepts(convert), "required" if required else shown(default)))
        found.setdefault(name, Key(name, what, default))
    return sorted(found.values(), key=lambda key: key.name)


def accepts(convert) -> str:
    """What a converter takes, in words: its kind and its range (`integer in [1, 365]`), or its values."""
    if isinstance(getattr(convert, "values", None), tuple):
        return "one of " + ", ".join(f"`{v}`" for v in convert.values)
    if hasattr(convert, "bounds"):
        return f"{accepts(convert.convert)} in {convert.bounds}"
    return KINDS.get(convert, "list of mappings (below)")


def shown(default: Any) -> str:
    """A default as YAML writes it."""
    if default is None:
        return "`null`"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, (list, tuple)):
        return f"`[{', '.join(map(str, default))}]`"
    if isinstance(default, dict):
        return "`{}`"
    if isinstance(default, float) and default.is_integer():
        return f"`{int(default)}`"
    return f"`{default}`"
