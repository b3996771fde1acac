"""The floor: a bare Python process that runs the job's two SQL statements with the driver alone and does
the arithmetic (median, MAD, z, frac) for every metric. Nothing can be faster in Python.

    python bench/floor.py CONNINFO DAILY_TABLE FACT_TABLE YYYY-MM-DD
"""

import sys
from datetime import date, timedelta
from statistics import median

import psycopg

COLUMNS = ["events", "users", "sessions", "orders", "revenue", "add_to_cart_users", "checkout_users",
           "purchase_users", "attributed_orders_first_click", "attributed_revenue_first_click",
           "attributed_orders_last_click", "attributed_revenue_last_click"]

conninfo, daily, fact, day = sys.argv[1], sys.argv[2], sys.argv[3], date.fromisoformat(sys.argv[4])
with psycopg.connect(conninfo) as conn:
    rows = conn.execute(f"SELECT event_date, {', '.join(COLUMNS)} FROM {daily} "
                        "WHERE event_date BETWEEN %s AND %s", (day - timedelta(days=7), day)).fetchall()
    orders, revenue = conn.execute(f"SELECT count(*), sum(revenue) FROM {fact} WHERE order_date = %s",
                                   (day,)).fetchone()
today = next(r for r in rows if r[0] == day)
for i, name in enumerate(COLUMNS[:5], start=1):
    history = [float(r[i]) for r in rows if r[0] != day]
    mid = median(history)
    mad = median(abs(v - mid) for v in history)
    value = float(today[i])
    print(name, value, mid, mad, (value - mid) / mad if mad else 0.0, value / mid)
print("reconciliation", today[4] - orders, today[5] - revenue)
