"""The statements of a segmented daily table: the top N segments and the `other` fold, computed in the database.

One daily statement returns, for the read range, the rows of the judged segments, one `other` row a day (the
sum of every other segment), the total's row a day (with `total: row` its rows; with `sum` the SUM of them all)
and the judged segments themselves with the first day they had a row in the ranking month (so a segment
without any row in the range is still known, and its history starts there): at most (top_n + 2) rows a day
plus top_n. The range is read in one pass: each row is joined to the judged segments (a hash lookup among
top_n), tagged with its part and grouped by day, part and segment (with the group's row count, so a segment's
duplicated row is still seen), however many segment values the table holds. The judged segments are the
top N by the rank_by total of the calendar month before the last judged day, at least min_share of the
total's: the same set for every check of a month (no day-to-day flapping).
Builds, never runs (no I/O).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from ..config import Config, Segments
from .exact import exact
from .queries import day_of, fact_range

PARTS = {"segment": 1, "other": 2, "total": 3, "member": 4, "folded": 5}
"""The first column of each row says which part of the statement it comes from."""
ROWS = "dmm_rows"
"""After the values: how many rows of the table a segment's or the total's row stands for (1 expected)."""


def ranking_month(last: date) -> tuple[date, date]:
    """The calendar month before `last`'s: its first and last day."""
    end = last.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def segmented_rows(c: Config, first: date, last: date) -> sa.CompoundSelect:
    """The judged segments' rows, `other` and the total from first - lookback to last, and the judged segments."""
    s = _segments(c)
    logical = c.logical_columns
    physical = dict.fromkeys([c.date_column, *s.columns, *(c.column(n) for n in logical)])
    t = sa.table(c.daily_table.name, *(sa.column(p) for p in physical), schema=c.daily_table.schema)
    day, dims = t.c[c.date_column], [t.c[col] for col in s.columns]
    values = [t.c[c.column(n)] for n in logical]
    total_row = sa.and_(*(d.is_(None) for d in dims))
    named = sa.and_(*(d.is_not(None) for d in dims))
    r1, r2 = ranking_month(last)
    in_month = day.between(sa.bindparam("rank_start", r1, sa.Date), sa.bindparam("rank_end", r2, sa.Date))
    in_range = day.between(sa.bindparam("start", first - timedelta(days=c.lookback), sa.Date),
                           sa.bindparam("end", last, sa.Date))
    rank = t.c[c.column(s.rank_by)]
    volume = sa.func.sum(rank).label("volume")
    since = sa.func.min(day).label("since")  # a judged segment's history starts here at the latest
    ranked = (sa.select(*dims, volume, since).where(in_month, named)
              .group_by(*map(exact, dims), *dims).subquery("dmm_ranked"))  # nl and NL: two segments everywhere
    whole = sa.select(sa.func.sum(rank)).where(in_month, *((total_row,) if s.total == "row" else ()))
    members = (sa.select(*(ranked.c[col] for col in s.columns), ranked.c.volume, ranked.c.since)
               .where(ranked.c.volume > 0, ranked.c.volume >= sa.literal(s.min_share) * whole.scalar_subquery())
               .order_by(ranked.c.volume.desc(), *(exact(ranked.c[col]) for col in s.columns))
               # the top N by ORDER BY .. LIMIT, not a row_number() window, and the rows below not flattened into
               # their GROUP BY: so SQLite joins them by an automatic index (else it scanned the members once per
               # row: 1,000 members x 150,000 rows, 6 s); PostgreSQL and DuckDB hash them either way
               .limit(s.top_n)
               .cte("dmm_members"))
    member = sa.and_(*(sa.and_(members.c[col] == d, exact(members.c[col]) == exact(d))  # equal: the hash key
                       for col, d in zip(s.columns, dims, strict=True)))
    matched = members.c[s.columns[0]].is_not(None)  # a judged segment's values are never NULL
    row_total = s.total == "row"
    # row: the rows with a NULL segment column are the total or its subtotals, never `other`; sum: every row counts
    part = (sa.case((matched, PARTS["segment"]), (total_row, PARTS["total"]), else_=PARTS["other"]) if row_total
            else sa.case((matched, PARTS["segment"]), else_=PARTS["other"]))
    tagged = (sa.select(part.label("part"), day.label("day"), *(members.c[col].label(col) for col in s.columns),
                        *(v.label(n) for v, n in zip(values, logical, strict=True)))
              .select_from(t.outerjoin(members, member))
              .where(in_range, *((sa.or_(named, total_row),) if row_total else ()))
              .suffix_with("LIMIT -1", dialect="sqlite")  # (no limit) SQLite: not flattened into the GROUP BY
              .subquery("dmm_tagged"))
    keys = [tagged.c[col] for col in s.columns]  # the judged segment's own value, NULL in `other` and the total
    no_faults = [sa.cast(sa.null(), sa.BigInteger).label(name) for name in fault_columns(c)]  # typed: PostgreSQL
    one_pass = (sa.select(tagged.c.part, tagged.c.day, *keys, *(sa.func.sum(tagged.c[n]).label(n) for n in logical),
                          sa.func.count().label(ROWS), *no_faults)
                .group_by(tagged.c.part, tagged.c.day, *map(exact, keys), *keys))
    in_other = (named if row_total else sa.true()) & ~sa.exists().where(member)
    return sa.union_all(
        one_pass,
        *([] if row_total else [_summed(s, day, values, logical, no_faults).where(in_range).group_by(day)]),
        sa.select(sa.literal_column(str(PARTS["member"])).label("part"), members.c.since.label("day"),
                  *(members.c[col] for col in s.columns),
                  *(members.c.volume.label(n) if n == s.rank_by else sa.null().label(n) for n in logical),
                  sa.null().label(ROWS), *no_faults),
        _folded_faults(c, t, first, last, in_other, sa.literal_column(str(PARTS["folded"])).label("part")),
    )


def _summed(s: Segments, day, values: list, logical: tuple[str, ...], no_faults: list) -> sa.Select:
    """total: sum: the database's SUM of every row of the day, one total row a day."""
    return sa.select(sa.literal_column(str(PARTS["total"])).label("part"), day.label("day"),
                     *(sa.null().label(col) for col in s.columns),
                     *(sa.func.sum(v).label(n) for v, n in zip(values, logical, strict=True)),
                     sa.literal_column("1").label(ROWS), *no_faults)


def fault_columns(c: Config) -> list[str]:
    """The folded rows' faults a day, after each part's values: duplicate rows, then per logical column the rows
    with a NULL and with a negative value (NULL in every part but `folded`)."""
    n = len(c.logical_columns)
    return ["dmm_duplicates", *(f"dmm_null_{i}" for i in range(n)), *(f"dmm_negative_{i}" for i in range(n))]


def _folded_faults(c: Config, t, first: date, last: date, in_other, part: sa.Label) -> sa.Select:
    """Per judged day, the rows folded into `other` that `SUM` would hide: a segment's second row of the day (a
    broken grain), and the NULL and negative values of each column. Counted per day and segment in SQL."""
    s = _segments(c)
    day, dims = t.c[c.date_column], [t.c[col] for col in s.columns]
    values = [t.c[c.column(n)] for n in c.logical_columns]
    judged = day.between(sa.bindparam("first", first, sa.Date), sa.bindparam("last", last, sa.Date))
    grain = (sa.select(day.label("day"), *(d.label(f"dmm_d{j}") for j, d in enumerate(dims)),
                       sa.func.count().label("dmm_n"),
                       *(sa.func.sum(sa.case((v.is_(None), 1), else_=0)).label(f"dmm_null_{i}")
                         for i, v in enumerate(values)),
                       *(sa.func.sum(sa.case((v < 0, 1), else_=0)).label(f"dmm_negative_{i}")
                         for i, v in enumerate(values)))
             .where(judged, in_other).group_by(day, *map(exact, dims), *dims).subquery("dmm_grain"))
    named = sa.and_(*(grain.c[f"dmm_d{j}"].is_not(None) for j in range(len(dims))))
    return (sa.select(part, grain.c.day, *(sa.null().label(col) for col in s.columns),
                      *(sa.null().label(n) for n in c.logical_columns), sa.null().label(ROWS),
                      sa.func.sum(sa.case((named, grain.c.dmm_n - 1), else_=0)).label("dmm_duplicates"),
                      *(sa.func.sum(grain.c[name]).label(name) for name in fault_columns(c)[1:]))
            .group_by(grain.c.day))


def _segments(c: Config) -> Segments:
    if c.segments is None:
        raise ValueError("the config has no segments section")
    return c.segments


def segment_facts(c: Config, first: date, last: date, members: list[tuple], by_day: bool) -> sa.Select:
    """count(*) and sum(revenue) of fct_orders per judged segment (its index in `members`) and for the rest (a
    NULL index), for first .. last (GROUP BY day with `by_day`): at most (top_n + 1) rows a day, whatever the
    cardinality. A fact row is its segment's when it equals it exactly, else when the database's own equality
    says so (a CHAR(3) 'NL ', a case-insensitive 'nl'): the database decides, Python only reads the index."""
    s, f = _segments(c), c.fact
    if f is None:
        raise ValueError("fct_orders is null in the config: there is no fact statement")
    dims = [s.fact_column(d) for d in s.columns]
    t = sa.table(f.table.name, sa.column(f.day_column, sa.DateTime if f.timestamp_column else sa.Date),
                 sa.column(f.revenue_column), *(sa.column(d) for d in dict.fromkeys(dims)), schema=f.table.schema)
    key = t.c[f.day_column]
    binds: list[list[sa.BindParameter]] = [[sa.bindparam(f"m{i}_{j}", v) for j, v in enumerate(values)]
                                           for i, values in enumerate(members)]
    number = [sa.literal_column(str(i), sa.Integer) for i in range(len(members))]
    exactly = [(sa.and_(*(exact(t.c[d]) == exact(b) for d, b in zip(dims, row, strict=True))), number[i])
               for i, row in enumerate(binds)]
    loosely = [(sa.and_(*(t.c[d] == b for d, b in zip(dims, row, strict=True))), number[i])
               for i, row in enumerate(binds)]
    index = sa.case(*exactly, *loosely) if members else sa.case((sa.false(), sa.literal_column("0", sa.Integer)))
    day = [(day_of(key) if f.timestamp_column else key).label("day")] if by_day else []
    return (sa.select(*day, index.label("segment"), sa.func.count().label("orders"),
                      sa.func.sum(t.c[f.revenue_column]).label("revenue"))
            .where(fact_range(f, key, first, last)).group_by(*day, index))
