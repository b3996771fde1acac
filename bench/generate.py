"""Load a realistic PostgreSQL warehouse for the benchmark: 730 days, fct_orders loaded with COPY.

    python bench/generate.py [--conninfo "host=127.0.0.1 dbname=test user=postgres"] [--rows 2000000 | --large]

Creates (replacing) bench_daily_metrics_<rows> and bench_fct_orders_<rows>, indexed on the date column,
consistent with each other (orders = count(*), revenue = sum(revenue) per day), and writes
bench/config-<rows>.yaml naming them.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import psycopg

DAYS = 730
SEASON = np.array([1.05, 1.08, 1.06, 1.04, 0.98, 0.82, 0.80])  # Monday .. Sunday


def tables(rows: int) -> tuple[str, str]:
    return f"bench_daily_metrics_{rows}", f"bench_fct_orders_{rows}"


def generate(conninfo: str, rows: int, last_day: date, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    days = [last_day - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    weights = SEASON[[d.weekday() for d in days]] * rng.normal(1.0, 0.03, DAYS)
    orders = np.floor(weights / weights.sum() * rows).astype(np.int64)
    orders[-1] += rows - orders.sum()  # exactly `rows` fact rows
    cents = np.round(rng.lognormal(np.log(5_500), 0.5, rows)).astype(np.int64)
    day_of_order = np.repeat(np.arange(DAYS), orders)
    revenue_cents = np.bincount(day_of_order, weights=cents, minlength=DAYS).astype(np.int64)
    daily, fact = tables(rows)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {daily}, {fact}")
        conn.execute(f"""CREATE TABLE {daily} (event_date date PRIMARY KEY, events bigint, users bigint,
            sessions bigint, orders bigint, revenue numeric(18,2), add_to_cart_users bigint, checkout_users bigint,
            purchase_users bigint, attributed_orders_first_click bigint, attributed_revenue_first_click numeric(18,2),
            attributed_orders_last_click bigint, attributed_revenue_last_click numeric(18,2))""")
        conn.execute(f"CREATE TABLE {fact} (order_id bigint, order_date date NOT NULL, revenue numeric(18,2))")
        started = time.perf_counter()
        with conn.cursor().copy(f"COPY {fact} (order_id, order_date, revenue) FROM STDIN") as copy:
            iso = [d.isoformat() for d in days]
            chunk = 200_000
            for start in range(0, rows, chunk):
                ids = range(start, min(rows, start + chunk))
                lines = "".join(f"{i}\t{iso[day_of_order[i]]}\t{cents[i] // 100}.{cents[i] % 100:02d}\n" for i in ids)
                copy.write(lines)
        conn.execute(f"CREATE INDEX ON {fact} (order_date)")
        with conn.cursor().copy(f"COPY {daily} FROM STDIN") as copy:
            for i, day in enumerate(days):
                n = int(orders[i])
                events = int(n * 190 * rng.normal(1, 0.01))
                users = int(events * 0.175)
                atc = int(users * 0.12)
                checkout = max(int(atc * 0.45), 1)
                rev = int(revenue_cents[i])
                copy.write_row((day, events, users, int(events * 0.25), n, f"{rev // 100}.{rev % 100:02d}", atc,
                                checkout, min(n, checkout), int(n * 0.85), f"{rev * 85 // 10000}.00",
                                int(n * 0.92), f"{rev * 92 // 10000}.00"))
        conn.execute(f"ANALYZE {daily}")
        conn.execute(f"ANALYZE {fact}")
    print(f"loaded {rows:,} fct_orders rows over {DAYS} days in {time.perf_counter() - started:.1f} s: {daily}, {fact}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conninfo", default="host=127.0.0.1 dbname=test user=postgres")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--large", action="store_true", help="10,000,000 fct_orders rows")
    parser.add_argument("--last-day", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    args = parser.parse_args()
    rows = 10_000_000 if args.large else args.rows
    generate(args.conninfo, rows, args.last_day)
    daily, fact = tables(rows)
    config = Path(__file__).parent / f"config-{rows}.yaml"
    config.write_text(f"daily_metrics: {{table: {daily}}}\nfct_orders: {{table: {fact}}}\n")
    print(f"wrote {config}")


if __name__ == "__main__":
    main()
