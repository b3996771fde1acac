"""Everything rendered from the config: alert rules, their promtool tests, Alertmanager routing, the dashboard."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..config import Config
from . import alertmanager, dashboard, rule_tests, rules

RULES = "alert_rules/daily_metrics_monitor.rules.yml"
RULE_TESTS = "alert_rules/tests/daily_metrics_monitor.test.yml"
ALERTMANAGER = "deploy/alertmanager.yml"
DASHBOARD = "grafana/dashboards/daily-metrics-monitor.json"

HEADER = ("# Rendered by `daily-metrics-monitor render` from the config ({source}). "
          "Do not edit: edit the config and render.\n")


def render_all(config: Config) -> dict[str, str]:
    """Relative path -> file text, for every rendered file."""
    header = HEADER.format(source=config.source)
    return {
        RULES: header + _yaml(rules.rule_file(config)),
        RULE_TESTS: header + _yaml(rule_tests.test_file(config, "../daily_metrics_monitor.rules.yml")),
        ALERTMANAGER: header + _yaml(alertmanager.config(config)),
        DASHBOARD: _json(dashboard.dashboard(config)),
    }


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


def _yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=10_000, allow_unicode=True)


def _json(data) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
