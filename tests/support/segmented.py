"""A hand-computable segmented mart for the segment tests: one row per day and country, orders and revenue only.

Each country's orders are its base plus a weekly offset (-2, 0, 2, 0, -1, 1, 0), whose every 7 consecutive days
have median 0 and MAD 1: a country of base b has the 7-day baseline median b and MAD 1 (revenue: 10 x orders,
median 10 b, MAD 10). The target day (2026-11-30) has offset 0. XX sells 1 order a day, no offset.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.support import db

TARGET = date(2026, 11, 30)
FIRST = date(2026, 10, 1)
OFFSETS = (-2, 0, 2, 0, -1, 1, 0)
BASES = {"NL": 100, "DE": 50, "YY": 30, "FR": 20, "XX": 1}
CONFIG = """daily_metrics: {{table: {table}}}
fct_orders: {fact}
metrics:
  volume: [orders, revenue]
  rates: {{}}
  attribution_models: {{}}
  traffic: null
segments:
  columns: [country]
  top_n: {top_n}
  min_share: 0.05
  total: {total}
{extra}"""


def offset(day: date) -> int:
    return OFFSETS[((day - TARGET).days + 1) % 7]


def rows(bases: dict[str, int] = BASES, last: date = TARGET, today: dict[str, int | None] | None = None,
         total_row: int | None = None, since: dict[str, date] | None = None) -> list[dict]:
    """Every day FIRST .. last; `today` replaces a country's orders on `last` (None: no row); `total_row`: a row
    with a NULL country holding total_row + 4 x offset orders; `since`: a country's first day."""
    out = []
    day = FIRST
    while day <= last:
        for country, base in bases.items():
            orders = base if base == 1 else base + offset(day)
            if day == last and today and country in today:
                if today[country] is None:
                    continue
                orders = today[country]
            if since and day < since.get(country, FIRST):
                continue
            out.append({"event_date": day, "country": country, "orders": orders, "revenue": 10 * orders})
        if total_row is not None:
            out.append({"event_date": day, "country": None, "orders": total_row + 4 * offset(day),
                        "revenue": 10 * (total_row + 4 * offset(day))})
        day += timedelta(days=1)
    return out


def load(dsn: str, tmp_path, daily: list[dict], top_n: int = 4, total: str = "sum", facts: list[dict] | None = None,
         extra: str = "", created: list | None = None, country=sa.String(8), shop_country=sa.String(8)):
    """The rows in a uniquely named table (and facts), and a config file naming it: (config path, tables);
    `country` and `shop_country`: the two columns' types (a collation, CHAR(3))."""
    suffix = uuid.uuid4().hex[:8]
    table, fact = f"seg_{suffix}", f"segf_{suffix}"
    url = db.parse_dsn(dsn)
    md = sa.MetaData()
    t = sa.Table(table, md, sa.Column("event_date", sa.Date, nullable=False), sa.Column("country", country),
                 sa.Column("orders", sa.BigInteger), sa.Column("revenue", sa.Numeric(18, 2)))
    f = sa.Table(fact, md, sa.Column("order_id", sa.Integer, primary_key=True, autoincrement=False),
                 sa.Column("order_date", sa.Date, nullable=False), sa.Column("shop_country", shop_country),
                 sa.Column("revenue", sa.Numeric(18, 2)))
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            md.create_all(conn)
            conn.execute(t.insert(), daily)
            if facts:
                conn.execute(f.insert(), facts)
    finally:
        engine.dispose()
    if created is not None:
        created.append((url, table, fact))
    path = tmp_path / f"seg-{suffix}.yaml"
    fact_config = f"{{table: {fact}, date_column: order_date}}" if facts is not None else "null"
    path.write_text(CONFIG.format(table=table, fact=fact_config, top_n=top_n, total=total, extra=extra))
    return path


def fact_rows(counts: dict[str, int], day: date = TARGET) -> list[dict]:
    """One fct row per order (revenue 10) of each country on `day`."""
    countries = [country for country, n in counts.items() for _ in range(n)]
    return [{"order_id": i + 1, "order_date": day, "shop_country": country, "revenue": 10}
            for i, country in enumerate(countries)]
