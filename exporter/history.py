"""Judging a range of past days from one read of the history, and what a person reads of it. Pure."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, timedelta

from . import report
from .checks import evaluate
from .config import Config
from .model import Evaluation, History, Severity

MAX_DAYS = 3660
CSV_FIELDS = ("date", "check", "metric", "severity", "outcome", *report.NUMBER_FIELDS, "model", "message")


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def backtest(h: History, c: Config) -> list[Evaluation]:
    """Every day of the range judged by the same `evaluate` as `check --date`, on what that check would read."""
    return [evaluate(h.measurements(day, c.lookback), c) for day in days(h.first, h.last)]


def summary(evaluations: list[Evaluation]) -> dict:
    """Days by status, non-OK verdicts by check and metric, and the longest run of WARN-or-worse days."""
    status = Counter(e.severity.label for e in evaluations)
    checks = Counter((c.name, c.metric, c.severity.label) for e in evaluations for c in e.checks
                     if c.severity is not Severity.OK)
    longest, run = (0, None, None), []
    for e in evaluations:
        run = run + [e.target_date] if e.severity >= Severity.WARN else []
        if len(run) > longest[0]:
            longest = (len(run), run[0], run[-1])
    return {
        "days": len(evaluations),
        "status": {label: status.get(label, 0) for label in ("ok", "warn", "critical")},
        "checks": [{"check": name, "metric": metric, "severity": severity, "days": n}
                   for (name, metric, severity), n in sorted(checks.items())],
        "longest_warn_run": {"days": longest[0], "from": _iso(longest[1]), "to": _iso(longest[2])},
    }


def compare(ours: list[Evaluation], theirs: list[Evaluation]) -> list[dict]:
    """The (day, check, metric) whose severity differs between two configs' verdicts on the same days."""
    out = []
    for a, b in zip(ours, theirs, strict=True):
        left = {(c.name, c.metric): c.severity.label for c in a.checks}
        right = {(c.name, c.metric): c.severity.label for c in b.checks}
        for key in sorted(left.keys() | right.keys()):
            if left.get(key) != right.get(key):
                out.append({"date": a.target_date.isoformat(), "check": key[0], "metric": key[1],
                            "severity": left.get(key), "other_severity": right.get(key)})
    return out


def to_json(first: date, last: date, evaluations: list[Evaluation], differences: list[dict] | None = None) -> str:
    doc = {"from": first.isoformat(), "to": last.isoformat(), "days": [report.document(e) for e in evaluations],
           "summary": summary(evaluations)}
    if differences is not None:
        doc["compare"] = {"differences": differences, "days": len({d["date"] for d in differences})}
    return json.dumps(doc, allow_nan=False)  # compact: the C encoder, ten times faster than an indented one


def to_csv(evaluations: list[Evaluation]) -> str:
    """One row per day and check, the same fields as the JSON report's checks."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for e in evaluations:
        for check in report.document(e)["checks"]:
            writer.writerow({"date": e.target_date.isoformat(), "check": check["name"],
                             **{k: check[k] for k in CSV_FIELDS[2:]}})
    return out.getvalue()


def text(evaluations: list[Evaluation], differences: list[dict] | None = None) -> str:
    """The days that were not OK, one line each, then the summary."""
    s = summary(evaluations)
    lines = []
    for e in evaluations:
        bad = [f"{report.label(c)} ({c.severity.label})" for c in e.checks if c.severity is not Severity.OK]
        if bad:
            lines.append(f"{e.target_date}  {e.severity.name:<8}  {', '.join(bad)}")
    first, last = evaluations[0].target_date, evaluations[-1].target_date
    st, run = s["status"], s["longest_warn_run"]
    lines.append(f"{first} .. {last}: {s['days']} days, {st['ok']} ok, {st['warn']} warn, {st['critical']} critical")
    lines += [f"  {c['check']} {c['metric']}: {c['days']} {c['severity']}" for c in s["checks"]]
    if run["days"]:
        lines.append(f"  longest run of WARN or worse: {run['days']} days ({run['from']} .. {run['to']})")
    if differences is not None:
        lines.append(f"compare: {len(differences)} verdicts differ on {len({d['date'] for d in differences})} days")
        lines += [f"  {d['date']} {d['check']} {d['metric']}: {d['severity']} vs {d['other_severity']}"
                  for d in differences]
    return "\n".join(lines)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
