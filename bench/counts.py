"""Counts are counts (issue 27): false alarms and recall of small counts, this code beside another checkout's.

    python bench/counts.py [--old /work/main] [--trials 100] [--write]

Every history is generated here (seeded numpy) and judged in memory by `evaluate_days`, what `backtest` runs
and `check --date` computes for its day. With --old the same measurements run a second time in a subprocess
that imports the judge from that checkout (e.g. the code before this change), so both columns come from one
run on the same data.

- case12: the issue's mart: 4 channels x 3 platforms (0.6 .. 22 % of ~2,400 orders a day), Poisson orders with
  weekly seasonality, refunds ~3 % of orders judged as a spike, and two incidents: one segment's orders at 10 %
  on the last day, one segment's refunds 6x three days before. A 120-day backtest: days by status, false WARN+
  per segment per 30 days, the incidents' verdicts and rank among the critical days, and the refunds
  baselines: the mean of each segment's baseline median over the last 60 days / its true mean (locked low < 1).
- countries: 20 countries (Dirichlet shares, bench/segments.py's mart) at 400 and 4,000 orders a day: false
  WARN and CRITICAL drops per judged segment per 30 clean days, the total's, and a 100 % loss of the smallest
  country of share >= 5 % on the last day.
- refunds: case12 without incidents over 120 days (false WARN+ per segment per 30 days) and a 6x spike of one
  segment's refunds on the last day.
- persistent: the total of 4,000 orders a day loses 50 % for 10 days: CRITICAL from day 3 on every day.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LAST = date(2026, 11, 30)
SEASON = (1.05, 1.08, 1.06, 1.04, 0.98, 0.82, 0.80)  # Monday .. Sunday
CHANNELS, PLATFORMS = ("organic", "paid", "email", "affiliate"), ("web", "ios", "android")
SHARES12 = np.array([22, 18, 14, 11, 9, 7, 6, 5, 3.5, 2.5, 1.4, 0.6]) / 100
CASE12 = {"fct_orders": None, "metrics": {"volume": ["orders", "revenue", "refunds"], "rates": {},
                                          "attribution_models": {}, "traffic": None,
                                          "overrides": {"refunds": {"direction": "spike"}}},
          "segments": {"columns": ["channel", "platform"], "top_n": 12, "min_share": 0}}


def case12(seed: int, days: int, incidents: bool, spike: float = 0.0):
    """{(channel, platform) or None: {day: values}}: the 12 segments and their total, Poisson counts."""
    rng = np.random.default_rng(seed)
    names = [(c, p) for c in CHANNELS for p in PLATFORMS]
    out: dict = {name: {} for name in names}
    for i in range(days):
        day = LAST - timedelta(days=days - 1 - i)
        orders = rng.poisson(2400 * SEASON[day.weekday()] * SHARES12)
        refunds = rng.poisson(0.03 * 2400 * SEASON[day.weekday()] * SHARES12)
        if incidents and day == LAST:
            orders[3] = int(orders[3] * 0.1)
        if incidents and day == LAST - timedelta(days=3):
            refunds[8] *= 6
        if spike and day == LAST:
            refunds[5] = round(spike * 0.03 * 2400 * SEASON[day.weekday()] * SHARES12[5])
        for k, name in enumerate(names):
            out[name][day] = {"orders": int(orders[k]), "revenue": round(int(orders[k]) * 48.5, 2),
                              "refunds": int(refunds[k])}
    return out


def poisson_mart(n: int, days: int, orders_a_day: float, seed: int):
    """20 countries whose every count is Poisson given its rate: traffic drives orders (events Poisson, each
    funnel step a binomial thinning of the one before, so Poisson too), weekly seasonality and a 3 % day noise
    shared by all countries, as bench/segments.py's mart but without traffic derived from realised orders."""
    from segments import CODES, SEASON
    rng = np.random.default_rng(seed)
    shares = np.sort(rng.dirichlet(np.full(n, 1.5)))[::-1]
    daily = []
    for i in range(days):
        day = LAST - timedelta(days=days - 1 - i)
        rate = orders_a_day * SEASON[day.weekday()] * rng.normal(1, 0.03) * shares
        events = rng.poisson(rate * 200)
        users = rng.binomial(events, 0.175)
        atc = rng.binomial(users, 0.12)
        checkout = rng.binomial(atc, 0.45)
        orders = rng.binomial(checkout, 0.529)
        for k, code in enumerate(CODES[:n]):
            o = int(orders[k])
            daily.append({"event_date": day, "country": code, "events": int(events[k]), "users": int(users[k]),
                          "sessions": int(events[k] * 0.25), "orders": o, "revenue": round(o * 55.0, 2),
                          "add_to_cart_users": int(atc[k]), "checkout_users": int(checkout[k]), "purchase_users": o,
                          "attributed_orders_first_click": int(o * 0.85),
                          "attributed_revenue_first_click": round(o * 55.0 * 0.85, 2),
                          "attributed_orders_last_click": int(o * 0.92),
                          "attributed_revenue_last_click": round(o * 55.0 * 0.92, 2)})
    return daily, [], shares


def countries(seed: int, orders_a_day: float, days: int, loss: bool, mart_kind: str = "segments"):
    """bench/segments.py's mart (or `poisson_mart`) as {("XX",): {day: values}}, countries under 1 % of
    October folded into other."""
    from segments import CODES, mart
    daily, _, shares = (mart if mart_kind == "segments" else poisson_mart)(20, days, orders_a_day, seed)
    victim = CODES[int(np.flatnonzero(shares >= 0.05)[-1])] if loss else None
    month = [r for r in daily if r["event_date"].month == 10]
    whole = sum(r["orders"] for r in month)
    share = {code: sum(r["orders"] for r in month if r["country"] == code) / whole for code in CODES[:20]}
    out: dict = {}
    for r in daily:
        code = r["country"] if share[r["country"]] >= 0.01 else "other"
        values = {k: v for k, v in r.items() if k not in ("event_date", "country")}
        if victim and code == victim and r["event_date"] == LAST:
            values = {k: 0 if k in ("orders", "revenue", "purchase_users") or k.startswith("attributed")
                      else v for k, v in values.items()}
        into = out.setdefault((code,), {}).setdefault(r["event_date"], {k: 0 for k in values})
        for k, v in values.items():
            into[k] += v
    return out, victim


def history(blocks: dict, columns: tuple[str, ...]):
    from exporter.judge.model import DayRow, History, Segment
    segments = {name: Segment(() if name == ("other",) else tuple(zip(columns, name, strict=True)))
                for name in blocks}
    order = sorted(blocks, key=lambda n: (n == ("other",), -sum(v["orders"] for v in blocks[n].values())))
    days = sorted(next(iter(blocks.values())))
    rows = []
    for day in days:
        total = {k: sum(blocks[n][day][k] for n in blocks) for k in blocks[order[0]][day]}
        rows.append(DayRow(day, total))
        rows += [DayRow(day, blocks[n][day], segments[n]) for n in order]
    return History(days[0], days[-1], tuple(rows), {}, {}, tuple(segments[n] for n in order))


def judge(blocks: dict, mapping: dict, columns: tuple[str, ...], days: list[date]):
    from exporter.config import from_mapping
    from exporter.judge.evaluate import evaluate_days
    return evaluate_days(history(blocks, columns), from_mapping(mapping), days)


def label(check) -> str:
    return "total" if check.segment is None else check.segment.label


NAMES12 = [f"channel={c},platform={p}" for c in CHANNELS for p in PLATFORMS]
INCIDENTS = {(LAST, "drop", "orders", NAMES12[3]), (LAST - timedelta(days=3), "spike", "refunds", NAMES12[8])}


def measure_case12(exclude: bool) -> dict:
    """The 120-day backtest of the issue's mart, its false alarms (segment-days with any drop or spike alert),
    the incidents and, per segment, the mean refunds baseline median of the last 60 days."""
    mapping = {**CASE12, "baseline": {"exclude_alerted": exclude}}
    days = [LAST - timedelta(days=k) for k in range(119, -1, -1)]
    evaluations = judge(case12(27, 300, True), mapping, ("channel", "platform"), days)
    status = {s: sum(e.severity.label == s for e in evaluations) for s in ("ok", "warn", "critical")}
    worst: dict = {}
    found, medians = {}, {}
    for e in evaluations:
        for c in e.checks:
            if c.name not in ("drop", "spike") or c.segment is None:
                continue
            key = (e.target_date, str(c.name), c.metric, label(c))
            if key in INCIDENTS:
                found[key[1]] = c.severity.label
                continue
            worst[(e.target_date, label(c))] = max(worst.get((e.target_date, label(c)), 0), int(c.severity))
            if c.metric == "refunds" and e.target_date > LAST - timedelta(days=60) and c.median is not None:
                medians.setdefault(label(c), []).append(c.median)
    critical_days = [e.target_date for e in evaluations if e.severity.label == "critical"]
    ranks = {k[1]: critical_days.index(k[0]) + 1 if k[0] in critical_days else None for k in INCIDENTS}
    return {"status": status, "false_warn": 30 * sum(v >= 1 for v in worst.values()) / len(worst),
            "false_critical": 30 * sum(v >= 2 for v in worst.values()) / len(worst), "found": found, "rank": ranks,
            "critical_days": len(critical_days), "medians": {k: float(np.mean(v)) for k, v in medians.items()}}


def measure_countries(trials: int, false_trials: int, kind: str) -> dict:
    out = {}
    for volume in (400, 4000):
        caught = warned = 0
        for t in range(trials):
            blocks, victim = countries(t, volume, 150, True, kind)
            (e,) = judge(blocks, {"fct_orders": None, "segments": {"columns": ["country"]}}, ("country",), [LAST])
            hit = [c.severity.label for c in e.checks if c.name == "drop" and c.metric == "orders"
                   and label(c) == f"country={victim}"]
            caught += hit == ["critical"]
            warned += hit in (["critical"], ["warn"])
        rates = {"segment": [0, 0, 0], "total": [0, 0, 0]}
        for t in range(false_trials):
            blocks, _ = countries(1000 + t, volume, 150, False, kind)
            days = [LAST - timedelta(days=k) for k in range(59, -1, -1)]
            for e in judge(blocks, {"fct_orders": None, "segments": {"columns": ["country"]}}, ("country",), days):
                by: dict = {}
                for c in e.checks:
                    if c.name == "drop":
                        kind = "total" if c.segment is None else "segment"
                        by[(kind, label(c))] = max(by.get((kind, label(c)), 0), int(c.severity))
                for (kind, _), worst in by.items():
                    rates[kind][0] += worst >= 1
                    rates[kind][1] += worst >= 2
                    rates[kind][2] += 1
        out[volume] = {"critical": caught / trials, "warn": warned / trials,
                       **{f"{k}_{lvl}": 30 * v[i] / max(v[2], 1) for k, v in rates.items()
                          for i, lvl in ((0, "warn"), (1, "critical"))}}
    return out


def measure_refunds(trials: int) -> dict:
    false = seen = 0
    days = [LAST - timedelta(days=k) for k in range(119, -1, -1)]
    for t in range(max(trials // 10, 3)):
        for e in judge(case12(500 + t, 300, False), CASE12, ("channel", "platform"), days):
            for c in e.checks:
                if c.name == "spike" and c.segment is not None:
                    seen += 1
                    false += c.severity.label != "ok"
    caught = 0
    for t in range(trials):
        (e,) = judge(case12(700 + t, 200, False, spike=6.0), CASE12, ("channel", "platform"), [LAST])
        caught += any(c.name == "spike" and label(c) == NAMES12[5] and c.severity.label != "ok"
                      for c in e.checks)
    return {"false_warn": 30 * false / seen, "spike6": caught / trials}


def measure_persistent(trials: int) -> dict:
    every = by3 = 0
    for t in range(trials):
        rng = np.random.default_rng(900 + t)
        blocks = {}
        for i in range(200):
            day = LAST - timedelta(days=199 - i)
            n = int(rng.poisson(4000 * SEASON[day.weekday()] * rng.normal(1, 0.03)))
            n = int(n * 0.5) if i >= 190 else n
            blocks[day] = {"orders": n, "revenue": round(n * 48.5, 2)}
        from exporter.config import from_mapping
        from exporter.judge.evaluate import evaluate_days
        from exporter.judge.model import DayRow, History
        h = History(min(blocks), LAST, tuple(DayRow(d, v) for d, v in sorted(blocks.items())), {}, {})
        config = from_mapping({"fct_orders": None, "metrics": {"volume": ["orders", "revenue"], "rates": {},
                                                               "attribution_models": {}, "traffic": None}})
        levels = [max((int(c.severity) for c in e.checks if c.name == "drop" and c.metric == "orders"), default=0)
                  for e in evaluate_days(h, config, [LAST - timedelta(days=9 - k) for k in range(10)])]
        by3 += levels[2] == 2
        every += all(v == 2 for v in levels[2:])
    return {"critical_by_day_3": by3 / trials, "critical_every_day_from_3": every / trials}


def measure(trials: int) -> dict:
    return {"case12": measure_case12(True), "case12_literal": measure_case12(False),
            "countries": measure_countries(trials, max(trials // 5, 4), "segments"),
            "poisson": measure_countries(trials, max(trials // 5, 4), "poisson"), "refunds": measure_refunds(trials),
            "persistent": measure_persistent(max(trials // 5, 10))}


def table(new: dict, old: dict | None) -> str:
    def pair(get, fmt="{:.2f}") -> str:
        a = fmt.format(get(new)) if get(new) is not None else "-"
        return f"{fmt.format(get(old)) if old and get(old) is not None else '-'} | {a}"
    rows = [("12 segments, 120 days: days ok / warn / critical",
             lambda r: "{ok} / {warn} / {critical}".format(**r["case12"]["status"]), "{}"),
            ("12 segments: false WARN+ per segment per 30 days (drop and spike)",
             lambda r: r["case12"]["false_warn"], "{:.2f}"),
            ("12 segments: false CRITICAL per segment per 30 days", lambda r: r["case12"]["false_critical"], "{:.2f}"),
            ("12 segments: orders at 10 % on the last day", lambda r: r["case12"]["found"].get("drop"), "{}"),
            ("12 segments: refunds 6x three days before", lambda r: r["case12"]["found"].get("spike"), "{}"),
            ("12 segments: rank of the orders incident among the CRITICAL days", lambda r: r["case12"]["rank"]["drop"],
             "{}"),
            ("12 segments: rank of the refunds incident", lambda r: r["case12"]["rank"]["spike"], "{}"),
            ("12 segments: lowest refunds baseline, trusted / exclude_alerted: false (mean median, last 60 days)",
             lambda r: min(r["case12"]["medians"][k] / v for k, v in r["case12_literal"]["medians"].items() if v),
             "{:.2f}"),
            ("12 segments, exclude_alerted: false: days ok / warn / critical",
             lambda r: "{ok} / {warn} / {critical}".format(**r["case12_literal"]["status"]), "{}")]
    for mart, kind in (("countries", "20 countries (segments.py's mart)"), ("poisson", "20 Poisson countries")):
        for v in (400, 4000):
            rows += [(f"{kind}, {v:,} a day: false WARN+ per judged segment per 30 days",
                      lambda r, v=v, m=mart: r[m][str(v)]["segment_warn"], "{:.2f}"),
                     (f"{kind}, {v:,} a day: false CRITICAL per judged segment per 30 days",
                      lambda r, v=v, m=mart: r[m][str(v)]["segment_critical"], "{:.3f}"),
                     (f"{kind}, {v:,} a day: the total's false WARN+ / CRITICAL per 30 days",
                      lambda r, v=v, m=mart: "{:.2f} / {:.2f}".format(r[m][str(v)]["total_warn"],
                                                                      r[m][str(v)]["total_critical"]), "{}"),
                     (f"{kind}, {v:,} a day: 100 % loss of a >= 5 % country CRITICAL (WARN+)",
                      lambda r, v=v, m=mart: "{:.0%} ({:.0%})".format(r[m][str(v)]["critical"],
                                                                      r[m][str(v)]["warn"]), "{}")]
    rows += [("refunds 1-16 a day, 120 clean days: false WARN+ per segment per 30 days",
              lambda r: r["refunds"]["false_warn"], "{:.2f}"),
             ("refunds: a 6x spike of one segment WARN+", lambda r: r["refunds"]["spike6"], "{:.0%}"),
             ("total at 4,000 a day loses 50 % for 10 days: CRITICAL on day 3",
              lambda r: r["persistent"]["critical_by_day_3"], "{:.0%}"),
             ("the same: CRITICAL on every day from day 3", lambda r: r["persistent"]["critical_every_day_from_3"],
              "{:.0%}")]
    lines = ["| measure | before | after |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {pair(get, fmt)} |" for name, get, fmt in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="a checkout whose judge gives the 'before' column")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON (the subprocess)")
    parser.add_argument("--write", action="store_true", help="replace the table in bench/README.md")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.trials), default=str))
        return
    old = None
    if args.old:
        code = f"import sys; sys.path[:0] = [{str(args.old)!r}, {str(HERE)!r}]; sys.argv = ['counts', '--json', " \
               f"'--trials', '{args.trials}']; import runpy; runpy.run_path({str(HERE / 'counts.py')!r}, " \
               "run_name='__main__')"
        old = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                        text=True).stdout)
    new = json.loads(json.dumps(measure(args.trials), default=str))
    text = table(new, old)
    print(text)
    if args.write:
        readme = HERE / "README.md"
        start, end = "<!-- counts:start -->", "<!-- counts:end -->"
        before, rest = readme.read_text().split(start)
        readme.write_text(f"{before}{start}\n{text}\n{end}{rest.split(end, 1)[1]}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.path.append(str(HERE.parent))  # after an --old checkout put first: its judge is the one imported
    main()
