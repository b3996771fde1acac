"""The rules and the dashboard as Kubernetes objects: a PrometheusRule for the Prometheus Operator and a ConfigMap
for Grafana's dashboard sidecar (kube-prometheus-stack's conventions). Pure: builds data."""

from __future__ import annotations

import json

from ..config import Config
from . import dashboard, rules

RELEASE = "kube-prometheus-stack"
"""kube-prometheus-stack's Prometheus selects the PrometheusRules labelled `release: <its Helm release>` (by
default): this is the chart's usual release name; change the label when yours differs."""
SIDECAR_LABEL = ("grafana_dashboard", "1")
"""The label kube-prometheus-stack's Grafana sidecar loads dashboards from ConfigMaps by (its default)."""


def prometheus_rule_path(c: Config) -> str:
    return f"kubernetes/{c.pipeline}.prometheusrule.yaml"


def dashboard_configmap_path(c: Config) -> str:
    return f"kubernetes/{c.pipeline}.dashboard.configmap.yaml"


def name(c: Config, kind: str) -> str:
    """A Kubernetes object name (DNS-1123: lower case, digits and '-') for the pipeline's `kind`."""
    return f"daily-metrics-monitor-{c.pipeline.lower().replace('_', '-')}-{kind}"


def _metadata(c: Config, kind: str, labels: dict[str, str]) -> dict:
    return {"name": name(c, kind), "labels": {"app.kubernetes.io/name": "daily-metrics-monitor",
                                              "app.kubernetes.io/component": kind, **labels}}


def prometheus_rule(c: Config) -> dict:
    """The rule file's groups as the spec of a monitoring.coreos.com/v1 PrometheusRule."""
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "metadata": _metadata(c, "rules", {"release": RELEASE}), "spec": rules.rule_file(c)}


def dashboard_configmap(c: Config) -> dict:
    """The dashboard's JSON in a ConfigMap the Grafana sidecar picks up."""
    key, value = SIDECAR_LABEL
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _metadata(c, "dashboard", {key: value}),
            "data": {f"{c.pipeline}.json": json.dumps(dashboard.dashboard(c), indent=2) + "\n"}}
