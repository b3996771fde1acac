"""Alertmanager routing and notification templates: one notification per pipeline's bad day and receiver. No I/O.

Critical pages the pipeline's data owner, warning goes to its work queue. A pipeline's alerts are grouped
by `job` and `pipeline` only: every check and metric that fires for the day (and every segment of a segmented
table: `segment` is not in `group_by`) lands in the same notification, instead of one per alert name and metric.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Config
from ..judge.model import Severity

GROUP_BY = ["job", "pipeline"]
REPEAT_INTERVAL = "12h"
"""The verdict changes once a day: a CRITICAL left standing for 24 h re-notifies at most twice (12 h, 24 h)."""
TEMPLATES_DIR = "alertmanager-templates"
"""Beside alertmanager.yml; Alertmanager resolves `templates:` relative to its config file."""


def receivers(c: Config) -> tuple[str, str]:
    """The pager and notify receiver names of a pipeline."""
    return f"{c.pipeline}-pager", f"{c.pipeline}-notify"


def _by_severity(c: Config) -> list[dict]:
    pager, notify = receivers(c)
    return [{"matchers": [f'severity="{Severity.CRITICAL.alert}"'], "receiver": pager},
            {"matchers": [f'severity="{Severity.WARN.alert}"'], "receiver": notify}]


def config(configs: Sequence[Config]) -> dict:
    """alertmanager.yml as data (Alertmanager 0.25 syntax) for every pipeline rendered together.

    Each pipeline's alerts reach only its own receivers; an alert of a pipeline not listed here goes by
    severity to the first pipeline's receivers rather than nowhere. group_wait 30 s gathers one push's
    alerts (they fire in one rule evaluation); group_interval 5 m sends what joins or resolves later.
    """
    routes = [{"matchers": [f'job="{c.job}"', f'pipeline="{c.pipeline}"'], "routes": _by_severity(c)}
              for c in configs]
    return {
        "templates": [f"{TEMPLATES_DIR}/*.tmpl"],
        "route": {
            "receiver": receivers(configs[0])[1],
            "group_by": GROUP_BY,
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": REPEAT_INTERVAL,
            "routes": routes + _by_severity(configs[0]),
        },
        "inhibit_rules": [
            {"source_matchers": [f'severity="{Severity.CRITICAL.alert}"'],
             "target_matchers": [f'severity="{Severity.WARN.alert}"'],
             "equal": ["job", "pipeline", "metric"]},
        ],
        "receivers": [
            {"name": name, "webhook_configs": [{"url": url, "send_resolved": True}]}
            for c in configs
            for name, url in zip(receivers(c), (c.alerting.pager_webhook_url, c.alerting.notify_webhook_url),
                                 strict=True)
        ],
    }


TEMPLATES = """\
{{/* A notification in a few lines: the pipeline, the data day, the verdict, each failing check with its
     numbers and its runbook section. Use them in an email, Slack or any templated receiver:
     title/subject: '{{ template "dmm.title" . }}', text/body: '{{ template "dmm.text" . }}'. */}}

{{ define "dmm.verdict" }}{{ if eq .Status "resolved" }}RESOLVED{{ else if eq .CommonLabels.severity "critical" }}\
CRITICAL{{ else if eq .CommonLabels.severity "warning" }}WARN{{ else }}FIRING{{ end }}{{ end }}

{{ define "dmm.title" }}[{{ template "dmm.verdict" . }}] {{ .GroupLabels.pipeline }}\
{{ with .CommonAnnotations.data_date }}, data day {{ . }}{{ end }}: \
{{ if .Alerts.Firing }}{{ len .Alerts.Firing }} failing{{ else }}all resolved{{ end }}{{ end }}

{{ define "dmm.check" }}{{ if .Labels.check }}{{ .Labels.check }} {{ .Labels.metric }}\
{{ else }}{{ .Labels.alertname }}{{ end }}{{ with .Labels.segment }} [{{ . }}]{{ end }}{{ end }}

{{ define "dmm.text" }}{{ template "dmm.title" . }}
{{ range .Alerts.Firing }}- {{ template "dmm.check" . }}: {{ .Annotations.description }}
{{ with .Annotations.incident }}  {{ . }}
{{ end }}{{ with .Annotations.runbook_url }}  runbook: {{ . }}
{{ end }}{{ end }}{{ range .Alerts.Resolved }}- resolved: {{ template "dmm.check" . }}
{{ end }}{{ end }}
"""


def templates(configs: Sequence[Config]) -> str:
    """The notification templates (Go text/template) the routing ships beside it.

    The runbook line of each alert comes from its `runbook_url` annotation (alerts.runbook_url): present only
    when a runbook is hosted.
    """
    sources = ", ".join(c.source for c in configs)
    return f"{{{{/* Rendered by `daily-metrics-monitor render` from the config ({sources}). Do not edit. */}}}}\n" \
        + TEMPLATES
