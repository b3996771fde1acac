"""Alertmanager routing: per pipeline, critical pages its data owner and warning goes to its work queue."""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Config


def receivers(c: Config) -> tuple[str, str]:
    """The pager and notify receiver names of a pipeline."""
    return f"{c.pipeline}-pager", f"{c.pipeline}-notify"


def _by_severity(c: Config) -> list[dict]:
    pager, notify = receivers(c)
    return [{"matchers": ['severity="critical"'], "receiver": pager},
            {"matchers": ['severity="warning"'], "receiver": notify}]


def config(configs: Sequence[Config]) -> dict:
    """alertmanager.yml as data (Alertmanager 0.25 syntax) for every pipeline rendered together.

    Each pipeline's alerts reach only its own receivers; an alert of a pipeline not listed here goes by
    severity to the first pipeline's receivers rather than nowhere.
    """
    routes = [{"matchers": [f'job="{c.job}"', f'pipeline="{c.pipeline}"'], "routes": _by_severity(c)}
              for c in configs]
    return {
        "route": {
            "receiver": receivers(configs[0])[1],
            "group_by": ["alertname", "pipeline", "metric"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
            "routes": routes + _by_severity(configs[0]),
        },
        "inhibit_rules": [
            {"source_matchers": ['severity="critical"'], "target_matchers": ['severity="warning"'],
             "equal": ["job", "pipeline", "metric"]},
        ],
        "receivers": [
            {"name": name, "webhook_configs": [{"url": url, "send_resolved": True}]}
            for c in configs
            for name, url in zip(receivers(c), (c.alerting.pager_webhook_url, c.alerting.notify_webhook_url),
                                 strict=True)
        ],
    }
