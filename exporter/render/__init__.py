"""Everything rendered from the config: alert rules, their promtool tests, Alertmanager routing, the dashboard."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..config import Config
from ..errors import ConfigError
from ..judge.model import CheckName
from . import alertmanager, dashboard, kubernetes, rule_tests, rules

ALERTMANAGER = "deploy/alertmanager.yml"
ALERTMANAGER_TEMPLATES = f"deploy/{alertmanager.TEMPLATES_DIR}/daily-metrics-monitor.tmpl"

HEADER = ("# Rendered by `daily-metrics-monitor render` from the config ({source}). "
          "Do not edit: edit the config and render.\n")


def rules_path(c: Config) -> str:
    return f"alert_rules/{c.pipeline}.rules.yml"


def rule_tests_path(c: Config) -> str:
    return f"alert_rules/tests/{c.pipeline}.test.yml"


def dashboard_path(c: Config) -> str:
    return f"grafana/dashboards/{c.pipeline}.json"


def render_all(*configs: Config, kube: bool = False) -> dict[str, str]:
    """Relative path -> file text: each pipeline's rules, rule tests and dashboard; the routing and its templates;
    with `kube`, each pipeline's rules as a PrometheusRule and its dashboard as a ConfigMap too."""
    pipelines = [c.pipeline for c in configs]
    if len(set(pipelines)) != len(pipelines):
        raise ConfigError(f"render: two configs name the same pipeline ({', '.join(pipelines)}): "
                          "each pipeline's files would overwrite the other's")
    files = {}
    for c in configs:
        header = HEADER.format(source=c.source)
        files[rules_path(c)] = header + _yaml(rules.rule_file(c))
        files[rule_tests_path(c)] = header + _yaml(rule_tests.test_file(c, f"../{c.pipeline}.rules.yml"))
        files[dashboard_path(c)] = _json(dashboard.dashboard(c))
        if kube:
            files[kubernetes.prometheus_rule_path(c)] = header + _yaml(kubernetes.prometheus_rule(c))
            files[kubernetes.dashboard_configmap_path(c)] = header + _yaml(kubernetes.dashboard_configmap(c))
    sources = ", ".join(c.source for c in configs)
    files[ALERTMANAGER] = HEADER.format(source=sources) + _yaml(alertmanager.config(configs))
    files[ALERTMANAGER_TEMPLATES] = alertmanager.templates(configs)
    return files


def write(files: dict[str, str], out: Path) -> list[Path]:
    written = []
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale(files: dict[str, str], out: Path) -> list[str]:
    """The rendered files whose committed copy under `out` differs (or is missing)."""
    return [rel for rel, text in files.items()
            if not (out / rel).exists() or (out / rel).read_text(encoding="utf-8") != text]


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (PromQL) as literal blocks, long lines never folded."""


def _str(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(CheckName, _str)


def _yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=10_000, allow_unicode=True)


def _json(data) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
