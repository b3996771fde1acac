"""Detection quality of the drop checks on labelled, seeded two-year histories.

    python bench/detection.py [--seed 11] [--trials 60] [--write]

Each profile's clean history comes from the demo generator (exporter.warehouse.demo_data.build, one row a day, noise and
all), with holidays applied. Every day is judged by the job's own judgement (exporter.judge.evaluate.evaluate_days) on
in-memory rows, as `check --date` would judge it: no query, no copy of the rules. A day counts as flagged
when any drop check is WARN or worse (CRITICAL for the CRITICAL columns).

- false WARN / false CRITICAL: flagged clean days (no drop, no holiday) of the second year, per 30 days;
- recall by drop size: single-day drops of 20/35/50/70/90 % on traffic (every volume), orders (orders,
  revenue, purchases) and a funnel step (checkout users and all after), on `--trials` sampled days each;
- outage day 1/2/3: three days in a row at 50 % of orders, each day judged with the days before it;
- holidays flagged: weekday public holidays at 50 % of traffic and Christmas at 60 %.
With `--write` the table replaces the one between the markers in bench/README.md.
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from exporter.config import from_mapping
from exporter.judge.evaluate import evaluate_days
from exporter.judge.model import DayRow, History, Severity
from exporter.warehouse.demo_data import build

HERE = Path(__file__).resolve().parents[1]
LAST = date(2026, 11, 25)
DAYS = 730
SIZES = (0.20, 0.35, 0.50, 0.70, 0.90)
KINDS = {  # which columns a drop of each kind takes down
    "traffic": ("events", "users", "sessions", "add_to_cart_users", "checkout_users", "purchase_users", "orders",
                "revenue", "attributed_orders_first_click", "attributed_revenue_first_click",
                "attributed_orders_last_click", "attributed_revenue_last_click"),
    "orders": ("orders", "revenue", "purchase_users", "attributed_orders_first_click",
               "attributed_revenue_first_click", "attributed_orders_last_click", "attributed_revenue_last_click"),
    "funnel": ("checkout_users", "purchase_users", "orders", "revenue", "attributed_orders_first_click",
               "attributed_revenue_first_click", "attributed_orders_last_click", "attributed_revenue_last_click"),
}
MODES = {"rolling": {}, "same_weekday": {"baseline": {"mode": "same_weekday"}}}


def holidays(first: date, last: date) -> dict[date, tuple[str, float]]:
    """Weekday public holidays (half the traffic) and Christmas (60 %) in [first, last]."""
    out = {}
    for year in range(first.year, last.year + 1):
        for month, day, name, factor in ((1, 1, "New Year", 0.5), (5, 1, "Labour Day", 0.5),
                                         (10, 3, "Unity Day", 0.5), (12, 25, "Christmas", 0.6),
                                         (12, 26, "Boxing Day", 0.5)):
            d = date(year, month, day)
            if first <= d <= last and (d.weekday() < 5 or name == "Christmas"):
                out[d] = (name, factor)
    return out


def history(profile: str, seed: int) -> tuple[dict[date, dict], dict[date, str]]:
    """The clean labelled history (holidays applied) and its calendar."""
    wh = build("healthy", last_day=LAST, days=DAYS, profile=profile, seed=seed)
    rows = {r["event_date"]: {k: v for k, v in r.items() if k != "event_date"} for r in wh.daily}
    calendar = {}
    for d, (name, factor) in holidays(min(rows), LAST).items():
        rows[d] = scaled(rows[d], KINDS["traffic"], factor)
        calendar[d] = name
    return rows, calendar


def scaled(values: dict, columns: tuple[str, ...], factor: float) -> dict:
    out = dict(values)
    for column in columns:
        out[column] = type(values[column])(round(float(values[column]) * factor, 2)) \
            if not isinstance(values[column], int) else int(values[column] * factor)
    return out


def verdict(rows: dict[date, dict], day: date, config, events: dict[date, str]) -> Severity:
    """The worst drop check of `day`, judged by the job's own evaluation on the window it would read."""
    return verdicts(rows, [day], config, events)[0]


def verdicts(rows: dict[date, dict], days: list[date], config, events: dict[date, str]) -> list[Severity]:
    """The worst drop check of each of `days`, from one judgement of the rows they read (what backtest runs)."""
    first = min(days) - timedelta(days=config.lookback)
    window = tuple(DayRow(d, v) for d, v in sorted(rows.items()) if first <= d <= max(days))
    h = History(min(days), max(days), window, {d: (rows[d]["orders"], rows[d]["revenue"]) for d in days}, events)
    return [max((c.severity for c in e.checks if c.name == "drop"), default=Severity.OK)
            for e in evaluate_days(h, config, days)]


def measure(profile: str, seed: int, trials: int) -> dict:
    rows, calendar = history(profile, seed)
    second_year = [LAST - timedelta(days=k) for k in range(364, -1, -1)]
    clean = [d for d in second_year if d not in calendar]
    rng = random.Random(seed)
    targets = rng.sample(clean, trials)
    out = {}
    for mode, mapping in MODES.items():
        for with_calendar in (False, True):
            events = calendar if with_calendar else {}
            listed = [{"date": d.isoformat(), "name": name} for d, name in events.items()]
            config = from_mapping({**mapping, "calendar": {"events": listed}})  # as a user would write it
            row = defaultdict(float)
            flags = verdicts(rows, clean, config, events)
            row["false_warn"] = 30 * sum(f >= Severity.WARN for f in flags) / len(clean)
            row["false_critical"] = 30 * sum(f >= Severity.CRITICAL for f in flags) / len(clean)
            for size in SIZES:
                found = [verdict({**rows, d: scaled(rows[d], KINDS[kind], 1 - size)}, d, config, events)
                         for kind in KINDS for d in targets]
                row[f"warn_{size}"] = sum(f >= Severity.WARN for f in found) / len(found)
                row[f"critical_{size}"] = sum(f >= Severity.CRITICAL for f in found) / len(found)
            for n in (1, 2, 3):
                hits = 0
                for d in targets:
                    outage = {d - timedelta(days=k): scaled(rows[d - timedelta(days=k)], KINDS["orders"], 0.5)
                              for k in range(n)}
                    hits += verdict({**rows, **outage}, d, config, events) >= Severity.WARN
                row[f"outage_{n}"] = hits / len(targets)
            in_year = [d for d in second_year if d in calendar]
            row["holidays"] = sum(f >= Severity.WARN for f in verdicts(rows, in_year, config, events)) / len(in_year)
            out[(mode, with_calendar)] = row
    return out


def table(results: dict[str, dict], trials: int) -> str:
    head = ("| profile | baseline | calendar | false WARN /30 d | false CRIT /30 d | "
            + " | ".join(f"WARN+ {int(s * 100)} %" for s in SIZES) + " | "
            + " | ".join(f"CRIT {int(s * 100)} %" for s in SIZES)
            + " | outage d1 | d2 | d3 | holidays flagged |")
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for profile, rows in results.items():
        for (mode, with_calendar), r in rows.items():
            cells = [profile, mode, "yes" if with_calendar else "no", f"{r['false_warn']:.2f}",
                     f"{r['false_critical']:.2f}"]
            cells += [f"{r[f'warn_{s}']:.0%}" for s in SIZES] + [f"{r[f'critical_{s}']:.0%}" for s in SIZES]
            cells += [f"{r[f'outage_{n}']:.0%}" for n in (1, 2, 3)] + [f"{r['holidays']:.0%}"]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + (f"\n\nRecall over {trials} sampled days × 3 kinds of drop per size; outages over "
                               f"{trials} days; false alarms over every clean day of the second year.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--write", action="store_true", help="replace the table in bench/README.md")
    args = parser.parse_args()
    results = {profile: measure(profile, args.seed, args.trials) for profile in ("retail", "b2b")}
    text = table(results, args.trials)
    print(text)
    if args.write:
        readme = HERE / "bench" / "README.md"
        start, end = "<!-- detection:start -->", "<!-- detection:end -->"
        content = readme.read_text()
        before, rest = content.split(start)
        readme.write_text(f"{before}{start}\n{text}\n{end}{rest.split(end)[1]}")


if __name__ == "__main__":
    main()
