"""A backtest as a page people act on: verdict ribbon, incident list, summary, charts. Builds, never writes.

Self-contained: inline SVG (the charts drawn by matplotlib, the `report` extra), no script and no network,
so the file opens anywhere, a mail attachment included.
"""

from __future__ import annotations

import html
from collections import Counter

from ..config import Config
from ..escape import printable
from ..judge import incidents as inc
from ..judge.backtest import summary
from ..judge.model import CheckResult, Evaluation
from .charts import chart
from .days import CRITICAL, DAY_KINDS, INSUFFICIENT, NOT_EVALUATED, WARN, check_kind, day_kind, incidents
from .incident_charts import card
from .ribbon import ribbon

STYLE = """body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin:18px 0 4px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}.ok{color:#2a9d4b}.warn{color:#b36b00}
.critical{color:#c22}.not-evaluated{color:#666}.known-event{color:#3b5bdb}
.legend{font-size:13px}.key{margin-right:14px}.key i{display:inline-block;width:11px;height:11px;margin-right:4px;
vertical-align:-1px}#incidents li{margin:4px 0}#incidents ul{margin:2px 0 6px;font-size:14px}
section.chart svg{width:100%;height:auto}#incident-list{display:grid;grid-template-columns:1fr 1fr;gap:6px 18px;
padding:0;list-style:none}.incident .line{display:block;font-size:13px}.incident svg{width:100%;height:auto}
.incident.critical .line{color:#c22}.incident.warn .line{color:#b36b00}"""
CHARTED = 12
"""Incidents charted: the first ones of the list; the others keep their line."""
CHECK_COLUMNS = (CRITICAL, WARN, INSUFFICIENT, NOT_EVALUATED)


def page(c: Config, evaluations: list[Evaluation]) -> str:
    """The whole HTML document."""
    first, last = evaluations[0].target_date, evaluations[-1].target_date
    charts = [chart(c, metric, evaluations) for metric in c.drop_metrics]
    title = f"daily-metrics-monitor backtest: {c.pipeline}, {first} .. {last}"
    found = inc.incidents(evaluations)
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{ribbon(evaluations)}\n"
            f"{_incident_list(c, found, evaluations)}\n{_summary(evaluations, found)}\n{_incidents(evaluations)}\n"
            "<h2>Charts of the totals</h2>\n" + "\n".join(charts) + "\n</body></html>\n")


def _incident_list(c: Config, found: list[inc.Incident], evaluations: list[Evaluation]) -> str:
    """The incidents, ranked (judge/incidents.py), the first CHARTED real ones with their chart."""
    alerts = [i for i in found if i.kind == inc.ALERT]
    cards = "".join(card(c, i, evaluations, n < CHARTED and i.kind != inc.START_UP) for n, i in enumerate(found))
    body = f'<ol id="incident-list">{cards}</ol>' if found else "<p>No incident: every day was OK.</p>"
    return (f'<section id="incidents"><h2>Incidents: {len(alerts)} alerts '
            f"({sum(i.open for i in alerts)} open), CRITICAL first, open first, newest first</h2>{body}</section>")


def _shown(text: str) -> str:
    """Text from data on the page: HTML-escaped, its control and bidi characters written as escapes."""
    return html.escape(printable(text))


def _css(kind: str) -> str:
    return kind.replace(" ", "-")


def _incidents(evaluations: list[Evaluation]) -> str:
    """Every day that was not OK with its checks: what the ribbon links to."""
    rows = incidents(evaluations)
    items = []
    for e, kind, checks in rows:
        event = f" (known event: {_shown(e.known_event)})" if e.known_event else ""
        lines = "".join(f"<li class=\"{_css(kind)}\">{line}</li>" for kind, line in _check_lines(checks))
        items.append(f"<li class=\"{_css(kind)}\" id=\"day-{e.target_date}\" data-date=\"{e.target_date}\">"
                     f"<b>{e.target_date} {e.target_date:%a}</b> <span class=\"{_css(kind)}\">{kind.upper()}</span>"
                     f"{event}<ul>{lines}</ul></li>")
    body = f"<ol>{''.join(items)}</ol>" if items else "<p>Every day was OK.</p>"
    return f"<section id=\"days\"><h2>Days not OK: {len(rows)}, CRITICAL first</h2>{body}</section>"


def _check_lines(checks: list[CheckResult]) -> list[tuple[str, str]]:
    """One line per check with its numbers; checks of one name that say the same thing share a line."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for x in checks:
        groups.setdefault((str(x.name), check_kind(x), x.message), []).append(x.subject)
    lines = []
    for (name, kind, message), metrics in groups.items():
        said = message if message.startswith(kind) else f"{kind}, {message}"
        lines.append((kind, _shown(f"{name} {', '.join(metrics)}: {said}")))
    return lines


def _summary(evaluations: list[Evaluation], found: list[inc.Incident]) -> str:
    days = Counter(day_kind(e) for e in evaluations)
    kinds = Counter(i.kind for i in found)
    start_up = sum(i.days for i in found if i.kind == inc.START_UP)
    said = (f'<p id="incident-kinds">{kinds[inc.ALERT]} alerts, {kinds[inc.NOT_EVALUATED]} checks not evaluated '
            f"(undefined inputs), {kinds[inc.START_UP]} start-up stretches ({start_up} days of too little history: "
            "not alerts)</p>")
    run = summary(evaluations)["longest_warn_run"]
    longest = f"{run['days']} days ({run['from']} .. {run['to']})" if run["days"] else "none"
    head = "".join(f"<th class=\"{_css(k)}\">{k}</th>" for k in DAY_KINDS)
    cells = "".join(f"<td>{days.get(k, 0)}</td>" for k in DAY_KINDS)
    per_check = Counter((str(x.name), x.subject, check_kind(x)) for e in evaluations for x in e.checks)
    keys = sorted({(name, metric) for name, metric, kind in per_check if kind in CHECK_COLUMNS})
    rows = "".join(f"<tr><td>{_shown(n)}</td><td>{_shown(m)}</td>"
                   + "".join(f"<td class=\"{_css(k)}\">{per_check.get((n, m, k), 0)}</td>" for k in CHECK_COLUMNS)
                   + "</tr>" for n, m in keys)
    return (f"<section id=\"summary-section\"><h2>Summary</h2>{said}<table id=\"summary\"><tr><th>days</th>{head}"
            f"<th>longest run of WARN or worse</th></tr><tr><td>{len(evaluations)}</td>{cells}<td>{longest}</td></tr>"
            f"</table>\n<table id=\"checks\"><tr><th>check</th><th>metric</th>"
            + "".join(f"<th class=\"{_css(k)}\">{k} days</th>" for k in CHECK_COLUMNS)
            + f"</tr>{rows}</table></section>")
