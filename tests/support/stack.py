"""The real Prometheus stack in a test: its configs pointed at the test's servers, and what it fired and sent."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import yaml

from exporter.render import ALERTMANAGER

ROOT = Path(__file__).resolve().parents[2]


def prometheus_config(gateway: str, alertmanager: str, rule_files: list[Path]) -> dict:
    """deploy/prometheus.yml with the test's addresses, rule paths and 1 s intervals."""
    config = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(p) for p in rule_files]
    config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [alertmanager]
    assert config["scrape_configs"][0]["honor_labels"] is True
    config["scrape_configs"][0]["static_configs"][0]["targets"] = [gateway]
    return config


def alertmanager_config(rendered: Path, receiver_url: str) -> dict:
    """The rendered alertmanager.yml with the receivers pointed at the test's pager and second-long grouping.

    group_wait 2 s instead of 30 s: all of a push's alerts still land in one wait (they fire in one rule
    evaluation); group_interval 1 s is stricter than 5 m: an alert joining a group late would show as a second
    notification within the test. repeat_interval stays as rendered.
    Each receiver also gets a Slack receiver (at the test's server) that uses the rendered templates, so the
    notification text is the one Alertmanager itself renders.
    """
    config = yaml.safe_load((rendered / ALERTMANAGER).read_text())
    config["route"].update(group_wait="2s", group_interval="1s")
    for receiver in config["receivers"]:
        receiver["webhook_configs"][0]["url"] = f"{receiver_url}/{receiver['name']}"
        receiver["slack_configs"] = [{"api_url": f"{receiver_url}/slack/{receiver['name']}", "channel": "#data",
                                      "send_resolved": True, "title": '{{ template "dmm.title" . }}',
                                      "text": '{{ template "dmm.text" . }}'}]
    return config


def firing(prometheus: str) -> list[dict]:
    with urllib.request.urlopen(prometheus + "/api/v1/alerts", timeout=5) as r:
        return [a["labels"] for a in json.load(r)["data"]["alerts"] if a["state"] == "firing"]


def wait_for(predicate, seconds: float = 45.0):
    deadline = time.monotonic() + seconds
    while True:
        result = predicate()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def slack(pager, receiver: str) -> list[dict]:
    """The Slack attachments Alertmanager rendered for one receiver, with the shipped templates."""
    return [json.loads(body)["attachments"][0] for _, path, _, body in list(pager.requests)
            if path == f"/slack/{receiver}"]
