"""Time the check side by side with its floor, on the warehouses bench/generate.py loaded.

    python bench/run.py [--rows 2000000 10000000] [--runs 7] [--soda /tmp/soda-venv/bin/soda] [--no-backtest]

For each size: (a) the floor (bench/floor.py), (b) `daily-metrics-monitor check`, (c) the same with
--pushgateway to a real local prometheus-pushgateway, and with --soda (e) Soda Core scanning the same checks
(bench/soda.py); (a), (b), (c) and (e) run interleaved, one run of each in turn. Wall time and peak RSS of
each process come from /usr/bin/time -v; the table shows medians. Also counts the SQL statements of one check through
SQLAlchemy's before_cursor_execute event.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONNINFO = "host=127.0.0.1 dbname=test user=postgres"
DSN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BIN = Path(sys.executable).with_name("daily-metrics-monitor")
BACKTEST_DAYS = 730


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MB) over `runs` runs, after one warm-up run."""
    walls, rss = [], []
    for i in range(runs + 1):
        result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-500:]}")
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
        if i:  # the first run warms the caches
            walls.append(int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3]))
            rss.append(int(peak[1]) / 1024)
    return statistics.median(walls), statistics.median(rss)


def alternating(commands: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """`measure` of several commands interleaved: after a warm-up of each, one run of each in turn, `runs` times
    (load that comes and goes hits them alike); median wall seconds and peak RSS (MB) of each."""
    results: list[list[tuple[float, float]]] = [[] for _ in commands]
    for i in range(runs + 1):
        for k, command in enumerate(commands):
            result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
            if result.returncode not in (0, 1, 2):  # a check's exit code says its verdict
                raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-500:]}")
            wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
            peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
            if i and wall and peak:
                results[k].append((int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3]),
                                   int(peak[1]) / 1024))
    return [(statistics.median(w for w, _ in r), statistics.median(m for _, m in r)) for r in results]


def statement_count(config: Path, day: str, dsn: str = DSN) -> int:
    """The SQL statements one `check` sends (SQLAlchemy's before_cursor_execute), in a process of its own."""
    code = ("import sys\nfrom sqlalchemy import event\nfrom sqlalchemy.engine import Engine\nseen = []\n"
            "event.listen(Engine, 'before_cursor_execute', lambda *a: seen.append(a[2]))\n"
            "from exporter.cli import main\nmain(sys.argv[1:])\nprint(len(seen), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code, "check", "--dsn", dsn, "--config", str(config),
                             "--date", day, "--no-push"], capture_output=True, text=True)
    return int(result.stderr.strip().splitlines()[-1])


def group_by_seconds(fact: str, first: str, last: str, runs: int) -> float:
    """The backtest's fct_orders aggregate, timed by psql itself (\\timing), median of `runs`."""
    sql = (f"SELECT order_date, count(*), sum(revenue) FROM {fact} "
           f"WHERE order_date BETWEEN '{first}' AND '{last}' GROUP BY order_date;")
    times = []
    for _ in range(runs + 1):
        out = subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c",
                              "\\timing on", "-c", sql, "-o", "/dev/null"], capture_output=True, text=True).stdout
        times.append(float(re.search(r"Time: ([\d.]+) ms", out)[1]) / 1000)
    return statistics.median(times[1:])


def gateway(workdir: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([shutil.which("prometheus-pushgateway"), f"--web.listen-address=127.0.0.1:{port}",
                                f"--persistence.file={workdir}/pg.data"], stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return process, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--date", default=(date.today() - timedelta(days=1)).isoformat())
    parser.add_argument("--soda", type=Path, help="Soda Core's `soda` (its own venv: pip install soda-core-postgres)")
    parser.add_argument("--no-backtest", action="store_true", help="the check side by side only")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    process, url = gateway(tmp)
    try:
        print("| fct_orders rows | process | wall median (s) | × floor | peak RSS median (MB) |")
        print("| ---: | --- | ---: | ---: | ---: |")
        for rows in args.rows:
            config = HERE / f"config-{rows}.yaml"
            if not config.exists():
                raise SystemExit(f"{config} is missing: run python bench/generate.py --rows {rows}")
            daily, fact = f"bench_daily_metrics_{rows}", f"bench_fct_orders_{rows}"
            check = [str(BIN), "check", "--dsn", DSN, "--config", str(config), "--date", args.date]
            runs = {
                "(a) floor: driver + arithmetic": [sys.executable, str(HERE / "floor.py"), CONNINFO, daily, fact,
                                                   args.date],
                "(b) daily-metrics-monitor check": check,
                "(c) check --pushgateway": [*check, "--pushgateway", url],
            }
            if args.soda:  # the same checks of the day as a Soda Core contract, in its own virtualenv
                from soda import write

                runs["(e) Soda Core scan, the same checks"] = ["env", f"HOME={tmp}", str(args.soda), "scan", "-d",
                                                               "bench", "-c",
                                                               *map(str, write(rows, args.date, Path(tmp)))]
            measured = dict(zip(runs, alternating(list(runs.values()), args.runs), strict=True))  # interleaved
            floor = measured["(a) floor: driver + arithmetic"][0]
            for name, (wall, rss) in measured.items():
                print(f"| {rows:,} | {name} | {wall:.3f} | {wall / floor:.2f} | {rss:.1f} |", flush=True)
            if args.soda:
                ratio = measured["(b) daily-metrics-monitor check"][0] / measured[name][0]
                print(f"| {rows:,} | (b) / (e): check vs Soda Core | {ratio:.2f} | | |", flush=True)
            print(f"| {rows:,} | SQL statements per check (SQLAlchemy events) | {statement_count(config, args.date)} "
                  "| | |", flush=True)
            if args.no_backtest:
                continue
            first = (date.fromisoformat(args.date) - timedelta(days=BACKTEST_DAYS - 1)).isoformat()
            backtest = [str(BIN), "backtest", "--dsn", DSN, "--config", str(config), "--from", first,
                        "--to", args.date, "--format", "json", "--output", "/dev/null"]
            wall, rss = measure(backtest, args.runs)
            check_wall = measure(check, args.runs)[0]
            print(f"| {rows:,} | (d) backtest of {BACKTEST_DAYS} days | {wall:.3f} | {wall / floor:.2f} | {rss:.1f} |")
            print(f"| {rows:,} | (d) / (b): backtest vs one check | {wall / check_wall:.2f} | | |")
            print(f"| {rows:,} | {BACKTEST_DAYS} check processes ({BACKTEST_DAYS} × (b)) / (d) | "
                  f"{BACKTEST_DAYS * check_wall / wall:.0f} | | |")
            psql = group_by_seconds(fact, first, args.date, args.runs)
            print(f"| {rows:,} | the GROUP BY alone in psql (median of {args.runs}) | {psql:.3f} | | |", flush=True)
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
