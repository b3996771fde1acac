"""`segments:` judging each country, channel or platform of a segmented daily table, not only its total. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError
from .reader import Range, Section, identifier, identifier_list, integer, number, one_of, within

MAX_TOP_N = 1000
"""The most segments a config may judge: every bound grows with it (rows fetched: top_n + 2 a day; series pushed:
top_n + 2 per family; the fact statement's CASE: 2 x top_n branches per fact row), none with the dimension's
cardinality. docs/concepts/segments.md says where to stop before it."""
TOTALS = ("sum", "row")
"""sum: the total is the segments' sum; row: the row whose segment columns are all NULL holds the total."""


@dataclass(frozen=True)
class Segments:
    """The daily table's dimension columns (its grain: one row per day and segment) and how many are judged."""

    columns: tuple[str, ...]
    top_n: int = 20
    rank_by: str = "orders"
    min_share: float = 0.01
    total: str = "sum"
    fact_columns: tuple[tuple[str, str], ...] = ()
    """dimension -> fct_orders column; reconciliation per segment when every dimension is mapped."""

    @property
    def reconciled(self) -> bool:
        """Each judged segment is reconciled with fct_orders (every dimension has its fact column)."""
        return bool(self.fact_columns) and {d for d, _ in self.fact_columns} == set(self.columns)

    def fact_column(self, dimension: str) -> str:
        return dict(self.fact_columns)[dimension]


def read_segments(s: Section) -> Segments | None:
    """The `segments` section, None when absent; columns distinct (segment_problems checks the rest)."""
    if not s.data:
        s.reject_unknown()
        return None
    d = Segments(("country",))
    columns = s.get("columns", identifier_list, None)
    if columns is None:
        raise ConfigError(f"{s.location}.columns: required (the dimension columns of the daily table)")
    if len(set(columns)) != len(columns):
        raise ConfigError(f"{s.location}.columns: a column is named twice")
    total = s.get("total", one_of(TOTALS), d.total)
    segments = Segments(tuple(columns), s.get("top_n", within(integer, Range(1, MAX_TOP_N)), d.top_n),
                        s.get("rank_by", identifier, d.rank_by),
                        s.get("min_share", within(number, Range(0, 1, high_open=True)), d.min_share), total,
                        tuple(sorted(s.mapping("fact_columns", {}, value=identifier, allow_empty=True).items())))
    s.reject_unknown()
    return segments


def segment_problems(segments: Segments, volume: tuple[str, ...], taken: dict[str, str]) -> list[str]:
    """Every problem of a read `segments` section against the rest of the config (`taken`: column -> the key
    that already uses it), all at once."""
    found = [f"segments.rank_by: {segments.rank_by!r} is not in metrics.volume"] \
        if segments.rank_by not in volume else []
    found += [f"segments.columns: {column!r} is already {taken[column]}" for column in segments.columns
              if column in taken]
    return found + [f"segments.fact_columns.{dimension}: not one of segments.columns"
                    for dimension, _ in segments.fact_columns if dimension not in segments.columns]

