"""A 12-segment mart (4 channels x 3 platforms) over 120 days with two real incidents among Poisson noise.

Orders per segment are Poisson around the channel's size x the platform's share x a weekly factor; sessions are
25 per order, revenue 40 per order (both Poisson too), refunds Poisson at 5 % of orders. The incidents: paid/ios
sells 10 % of its orders (and revenue) on the last day; email/android refunds 6 times its orders' 5 % three days
before. Seeded: the same rows on every run.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.support import db

LAST = date(2026, 11, 30)
FIRST = LAST - timedelta(days=119)
CHANNELS = {"paid": 1000, "organic": 700, "email": 300, "referral": 150}
PLATFORMS = {"web": 0.5, "ios": 0.3, "android": 0.2}
WEEKLY = (1.0, 1.05, 1.0, 0.95, 0.9, 1.1, 1.2)
DROP_DAY, DROP_SEGMENT = LAST, ("paid", "ios")
SPIKE_DAY, SPIKE_SEGMENT = LAST - timedelta(days=3), ("email", "android")
CONFIG = """daily_metrics: {{table: {table}}}
fct_orders: null
metrics:
  volume: [sessions, orders, revenue, refunds]
  traffic: sessions
  rates: {{}}
  attribution_models: {{}}
  overrides: {{refunds: {{direction: spike}}}}
segments:
  columns: [channel, platform]
  top_n: 12
  min_share: 0
"""


def rows(seed: int = 28) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for n in range(120):
        day = FIRST + timedelta(days=n)
        for channel, size in CHANNELS.items():
            for platform, share in PLATFORMS.items():
                mean = size * share * WEEKLY[day.weekday()]
                orders = int(rng.poisson(mean))
                refunds = int(rng.poisson(0.05 * mean))
                if (day, (channel, platform)) == (DROP_DAY, DROP_SEGMENT):
                    orders = round(0.1 * orders)
                if (day, (channel, platform)) == (SPIKE_DAY, SPIKE_SEGMENT):
                    refunds = round(6 * 0.05 * mean)
                out.append({"event_date": day, "channel": channel, "platform": platform,
                            "sessions": int(rng.poisson(25 * mean)), "orders": orders,
                            "revenue": int(rng.poisson(40 * orders)) if orders else 0, "refunds": refunds})
    return out


def load(dsn: str, tmp_path, table: str = "mart12") -> str:
    """The rows in `table`, and the path of a config naming it."""
    md = sa.MetaData()
    t = sa.Table(table, md, sa.Column("event_date", sa.Date, nullable=False), sa.Column("channel", sa.String(16)),
                 sa.Column("platform", sa.String(16)),
                 *(sa.Column(n, sa.BigInteger) for n in ("sessions", "orders", "revenue", "refunds")))
    engine = sa.create_engine(db.parse_dsn(dsn), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            md.create_all(conn)
            conn.execute(t.insert(), rows())
    finally:
        engine.dispose()
    path = tmp_path / f"{table}.yaml"
    path.write_text(CONFIG.format(table=table))
    return str(path)
