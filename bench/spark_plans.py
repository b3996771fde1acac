"""The backtest's statements on Spark SQL (local[2]) beside DuckDB and PostgreSQL on the same data (issue 30).

    python bench/spark_plans.py [--rows 10000000] [--runs 3] [--write]

fct_orders of --rows orders over 730 days and 50 countries, and the segmented daily_metrics made from it (one row
per day and country), generated inside each engine by the same arithmetic. For each of the backtest's statements
of the last 730 days: the segmented daily statement (the top-N semi-join, `other`, the total, UNION ALL), the fact
GROUP BY day per judged segment (reconciled segments), and the unsegmented fact GROUP BY day: wall (median of
--runs, fetching every row), the scans of each table in the engine's plan, and the fact rows PostgreSQL's EXPLAIN
ANALYZE counts. The plans' excerpts go to bench/README.md with --write.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from exporter.config import from_mapping  # noqa: E402
from exporter.warehouse import queries, segment_queries  # noqa: E402
from exporter.warehouse.connection import make_engine, parse_dsn  # noqa: E402

FIRST, DAYS = date(2024, 12, 1), 730
LAST = FIRST + timedelta(days=DAYS - 1)
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FACT = {  # order i: day i % 730, country C00..C49 by (i div 730) % 50, revenue 0.50 .. 96.50
    "spark": "CREATE TABLE {t} USING parquet AS SELECT CAST(id AS STRING) AS order_id, "
             "date_add(DATE '2024-12-01', CAST(id % 730 AS INT)) AS order_date, "
             "concat('C', lpad(CAST(floor(id / 730) % 50 AS STRING), 2, '0')) AS country, "
             "CAST(id % 97 + 0.5 AS DECIMAL(18,2)) AS revenue FROM range({n})",
    "duckdb": "CREATE TABLE {t} AS SELECT CAST(id AS VARCHAR) AS order_id, "
              "DATE '2024-12-01' + CAST(id % 730 AS INTEGER) AS order_date, "
              "'C' || lpad(CAST(CAST(floor(id / 730) AS BIGINT) % 50 AS VARCHAR), 2, '0') AS country, "
              "CAST(id % 97 + 0.5 AS DECIMAL(18,2)) AS revenue FROM range({n}) r(id)",
    "postgresql": "CREATE TABLE {t} AS SELECT id::text AS order_id, DATE '2024-12-01' + (id % 730)::int AS order_date, "
                  "'C' || lpad(((id / 730) % 50)::text, 2, '0') AS country, (id % 97 + 0.5)::numeric(18,2) AS revenue "
                  "FROM generate_series(0, {n} - 1) AS g(id)",
}
DAILY = ("CREATE TABLE {d} AS SELECT order_date AS event_date, country, count(*) * 200 AS events, "
         "count(*) * 35 AS users, count(*) * 50 AS sessions, count(*) AS orders, sum(revenue) AS revenue, "
         "count(*) * 4 AS add_to_cart_users, count(*) * 2 AS checkout_users, count(*) AS purchase_users, "
         "count(*) AS attributed_orders_first_click, sum(revenue) AS attributed_revenue_first_click, "
         "count(*) AS attributed_orders_last_click, sum(revenue) AS attributed_revenue_last_click "
         "FROM {t} GROUP BY order_date, country")
EXPLAIN = {"spark": "EXPLAIN FORMATTED ", "duckdb": "EXPLAIN ", "postgresql": "EXPLAIN (ANALYZE, FORMAT JSON) "}


def load(engine: sa.Engine, kind: str, rows: int, fact: str, daily: str) -> float:
    started = time.monotonic()
    with engine.begin() as conn:
        for t in (daily, fact):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {t}")
        percent = "%%" if kind != "duckdb" else "%"  # pyformat drivers format even a statement without parameters
        conn.exec_driver_sql(FACT[kind].format(t=fact, n=rows).replace("%", percent))
        conn.exec_driver_sql(DAILY.format(d=daily, t=fact))
        if kind == "postgresql":
            conn.exec_driver_sql(f"CREATE INDEX ON {fact} (order_date)")
            conn.exec_driver_sql(f"ANALYZE {fact}")
            conn.exec_driver_sql(f"ANALYZE {daily}")
    return time.monotonic() - started


def statements(fact: str, daily: str) -> dict[str, sa.Select | sa.CompoundSelect]:
    c = from_mapping({"daily_metrics": {"table": daily}, "fct_orders": {"table": fact},
                      "segments": {"columns": ["country"], "top_n": 20, "min_share": 0,
                                   "fact_columns": {"country": "country"}}})
    members = [(f"C{k:02d}",) for k in range(20)]
    plain = from_mapping({"daily_metrics": {"table": daily}, "fct_orders": {"table": fact}})
    return {"segmented daily (top-N semi-join, UNION ALL)": segment_queries.segmented_rows(c, FIRST, LAST),
            "fact GROUP BY day, segment": segment_queries.segment_facts(c, FIRST, LAST, members, by_day=True),
            "fact GROUP BY day": queries.fact_totals_by_day(plain, FIRST, LAST)}


def run(conn, statement, prefix: str = "") -> list:
    compiled = statement.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args = tuple(params[k] for k in compiled.positiontup) if compiled.positional else params
    return conn.exec_driver_sql(prefix + compiled.string, args).all()


def text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)  # psycopg parses EXPLAIN's JSON


def scans(kind: str, plan: str, table: str) -> int:
    if kind == "spark":
        # the tree's lines only: EXPLAIN FORMATTED repeats each node below the tree as "(n) Scan parquet …"
        return len(re.findall(rf"^(?!\(\d+\)).*Scan parquet spark_catalog\.default\.{table}\b", plan, re.M))
    if kind == "duckdb":
        return len(re.findall(rf"Table: *{table}\b|{table}\s*│", plan)) or plan.count(table)
    return len(re.findall(rf'"Relation Name": "{table}"', plan))


def pg_rows(plan: str, table: str) -> int:
    """Rows PostgreSQL's scans of `table` read (returned + removed by the filter), all loops."""
    total = 0

    def walk(node):
        nonlocal total
        if node.get("Relation Name") == table:
            total += (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        for child in node.get("Plans", []):
            walk(child)

    walk(json.loads(plan)[0]["Plan"])
    return total


def measure(kind: str, dsn: str, rows: int, runs: int) -> tuple[float, list[tuple], dict[str, str]]:
    fact, daily = f"bench_spark_fo_{rows}", f"bench_spark_dm_{rows}"
    url = parse_dsn(dsn)
    writer = sa.create_engine(url, poolclass=sa.pool.NullPool)
    loaded = load(writer, kind, rows, fact, daily)
    writer.dispose()
    engine = make_engine(url, from_mapping({"database": {"statement_timeout_seconds": 3600}}), "UTC")
    out, plans = [], {}
    with engine.connect() as conn:
        for name, statement in statements(fact, daily).items():
            walls, n = [], 0
            for _ in range(runs):
                started = time.monotonic()
                n = len(run(conn, statement))
                walls.append(time.monotonic() - started)
            plan = "\n".join(text(r[1] if kind == "duckdb" else r[-1]) for r in run(conn, statement, EXPLAIN[kind]))
            plans[name] = plan
            read = pg_rows(plan, fact) if kind == "postgresql" else None
            out.append((kind, name, statistics.median(walls), n, scans(kind, plan, fact), scans(kind, plan, daily),
                        read))
    engine.dispose()
    return loaded, out, plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="duckdb,postgresql,spark")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dmm-spark-bench-"))
    results, excerpts = [], {}
    for kind in args.engines.split(","):
        if kind == "spark":
            from tests.support.spark import thrift_server

            with thrift_server(tmp / "spark") as dsn:
                loaded, out, plans = measure(kind, dsn, args.rows, args.runs)
        else:
            dsn = PG if kind == "postgresql" else f"duckdb:///{tmp / 'bench.duckdb'}"
            loaded, out, plans = measure(kind, dsn, args.rows, args.runs)
        print(f"{kind}: loaded {args.rows:,} rows in {loaded:.1f} s", flush=True)
        results += out
        excerpts[kind] = plans
        (tmp / f"plans-{kind}.txt").write_text("\n\n".join(f"== {k}\n{v}" for k, v in plans.items()))
    print("| engine | statement | wall median (s) | rows returned | fct_orders scans | daily scans | "
          "fact rows read (PG EXPLAIN ANALYZE) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, name, wall, n, f, d, read in results:
        print(f"| {kind} | {name} | {wall:.2f} | {n:,} | {f} | {d} | {'' if read is None else f'{read:,}'} |")
    print(f"plans in {tmp}")


if __name__ == "__main__":
    main()
