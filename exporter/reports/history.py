"""A backtest's report: JSON, CSV and the text a person reads. Pure: returns strings."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from datetime import date

from ..judge import incidents as inc
from ..judge.backtest import Summary, summary
from ..judge.model import Evaluation
from . import check as report

CSV_FIELDS = ("date", "check", "metric", "severity", "outcome", *report.NUMBER_FIELDS, "model", "message")


def to_json(first: date, last: date, evaluations: list[Evaluation], differences: list[dict] | None = None,
            theirs: dict | None = None) -> str:
    doc = {"from": first.isoformat(), "to": last.isoformat(), "days": [report.document(e) for e in evaluations],
           "incidents": [inc.document(i) for i in inc.incidents(evaluations)], "summary": summary(evaluations)}
    if differences is not None:
        doc["compare"] = {"differences": differences, "days": len({d["date"] for d in differences}),
                          **({"alerts_per_30_days": theirs["alerts_per_30_days"]} if theirs else {})}
    return json.dumps(doc, allow_nan=False)  # compact: the C encoder, ten times faster than an indented one


def to_csv(evaluations: list[Evaluation]) -> str:
    """One row per day and check, the same fields as the JSON report's checks (segmented: and the segment's
    label, empty for the total), and last the incident the check belongs to (its key; empty when OK)."""
    out = io.StringIO()
    segmented = any(e.segmented for e in evaluations)
    fields = (*CSV_FIELDS[:3], "segment", *CSV_FIELDS[3:]) if segmented else CSV_FIELDS
    writer = csv.DictWriter(_Lines(out), (*fields, "incident"), lineterminator="\r\n")  # CR or LF: quoted
    writer.writeheader()
    belongs = inc.membership(inc.incidents(evaluations))
    for e in evaluations:
        for c, check in zip(e.checks, report.document(e)["checks"], strict=True):
            row = {"date": e.target_date.isoformat(), "check": check["name"], **{k: check[k] for k in CSV_FIELDS[2:]},
                   "incident": belongs(e.target_date, c)}
            writer.writerow({**row, "segment": c.segment.label if c.segment else ""} if segmented else row)
    return out.getvalue()


class _Lines:
    """Takes csv's rows ended by CRLF (so that csv quotes a value holding a bare CR as well as LF) and writes them
    ended by LF: csv writes each row in one call."""

    def __init__(self, out: io.StringIO) -> None:
        self.out = out

    def write(self, row: str) -> None:
        self.out.write(row[:-2] + "\n")


def text(evaluations: Iterable[Evaluation], differences: list[dict] | None = None,
         theirs: dict | None = None) -> str:
    """The incidents, one line each (real alerts, then checks that could not judge, then start-up), then the
    summary: one pass, so a long range can stream."""
    total, tracker = Summary(), inc.Tracker()
    first, last = None, None
    for e in evaluations:
        total.add(e)
        tracker.add(e)
        first, last = first or e.target_date, e.target_date
    found = tracker.result()
    kinds = Counter(i.kind for i in found)
    lines = [f"incidents: {kinds[inc.ALERT]} alerts ({sum(i.open for i in found if i.kind == inc.ALERT)} open), "
             f"{kinds[inc.NOT_EVALUATED]} not evaluated, {kinds[inc.START_UP]} start-up"]
    lines += [f"  {i.line()}" for i in found]
    s = total.result()
    st, run = s["status"], s["longest_warn_run"]
    lines.append(f"{first} .. {last}: {s['days']} days, {st['ok']} ok, {st['warn']} warn, {st['critical']} critical")
    lines += [f"  {c['check']} {_subject(c)}: {c['days']} {c['severity']}" for c in s["checks"]]
    if run["days"]:
        lines.append(f"  longest run of WARN or worse: {run['days']} days ({run['from']} .. {run['to']})")
    lines += volume_lines(s, theirs)
    if differences is not None:
        lines.append(f"compare: {len(differences)} verdicts differ on {len({d['date'] for d in differences})} days")
        lines += [f"  {d['date']} {d['check']} {_subject(d)}: {d['severity']} vs {d['other_severity']}"
                  for d in differences]
    return "\n".join(lines)  # from data only segment labels, which are printable


def _subject(row: dict) -> str:
    return f"{row['metric']} [{row['segment']}]" if "segment" in row else row["metric"]


def volume_lines(ours: dict, theirs: dict | None = None) -> list[str]:
    """'alerts per 30 days (WARN or worse / CRITICAL)' for each drop and spike that alerted, beside the other
    config's where one is compared."""
    def volume(s: dict) -> dict[str, tuple[float, float]]:
        return {f"{a['check']} {_subject(a)}": (a["warn_or_worse"], a["critical"]) for a in s["alerts_per_30_days"]}

    mine, other = volume(ours), volume(theirs) if theirs is not None else {}
    if not mine and not other:
        return []
    head = "alerts per 30 days (WARN or worse / CRITICAL)" + (", this config vs --compare:" if theirs else ":")
    lines = [head]
    for key in sorted(mine.keys() | other.keys()):
        a, b = mine.get(key, (0.0, 0.0)), other.get(key, (0.0, 0.0))
        lines.append(f"  {key}: {a[0]:.2f} / {a[1]:.2f}" + (f" vs {b[0]:.2f} / {b[1]:.2f}" if theirs else ""))
    return lines
