"""Segments (issue 17): speed side by side with the total-only check, and detection per segment.

    python bench/segments.py [--runs 5] [--trials 40] [--write] [--old /tmp/speed-base]

Speed, on SQLite and PostgreSQL: a mart of 1,240 days x 50 countries (one row per day and country, and the
same days summed into a total-only table), fct_orders with a country per order. (b0) `check` of the total-only
table, (b) `check` of the 50-segment table (top_n 50), (d) `backtest --format text` of its last 730 days; wall
and peak RSS from /usr/bin/time -v, medians of --runs; the statements of one check counted by SQLAlchemy events.

Detection, through the real statements on SQLite and the real judge: --trials marts of 20 countries with
Dirichlet shares, Poisson orders with weekly seasonality; (1) one country of share >= 5 % loses every order on
the last day; (2) 60 clean days judged, false WARN+ per 30 days for each judged country, for `other` and for the
total; (3) the alerts of countries below min_share (they are folded into `other`, never judged alone).
--write puts the tables into bench/README.md between the segments markers. With --old (a checkout of an earlier
commit) every speed process runs under both trees, alternating run by run, in one table: before | after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from run import BIN, alternating, statement_count  # noqa: E402

from exporter.config import load  # noqa: E402
from exporter.judge.backtest import backtest  # noqa: E402
from exporter.warehouse.demo_writer import write_warehouse  # noqa: E402
from exporter.warehouse.read import measure_range  # noqa: E402

LAST = date(2026, 11, 30)
SEASON = (1.05, 1.08, 1.06, 1.04, 0.98, 0.82, 0.80)
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CODES = [a + b for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJ"]
WIDE = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"][:1000]
"""1,000 two-character country codes (the thousand-segment part; the demo's column is VARCHAR(2))."""


def mart(n: int, days: int, orders_a_day: float, seed: int, loss: str | None = None, facts: bool = True):
    """(daily rows per country, fact rows (none without `facts`), shares): the funnel of the demo per country,
    Poisson orders."""
    rng = np.random.default_rng(seed)
    shares = np.sort(rng.dirichlet(np.full(n, 1.5)))[::-1]
    daily, orders_table = [], []
    for i in range(days):
        day = LAST - timedelta(days=days - 1 - i)
        scale = SEASON[day.weekday()] * rng.normal(1, 0.03)
        orders = rng.poisson(orders_a_day * scale * shares)
        if loss and day == LAST:
            orders[CODES.index(loss)] = 0
        events = rng.poisson(orders * 200.0 + 1)
        for k, code in enumerate((CODES if n <= len(CODES) else WIDE)[:n]):
            o = int(orders[k])
            revenue = round(o * 55.0, 2)
            daily.append({"event_date": day, "country": code, "events": int(events[k]),
                          "users": int(events[k] * 0.175), "sessions": int(events[k] * 0.25), "orders": o,
                          "revenue": revenue, "add_to_cart_users": int(events[k] * 0.021),
                          "checkout_users": int(events[k] * 0.0095), "purchase_users": o,
                          "attributed_orders_first_click": int(o * 0.85),
                          "attributed_revenue_first_click": round(revenue * 0.85, 2),
                          "attributed_orders_last_click": int(o * 0.92),
                          "attributed_revenue_last_click": round(revenue * 0.92, 2)})
            orders_table += [{"order_id": f"{day:%Y%m%d}-{code}-{j}", "order_date": day, "country": code,
                              "revenue": 55.0} for j in range(o if facts else 0)]
    return daily, orders_table, shares


def totals(daily: list[dict]) -> list[dict]:
    out: dict[date, dict] = {}
    for r in daily:
        row = out.setdefault(r["event_date"], {k: 0 for k in r if k != "country"} | {"event_date": r["event_date"]})
        for k, v in r.items():
            if k not in ("event_date", "country"):
                row[k] += v
    return list(out.values())


def cli(root: Path | None) -> list[str]:
    """The command line of `daily-metrics-monitor` from a tree (None: this one, as installed)."""
    if root is None:
        return [str(BIN)]
    code = f"import sys; sys.path.insert(0, {str(root)!r}); from exporter.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code]


def speed(dsn: str, tmp: Path, runs: int, old: Path | None = None) -> list[str]:
    daily, facts, _ = mart(50, 1240, 300, seed=1)
    url = sa.make_url(dsn)
    write_warehouse(url, daily, facts, "bench_seg_daily", "bench_seg_fct")
    write_warehouse(url, totals(daily), [{k: v for k, v in f.items() if k != "country"} for f in facts],
                    "bench_tot_daily", "bench_tot_fct")
    seg, tot = tmp / "seg.yaml", tmp / "tot.yaml"
    seg.write_text("daily_metrics: {table: bench_seg_daily}\nfct_orders: {table: bench_seg_fct}\n"
                   "segments: {columns: [country], top_n: 50, min_share: 0, fact_columns: {country: country}}\n")
    tot.write_text("daily_metrics: {table: bench_tot_daily}\nfct_orders: {table: bench_tot_fct}\n")
    day = LAST.isoformat()
    b0, b, d = _timed(dsn, seg, tot, 730, runs, old)
    name = url.get_backend_name()
    return [_line(name, "(b0) check, total-only table", b0), _line(name, "(b) check, 50 segments", b),
            _ratio(name, "(b) / (b0)", b, b0),
            _line(name, "(d) backtest --format text, 730 days x 50 segments", d), _ratio(name, "(d) / (b)", d, b),
            f"| {name} | SQL statements of one check (segments) | {statement_count(seg, day, dsn)} | |"]


def thousand(dsn: str, tmp: Path, runs: int, old: Path | None = None) -> list[str]:
    """1,000 countries x 150 days (no fct_orders): `check` of the last day beside the total-only check of the same
    days, and `backtest --format text` of the last 90 days."""
    daily, _, _ = mart(1000, 150, 30000, seed=2, facts=False)
    url = sa.make_url(dsn)
    write_warehouse(url, daily, [], "bench_k_daily", "bench_k_fct")
    write_warehouse(url, totals(daily), [], "bench_ktot_daily", "bench_ktot_fct")
    seg, tot = tmp / "kseg.yaml", tmp / "ktot.yaml"
    seg.write_text("daily_metrics: {table: bench_k_daily}\nfct_orders: null\n"
                   "segments: {columns: [country], top_n: 1000, min_share: 0}\n")
    tot.write_text("daily_metrics: {table: bench_ktot_daily}\nfct_orders: null\n")
    b0, b, d = _timed(dsn, seg, tot, 90, runs, old)
    name = url.get_backend_name()
    return [_line(name, "(b0) check, total-only table", b0), _line(name, "(b) check, 1,000 segments", b),
            _line(name, "(d) backtest --format text, 90 days x 1,000 segments", d), _ratio(name, "(b) / (b0)", b, b0)]


def _timed(dsn: str, seg: Path, tot: Path, days: int, runs: int, old: Path | None):
    """(b0) `check` of the total-only config, (b) of the segmented one, (d) `backtest --format text` of its last
    `days` days: wall and peak RSS of each tree (before, after), interleaved run by run."""
    day, first = LAST.isoformat(), (LAST - timedelta(days=days - 1)).isoformat()
    trees = [old, None] if old else [None]
    check = ["check", "--dsn", dsn, "--date", day, "--no-push", "--config"]
    back = ["backtest", "--dsn", dsn, "--config", str(seg), "--from", first, "--to", day, "--format", "text",
            "--output", "/dev/null"]
    return [alternating([cli(t) + args for t in trees], runs)
            for args in ([*check, str(tot)], [*check, str(seg)], back)]


def _line(name: str, what: str, measured: list[tuple[float, float]]) -> str:
    """A process's row: wall (s) and peak RSS (MB) of each tree."""
    return (f"| {name} | {what} | {' | '.join(f'{w:.2f}' for w, _ in measured)} | "
            f"{' | '.join(f'{r:.0f}' for _, r in measured)} |")


def _ratio(name: str, what: str, a: list[tuple[float, float]], b: list[tuple[float, float]]) -> str:
    """The wall of `a` over that of `b`, per tree."""
    return f"| {name} | {what} | {' | '.join(f'{x[0] / y[0]:.2f}' for x, y in zip(a, b, strict=True))} | |"


def judged(tmp: Path, seed: int, orders_a_day: float, days: int, loss: str | None = None, min_share: float = 0.01):
    """The backtest of the mart's last `days` days on SQLite, and each country's share of the ranking month."""
    daily, _, _ = mart(20, 150, orders_a_day, seed, loss)
    path = tmp / f"d{seed}.sqlite"
    path.unlink(missing_ok=True)
    url = sa.make_url(f"sqlite:///{path}")
    write_warehouse(url, daily, [])
    config_path = tmp / "d.yaml"
    config_path.write_text(f"fct_orders: null\nsegments: {{columns: [country], min_share: {min_share}}}\n")
    config = load(config_path)
    month = [r for r in daily if r["event_date"].month == 10]  # the ranking month of November's days
    whole = sum(r["orders"] for r in month)
    shares = {code: sum(r["orders"] for r in month if r["country"] == code) / whole for code in CODES[:20]}
    return backtest(measure_range(url, config, LAST - timedelta(days=days - 1), LAST), config), shares


def detection(tmp: Path, trials: int) -> list[str]:
    lines = []
    for orders_a_day, min_share in ((400, 0.01), (400, 0.05), (4000, 0.01)):
        caught = warned = 0
        false = {"segment": [0, 0], "other": [0, 0], "total": [0, 0]}
        below = 0
        for t in range(trials):
            shares = np.sort(np.random.default_rng(t).dirichlet(np.full(20, 1.5)))[::-1]
            victim = CODES[int(np.flatnonzero(shares >= 0.05)[-1])]  # the smallest country of share >= 5 %
            (e,), _ = judged(tmp, t, orders_a_day, 1, victim, min_share)
            hit = [c.severity.label for c in e.checks if c.name == "drop" and c.metric == "orders"
                   and c.segment is not None and c.segment.label == f"country={victim}"]
            caught += hit == ["critical"]
            warned += hit in (["critical"], ["warn"])
            history, month = judged(tmp, 1000 + t, orders_a_day, 60, None, min_share)
            folded = {code for code, share in month.items() if share < min_share}
            for day in history:
                for kind in false:  # segment-days with a WARN or CRITICAL drop of any metric, of all judged
                    mine = [c for c in day.checks if _kind(c) == kind and c.name == "drop"]
                    false[kind][0] += len({c.segment for c in mine if c.outcome.value in ("warned", "failed")})
                    false[kind][1] += len({c.segment for c in mine})
                below += sum(1 for c in day.checks if c.segment and c.segment.label[8:] in folded)
        at = f"{orders_a_day:,}, min_share {min_share}"
        lines.append(f"| {at} | 100 % loss of the smallest country with share >= 5 %: CRITICAL (WARN or worse) | "
                     f"{caught / trials:.0%} ({warned / trials:.0%}) of {trials} |")
        for kind, (bad, seen) in false.items():
            lines.append(f"| {at} | clean days with a drop WARN+, per 30 days, each {kind} | "
                         f"{30 * bad / max(seen, 1):.2f} |")
        lines.append(f"| {at} | checks of countries below min_share in the ranking month (folded) | {below} |")
    return lines


def _kind(c) -> str:
    return "total" if c.segment is None else "other" if c.segment.other else "segment"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--part", choices=["speed", "detection", "both", "thousand"], default="both")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--old", type=Path, help="a checkout whose job gives the 'before' columns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("speed", "both"):
            lines = _header(args.old)
            for dsn in (f"sqlite:///{Path(tmp) / 'speed.sqlite'}", PG):
                lines += speed(dsn, Path(tmp), args.runs, args.old)
            _report(lines, "speed", args.write)
        if args.part == "thousand":
            lines = _header(args.old)
            for dsn in (f"sqlite:///{Path(tmp) / 'thousand.sqlite'}", PG):
                lines += thousand(dsn, Path(tmp), args.runs, args.old)
            _report(lines, "thousand", False)
        if args.part in ("detection", "both"):
            lines = ["| orders a day (all countries), min_share | measure | result |", "| --- | --- | ---: |"]
            _report(lines + detection(Path(tmp), args.trials), "detection", args.write)


def _header(old: Path | None) -> list[str]:
    if old:
        return ["| backend | process | wall median (s) before | after | peak RSS median (MB) before | after |",
                "| --- | --- | ---: | ---: | ---: | ---: |"]
    return ["| backend | process | wall median (s) | peak RSS median (MB) |", "| --- | --- | ---: | ---: |"]


def _report(lines: list[str], part: str, write: bool) -> None:
    print("\n".join(lines), flush=True)
    if write:
        readme = HERE / "README.md"
        start, end = f"<!-- segments-{part}:start -->", f"<!-- segments-{part}:end -->"
        before, rest = readme.read_text().split(start)
        readme.write_text(f"{before}{start}\n{chr(10).join(lines)}\n{end}{rest.split(end, 1)[1]}")


if __name__ == "__main__":
    main()
