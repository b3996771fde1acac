"""A segment dimension of 100,000 values on PostgreSQL: the segmented daily statement's plan, and a check (issue 31).

    python bench/cardinality.py [--values 100000] [--days 730] [--code PATH] [--runs 3] [--engine duckdb]

`card_daily_<values>` holds one row per day and value (`sku`), orders and revenue, indexed on the day, built
once inside PostgreSQL. With the config below a check of the last day reads 507 days (trusted baselines'
lookback): the statement's EXPLAIN (ANALYZE, BUFFERS) gives its time, the pages it touched (8 kB each), its
temp pages and how often it scans the table; then `check` runs --runs times under /usr/bin/time (wall, RSS).
`--code` imports the package from another checkout (e.g. a worktree of the commit before) so the two
statements are measured on the same data, one run after the other. `--engine duckdb` builds the same table in a
DuckDB file instead and measures the check alone (DuckDB runs inside the job: its memory is the job's RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIRST = date(2024, 12, 1)


def build(engine: sa.Engine, table: str, values: int, days: int) -> None:
    with engine.begin() as conn:
        if conn.exec_driver_sql(f"SELECT to_regclass('{table}')").scalar() is not None:
            return
        started = time.monotonic()
        conn.exec_driver_sql(
            f"CREATE TABLE {table} AS SELECT DATE '{FIRST}' + d AS event_date, "
            "'sku' || lpad(v::text, 6, '0') AS sku, (mod(v, 50) + 1 + mod(d, 7))::bigint AS orders, "
            f"((mod(v, 50) + 1) * 12.5)::numeric(18,2) AS revenue FROM generate_series(0, {days - 1}) AS g(d), "
            f"generate_series(1, {values}) AS h(v)")
        conn.exec_driver_sql(f"CREATE INDEX ON {table} (event_date)")
        conn.exec_driver_sql(f"ANALYZE {table}")
        print(f"built {table}: {values * days:,} rows in {time.monotonic() - started:.0f} s", file=sys.stderr)


def build_duckdb(path: Path, table: str, values: int, days: int) -> None:
    import duckdb

    if path.exists():
        return
    started = time.monotonic()
    with duckdb.connect(str(path)) as conn:
        conn.execute(f"CREATE TABLE {table} AS SELECT DATE '{FIRST}' + CAST(d AS INTEGER) AS event_date, "
                     "'sku' || lpad(CAST(v AS VARCHAR), 6, '0') AS sku, "
                     "CAST(v % 50 + 1 + d % 7 AS BIGINT) AS orders, "
                     f"CAST((v % 50 + 1) * 12.5 AS DECIMAL(18,2)) AS revenue FROM range({days}) AS g(d), "
                     f"range(1, {values} + 1) AS h(v)")
    print(f"built {path}: {values * days:,} rows in {time.monotonic() - started:.0f} s", file=sys.stderr)


def config_text(table: str) -> str:
    return (f"daily_metrics: {{table: {table}}}\nfct_orders: null\n"
            "metrics: {volume: [orders, revenue], rates: {}, attribution_models: {}, traffic: null}\n"
            "segments: {columns: [sku], top_n: 20}\ndatabase: {statement_timeout_seconds: 600}\n")


def plan(config_path: Path, last: date) -> dict:
    from exporter.config import load as load_config
    from exporter.warehouse.segment_queries import segmented_rows

    c = load_config(config_path)
    statement = segmented_rows(c, last, last)
    engine = sa.create_engine(PG)
    compiled = statement.compile(engine)
    sql = str(compiled)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET max_parallel_workers_per_gather = 0")  # one process: pages read are comparable
        doc = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, compiled.params).scalar()
    engine.dispose()
    root = doc[0]
    nodes = list(_nodes(root["Plan"]))
    scans = [n for n in nodes if n.get("Relation Name", "").startswith("card_daily")]
    top = root["Plan"]
    return {"ms": root["Execution Time"], "pages": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
            "temp": top.get("Temp Read Blocks", 0) + top.get("Temp Written Blocks", 0),
            "scans": [f"{n['Node Type']} ({n.get('Actual Rows', 0) * n.get('Actual Loops', 1):,} rows)" for n in scans]}


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def checks(config_path: Path, last: date, runs: int, code: Path, dsn: str = PG) -> tuple[float, float, int]:
    walls, rss = [], []
    for _ in range(runs):
        out = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "exporter", "check", "--config",
                              str(config_path), "--dsn", dsn, "--date", last.isoformat(), "--no-push"],
                             capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(code)})
        walls.append(float(_field(out.stderr, "Elapsed (wall clock) time").split(":")[-1]) +
                     60 * float(_field(out.stderr, "Elapsed (wall clock) time").split(":")[-2]))
        rss.append(int(_field(out.stderr, "Maximum resident set size")) / 1024)
        code_ = out.returncode
    return statistics.median(walls), statistics.median(rss), code_


def _field(text: str, name: str) -> str:
    return next(line.split(": ", 1)[1] for line in text.splitlines() if name in line).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--engine", choices=["postgresql", "duckdb"], default="postgresql")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code))
    table = f"card_daily_{args.values}"
    last = FIRST + timedelta(days=args.days - 1)
    if args.engine == "duckdb":
        path = Path(tempfile.gettempdir()) / f"{table}.duckdb"
        build_duckdb(path, table, args.values, args.days)
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "card.yaml"
            config.write_text(config_text(table))
            wall, rss, code = checks(config, last, args.runs, args.code, f"duckdb:///{path}")
        print(json.dumps({"code": str(args.code), "engine": "duckdb", "rows": args.values * args.days,
                          "check_wall_s": wall, "check_rss_MB": round(rss), "check_exit": code}))
        return
    engine = sa.create_engine(PG)
    build(engine, table, args.values, args.days)
    engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "card.yaml"
        path.write_text(config_text(table))
        p = plan(path, last)
        wall, rss, code = checks(path, last, args.runs, args.code)
    print(json.dumps({"code": str(args.code), "rows": args.values * args.days, "statement_ms": round(p["ms"]),
                      "pages_GB": round(p["pages"] * 8192 / 1e9, 2), "temp_GB": round(p["temp"] * 8192 / 1e9, 2),
                      "table_scans": p["scans"], "check_wall_s": wall, "check_rss_MB": round(rss),
                      "check_exit": code}))


if __name__ == "__main__":
    main()
