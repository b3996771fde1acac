"""Why, on every backend: a channel x platform mart whose paid/ios orders fell to 0, explained by dimension
before the leaves, with hand-computed numbers, and no statement more than a check without it."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from exporter.cli import main
from tests.support import db, segmented

TARGET = segmented.TARGET
BASES = {("paid", "ios"): 100, ("paid", "android"): 50, ("organic", "ios"): 60, ("organic", "android"): 40}
TODAY = {("paid", "ios"): 0, ("paid", "android"): 48, ("organic", "ios"): 62, ("organic", "android"): 40}
CONFIG = """daily_metrics: {{table: {table}}}
fct_orders: null
metrics: {{volume: [orders, revenue], traffic: null, rates: {{}}, attribution_models: {{}}}}
segments: {{columns: [channel, platform], top_n: 4, min_share: 0}}
"""


def rows() -> list[dict]:
    """Each leaf's base plus the weekly offset (median base, MAD 1) from FIRST on; TODAY's orders on TARGET."""
    out, day = [], segmented.FIRST
    while day <= TARGET:
        for (channel, platform), base in BASES.items():
            orders = TODAY[(channel, platform)] if day == TARGET else base + segmented.offset(day)
            out.append({"event_date": day, "channel": channel, "platform": platform, "orders": orders,
                        "revenue": 10 * orders})
        day += timedelta(days=1)
    return out


def test_the_fall_is_explained_by_channel_then_platform_then_leaves(backend_dsn, tmp_path, capsys):
    table = f"why_{uuid.uuid4().hex[:8]}"
    url = db.parse_dsn(backend_dsn)
    md = sa.MetaData()
    t = sa.Table(table, md, sa.Column("event_date", sa.Date, nullable=False), sa.Column("channel", sa.String(16)),
                 sa.Column("platform", sa.String(16)), sa.Column("orders", sa.BigInteger),
                 sa.Column("revenue", sa.BigInteger))
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            md.create_all(conn)
            conn.execute(t.insert(), rows())
        config = tmp_path / "why.yaml"
        config.write_text(CONFIG.format(table=table))
        args = ["check", "--dsn", backend_dsn, "--config", str(config), "--date", TARGET.isoformat(), "--no-push"]
        assert main(args) == 1
        text = capsys.readouterr().out
        assert main([*args, "--format", "json"]) == 1
        doc = json.loads(capsys.readouterr().out)
    finally:
        engine.dispose()
        db.drop_tables(url, table)
    lines = [line for line in text.splitlines() if line.startswith(("why: orders", "contributions: orders"))]
    # channel: paid 150 -> 48 is all of the channel's falls (-102); platform: ios 160 -> 62 is 98 % of -100;
    # android's -2 is under 10 % of the falls: not a cause. The leaves: -100 and -2 of the falls -102.
    assert lines == ["why: orders channel=paid −102 (100 % of the falls by channel, −102); on ios −100, android −2",
                     "why: orders platform=ios −98 (98 % of the falls by platform, −100); on paid −100, organic +2",
                     "contributions: orders by channel, platform: paid/ios −100 (98 % of the falls, −102), "
                     "paid/android −2 (2 %)"]
    causes = doc["causes"]["orders"]
    assert [(c["dimension"], c["value"], c["actual"], c["expected"], c["difference"]) for c in causes] == [
        ("channel", "paid", 48, 150, -102), ("platform", "ios", 62, 160, -98)]
    assert doc["falls"]["orders"] == -102
    assert [(p["segment"], p["share"]) for p in doc["contributions"]["orders"]] == [
        ({"channel": "paid", "platform": "ios"}, 100 / 102), ({"channel": "paid", "platform": "android"}, 2 / 102)]
