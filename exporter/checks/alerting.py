"""The vocabulary of alert rules and their promtool cases, shared by every check's spec. Pure: builds data.

Every family is read from `exporter.families`; the templates read other gauges of the alert's own group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..families import CHECK_STATUS, INCIDENT_DAY, INCIDENT_START, Family
from ..families import DATA_DATE as DATA_DAY
from ..judge.model import Severity

DATA_DATE = (f'{{{{ with printf "{DATA_DAY}{{job=%q,pipeline=%q}}" $labels.job '
             '$labels.pipeline | query }}{{ (. | first | value | toTime).Format "2006-01-02" }}'
             '{{ else }}unknown{{ end }}')
"""The data day the pipeline's last push judged (YYYY-MM-DD): the notification templates name it."""


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    severity: Severity
    summary: str
    description: str
    labels: tuple[tuple[str, str], ...] = ()
    for_: str = "0s"
    daily: bool = True
    """A daily alert reads pushed gauges: it keeps firing through a missed scrape of the gateway."""
    incident: str = ""
    """The `incident` annotation: since when (`since`); empty: none."""

    def rule(self, runbook: str | None, keep_firing_for: str) -> dict:
        rule: dict[str, Any] = {"alert": self.name, "expr": self.expr}
        if self.for_ != "0s":
            rule["for"] = self.for_
        if self.daily:
            rule["keep_firing_for"] = keep_firing_for
        rule["labels"] = {"severity": self.severity.alert, **dict(self.labels)}
        rule["annotations"] = {"summary": self.summary, "description": self.description, "data_date": DATA_DATE,
                               **({"incident": self.incident} if self.incident else {}),
                               **runbook_annotation(runbook, self.name)}
        return rule


@dataclass
class Case:
    """A promtool case: constant input series, an evaluation time, and the alerts expected then (others: none)."""

    title: str
    series: list[tuple[Family | str, dict, float]]
    checks: dict[str, list[dict]]
    eval_minutes: int = 5
    absent_series: bool = False


def runbook_annotation(runbook: str | None, alert: str) -> dict:
    """runbook_url: the alert's section of the runbook where one is hosted (alerts.runbook_url); never a dead link."""
    return {"runbook_url": f"{runbook}#{alert.lower()}"} if runbook else {}


def selector(c: Config) -> str:
    """The label matchers of the config's push group."""
    return f'job="{c.job}",pipeline="{c.pipeline}"'


def gauge_query(family: Family, by_metric: bool = True, segmented: bool = False) -> str:
    """A template snippet that prints another gauge of the alert's group (and segment), 4 significant digits.
    Each label value is matched as a Go-quoted string (%q: PromQL reads Go's escapes), so no value (a quote, a
    backslash, a newline) can break or change the query."""
    metric = ",metric=%q" if by_metric else ""
    args = "$labels.job $labels.pipeline" + (" $labels.metric" if by_metric else "")
    if segmented:
        metric, args = metric + ",segment=%q", args + " $labels.segment"
    return (f'{{{{ with printf "{family}{{job=%q,pipeline=%q{metric}}}" {args} | query }}}}'
            f'{{{{ . | first | value | printf "%.4g" }}}}{{{{ end }}}}')


def query(c: Config, family: Family) -> str:
    """`gauge_query` of one of the alert's metric's families (and segment, on a segmented table)."""
    return gauge_query(family, segmented=c.segments is not None)


def on(c: Config, *labels: str) -> str:
    """The labels that match one metric's series (and, on a segmented table, one segment's)."""
    return f"on ({', '.join(('job', 'pipeline', *labels, 'metric', *(('segment',) if c.segments else ())))})"


def about(c: Config) -> str:
    """The alert's subject: its metric, and its segment on a segmented table ('orders [country=NL]')."""
    return "{{ $labels.metric }}" + ("{{ with $labels.segment }} [{{ . }}]{{ end }}" if c.segments else "")


def check_description(c: Config, why: str) -> str:
    """The description of an alert on a failed check's status."""
    return f"Check {{{{ $labels.check }}}} on {about(c)} failed in pipeline {{{{ $labels.pipeline }}}}: {why}"


def status_alert(c: Config, name: str, check: str, summary: str, why: str) -> Alert:
    """An alert on a check's pushed status: CRITICAL (2) fires."""
    return Alert(name, f'{CHECK_STATUS}{{{selector(c)},check="{check}"}} == 2', Severity.CRITICAL, summary,
                 check_description(c, why))


def status_cases(check: str, alert: str, metric: str) -> list[Case]:
    """The boundary of a status alert: CRITICAL fires, WARN and OK do not."""
    labels = {"check": check, "metric": metric}
    return [Case(f"{check}: a CRITICAL check fires", [(CHECK_STATUS, labels, 2)], {alert: [labels]}),
            Case(f"{check}: a WARN check does not fire", [(CHECK_STATUS, labels, 1)], {alert: []}),
            Case(f"{check}: an OK check does not fire", [(CHECK_STATUS, labels, 0)], {alert: []})]


def since(c: Config, check: str, went: str) -> str:
    """'NEW: orders [country=NL] down since 2026-11-30, day 1', or 'CONTINUING: …, day 3', from the job's
    dmm_check_incident_* gauges of the alert's check, metric (and segment); nothing when the push holds none."""
    labels, args = f"job='%s',pipeline='%s',check='{check}',metric='%s'", "$labels.job $labels.pipeline $labels.metric"
    if c.segments:
        labels, args = labels + ",segment='%s'", args + " $labels.segment"

    def read(family: Family) -> str:
        return f'printf "{family}{{{labels}}}" {args} | query'

    start = (f"{{{{ with {read(INCIDENT_START)} }}}}"
             '{{ (. | first | value | toTime).Format "2006-01-02" }}{{ end }}')
    return (f"{{{{ with {read(INCIDENT_DAY)} }}}}"
            "{{ if le (. | first | value) 1.0 }}NEW{{ else }}CONTINUING{{ end }}: "
            f"{about(c)} {went} since {start}, "
            'day {{ . | first | value | printf "%.0f" }}{{ end }}')
