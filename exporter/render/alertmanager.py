"""Alertmanager routing: critical pages the data owner, warning goes to the work queue."""

from __future__ import annotations

from ..config import Config

PAGER, NOTIFY = "data-owner-pager", "data-owner-notify"


def config(c: Config) -> dict:
    """alertmanager.yml as data (Alertmanager 0.25 syntax)."""
    return {
        "route": {
            "receiver": NOTIFY,
            "group_by": ["alertname", "pipeline", "metric"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
            "routes": [
                {"matchers": ['severity="critical"'], "receiver": PAGER},
                {"matchers": ['severity="warning"'], "receiver": NOTIFY},
            ],
        },
        "inhibit_rules": [
            {"source_matchers": ['severity="critical"'], "target_matchers": ['severity="warning"'],
             "equal": ["job", "pipeline", "metric"]},
        ],
        "receivers": [
            {"name": PAGER, "webhook_configs": [{"url": c.alerting.pager_webhook_url, "send_resolved": True}]},
            {"name": NOTIFY, "webhook_configs": [{"url": c.alerting.notify_webhook_url, "send_resolved": True}]},
        ],
    }
