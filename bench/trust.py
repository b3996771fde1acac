"""Persistent losses, accepted shifts and spikes: trusted baselines against the literal 7-day rule.

    python bench/trust.py [--seed 11] [--trials 40] [--write]

Clean two-year histories come from bench/detection.py (the demo generator, holidays applied, each on the
calendar). Every day is judged by the job's own judgement (exporter.judge.evaluate.evaluate_days on the
whole history, exactly what `backtest` runs and what `check --date` computes for its day):
- persistent losses of 30 .. 100 % of orders (orders, revenue, purchases) lasting 1, 5, 10 or 30 days,
  starting on `--trials` sampled clean days of the second year: the share of outages whose every day is
  WARN or worse, and CRITICAL, on orders or revenue;
- an accepted shift: from a sampled day s traffic and orders stay 40 % lower and `calendar.shifts` names s:
  drop alerts (WARN or CRITICAL on any metric) in the 30 days after s, and whether a further -80 % loss of
  orders on s + 20 is CRITICAL;
- spikes of a refunds-like metric (`direction: spike`, about 5 % of orders a day) at 1.2x, 2x, 3x and 5x.
With `--write` the tables replace the ones between the markers in bench/README.md.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

from detection import KINDS, LAST, history, scaled

from exporter.config import from_mapping
from exporter.judge.evaluate import evaluate_days
from exporter.judge.model import DayRow, History, Severity

HERE = Path(__file__).resolve().parents[1]
LOSSES = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
LENGTHS = (1, 5, 10, 30)
RULES = {"trusted": {}, "literal": {"baseline": {"exclude_alerted": False}}}
MODES = {"rolling": {}, "same_weekday": {"mode": "same_weekday"}}


def judge(rows: dict[date, dict], calendar: dict[date, str], mapping: dict, days: list[date]):
    events = [{"date": d.isoformat(), "name": n} for d, n in calendar.items()]
    config = from_mapping({**mapping, "calendar": {**mapping.get("calendar", {}), "events": events}})
    h = History(min(rows), LAST, tuple(DayRow(d, v) for d, v in sorted(rows.items())),
                {d: (v["orders"], v["revenue"]) for d, v in rows.items()}, calendar)
    return evaluate_days(h, config, days)


def worst(evaluation, metrics=("orders", "revenue"), check="drop") -> Severity:
    return max((c.severity for c in evaluation.checks if c.name == check and c.metric in metrics),
               default=Severity.OK)


def config_of(rule: str, mode: str) -> dict:
    baseline = {**MODES[mode], **RULES[rule].get("baseline", {})}
    return {"baseline": baseline} if baseline else {}


def persistent(rows, calendar, starts: list[date]) -> dict:
    out = {}
    for mode in MODES:
        for rule in RULES:
            for loss in LOSSES:
                for length in LENGTHS:
                    warn = crit = 0
                    for s in starts:
                        days = [s + timedelta(days=k) for k in range(length)]
                        broken = {**rows, **{d: scaled(rows[d], KINDS["orders"], 1 - loss) for d in days}}
                        verdicts = [worst(e) for e in judge(broken, calendar, config_of(rule, mode), days)]
                        warn += all(v >= Severity.WARN for v in verdicts)
                        crit += all(v >= Severity.CRITICAL for v in verdicts)
                    out[(mode, rule, loss, length)] = (warn / len(starts), crit / len(starts))
    return out


def shifted(rows, calendar, starts: list[date]) -> dict:
    out = {}
    for mode in MODES:
        alerts, caught = 0, [0, 0]
        for s in starts:
            after = [s + timedelta(days=k) for k in range(30)]
            lower = {**rows, **{d: scaled(rows[d], KINDS["traffic"], 0.6) for d in after}}
            mapping = {**config_of("trusted", mode), "calendar": {"shifts": [{"date": s.isoformat(), "name": "x"}]}}
            verdicts = judge(lower, calendar, mapping, after)
            alerts += sum(any(c.name == "drop" and c.severity >= Severity.WARN and c.outcome.value != "not_evaluated"
                              for c in e.checks) for e in verdicts)
            for n, offset in enumerate((20, 22)):
                incident = after[offset]
                hit = {**lower, incident: scaled(lower[incident], KINDS["orders"], 0.2)}
                caught[n] += worst(judge(hit, calendar, mapping, [incident])[0]) >= Severity.CRITICAL
        out[mode] = (alerts / len(starts), caught[0] / len(starts), caught[1] / len(starts))
    return out


def spikes(rows, calendar, starts: list[date], seed: int) -> dict:
    rng = random.Random(seed)
    with_refunds = {d: {**v, "refunds": max(1, round(rng.gauss(0.05, 0.005) * v["orders"]))} for d, v in rows.items()}
    mapping = {"metrics": {"volume": ["events", "users", "sessions", "orders", "revenue", "refunds"],
                           "overrides": {"refunds": {"direction": "spike"}}}}
    out = {}
    for factor in (1.2, 2.0, 3.0, 5.0):
        found = []
        for d in starts:
            day = {**with_refunds, d: {**with_refunds[d], "refunds": round(with_refunds[d]["refunds"] * factor)}}
            found.append(worst(judge(day, calendar, mapping, [d])[0], ("refunds",), "spike"))
        out[factor] = (sum(f >= Severity.WARN for f in found) / len(found),
                       sum(f >= Severity.CRITICAL for f in found) / len(found))
    return out


def tables(profile: str, seed: int, trials: int) -> str:
    rows, calendar = history(profile, seed)
    second_year = [LAST - timedelta(days=k) for k in range(364, 40, -1)]
    clean = [d for d in second_year if not any(d + timedelta(days=k) in calendar for k in range(31))]
    starts = random.Random(seed).sample(clean, trials)
    lines = [f"**{profile}**: persistent losses of orders, share of outages whose every day is WARN+ / CRITICAL",
             "", "| baseline | rule | loss | " + " | ".join(f"{n} d" for n in LENGTHS) + " |",
             "| --- | --- | --- |" + " --- |" * len(LENGTHS)]
    found = persistent(rows, calendar, starts)
    for mode in MODES:
        for rule in RULES:
            for loss in LOSSES:
                cells = [f"{found[(mode, rule, loss, n)][0]:.0%} / {found[(mode, rule, loss, n)][1]:.0%}"
                         for n in LENGTHS]
                lines.append(f"| {mode} | {rule} | {loss:.0%} | " + " | ".join(cells) + " |")
    lines += ["", "| baseline | accepted -40 % shift: drop alerts per day in the 30 days after | "
                  "-80 % incident at shift + 20 d CRITICAL | at shift + 22 d |", "| --- | --- | --- | --- |"]
    for mode, (alerts, at_20, at_22) in shifted(rows, calendar, starts).items():
        lines.append(f"| {mode} | {alerts / 30:.3f} | {at_20:.0%} | {at_22:.0%} |")
    lines += ["", "| refunds (direction spike) | WARN+ | CRITICAL |", "| --- | --- | --- |"]
    for factor, (warn, crit) in spikes(rows, calendar, starts, seed).items():
        lines.append(f"| {factor:g} x median | {warn:.0%} | {crit:.0%} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--write", action="store_true", help="replace the tables in bench/README.md")
    args = parser.parse_args()
    text = "\n\n".join(tables(p, args.seed, args.trials) for p in ("retail", "b2b")) + \
        f"\n\n{args.trials} outages, shifts and spike days per cell, sampled from clean days of the second year."
    print(text)
    if args.write:
        readme = HERE / "bench" / "README.md"
        start, end = "<!-- trust:start -->", "<!-- trust:end -->"
        content = readme.read_text()
        if start not in content:
            content += f"\n{start}\n{end}\n"
        before, rest = content.split(start)
        readme.write_text(f"{before}{start}\n{text}\n{end}{rest.split(end)[1]}")


if __name__ == "__main__":
    main()
