"""Rendered rules, rule tests and routing: fresh, valid, and proven by the real promtool and amtool."""

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from exporter.cli import main
from exporter.config import Config, from_mapping
from exporter.errors import ConfigError
from exporter.render import ALERTMANAGER, render_all, rule_tests_path, rules_path, stale, write
from exporter.render.rule_tests import cases
from exporter.render.rules import alerts
from tests.support.services import binary

ROOT = Path(__file__).resolve().parents[3]
RULES, RULE_TESTS = rules_path(Config()), rule_tests_path(Config())


def run(*args, cwd=ROOT):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


def test_committed_files_are_the_render_of_the_default_config():
    assert stale(render_all(Config()), ROOT) == [], "run: daily-metrics-monitor render"


def test_render_check_reports_stale_files(tmp_path, capsys):
    assert main(["render", "--out", str(tmp_path)]) == 0
    assert main(["render", "--out", str(tmp_path), "--check"]) == 0
    (tmp_path / RULES).write_text("groups: []\n")
    capsys.readouterr()
    assert main(["render", "--out", str(tmp_path), "--check"]) == 4  # ExitCode.STALE: stale files, not CRITICAL data
    assert RULES in capsys.readouterr().err


def test_every_alert_has_a_firing_and_a_not_firing_case():
    fired, quiet = set(), set()
    for case in cases(Config()):
        for name, expected in case.checks.items():
            (fired if expected else quiet).add(name)
    names = {a.name for a in alerts(Config())}
    assert fired == names and quiet == names


def test_alert_conventions():
    for a in alerts(Config()):
        assert a.name[0].isupper() and "_" not in a.name
        assert a.severity.alert in ("critical", "warning")
        assert a.summary and "{{" in a.description


SPIKES = from_mapping({"metrics": {"overrides": {"revenue": {"direction": "both"}}}})


def test_runbook_has_a_section_per_alert():
    runbook = (ROOT / "docs" / "runbook.md").read_text()
    for a in alerts(Config()) + alerts(SPIKES):
        assert f"\n## {a.name}\n" in runbook, a.name


@pytest.mark.binaries
def test_promtool_lints_the_rules():
    result = run(binary("promtool"), "check", "rules", "--lint=all", RULES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 16 rules found" in result.stdout


@pytest.mark.binaries
def test_promtool_rule_tests_pass():
    result = run(binary("promtool"), "test", "rules", RULE_TESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.binaries
def test_promtool_rule_tests_catch_a_changed_threshold(tmp_path):
    write(render_all(Config()), tmp_path)
    rules = tmp_path / RULES
    rules.write_text(rules.read_text().replace("< 0.3 and", "<= 0.3 and"))
    result = run(binary("promtool"), "test", "rules", str(tmp_path / RULE_TESTS))
    assert result.returncode == 1
    assert "frac exactly at its threshold does not fire" in result.stdout + result.stderr


@pytest.mark.binaries
def test_a_custom_config_renders_rules_that_pass_their_own_tests(tmp_path):
    custom = from_mapping({"thresholds": {"warn": {"frac": 0.8, "z": -2}, "critical": {"frac": 0.5, "z": -4},
                                          "attribution_coverage_min": 0.25, "reconciliation_revenue_tolerance": 1},
                           "baseline": {"days": 14, "min_days": 10}, "push": {"job": "shop_dq"},
                           "alerts": {"not_run_warning_hours": 30, "not_run_critical_hours": 54,
                                      "data_lag_max_hours": 72, "absent_for_minutes": 30}})
    write(render_all(custom), tmp_path)
    text = (tmp_path / rules_path(custom)).read_text()
    assert '< 0.5 and on (job, pipeline, metric) dmm_zscore{job="shop_dq",pipeline="daily_metrics"} <= -4' in text
    result = run(binary("promtool"), "test", "rules", str(tmp_path / rule_tests_path(custom)))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.binaries
def test_promtool_checks_the_prometheus_config_and_its_rules():
    result = run(binary("promtool"), "check", "config", "deploy/prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 1 rule files found" in result.stdout


@pytest.mark.binaries
def test_amtool_checks_the_alertmanager_config():
    result = run(binary("amtool"), "check-config", ALERTMANAGER)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.binaries
@pytest.mark.parametrize("labels,receiver", [
    (["severity=critical", "alertname=DailyMetricsSharpDrop", "job=daily_metrics_monitor",
      "pipeline=daily_metrics"], "daily_metrics-pager"),
    (["severity=warning", "alertname=DailyMetricsDrop", "job=daily_metrics_monitor", "pipeline=daily_metrics"],
     "daily_metrics-notify"),
    (["severity=critical", "alertname=Other"], "daily_metrics-pager"),
    (["alertname=Other"], "daily_metrics-notify"),
])
def test_routing(labels, receiver):
    result = run(binary("amtool"), "config", "routes", "test", f"--config.file={ALERTMANAGER}", *labels)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == receiver


@pytest.mark.binaries
def test_no_dead_runbook_link_by_default_and_the_hosted_one_when_set(tmp_path):
    default = (ROOT / RULES).read_text()
    assert "runbook_url" not in default
    hosted = from_mapping({"alerts": {"runbook_url": "https://wiki.example.com/dmm/runbook"}})
    write(render_all(hosted), tmp_path)
    text = (tmp_path / rules_path(hosted)).read_text()
    assert text.count("runbook_url: https://wiki.example.com/dmm/runbook#dailymetrics") == 16
    assert "runbook_url: https://wiki.example.com/dmm/runbook#dailymetricssharpdrop" in text
    result = run(binary("promtool"), "test", "rules", str(tmp_path / rule_tests_path(hosted)))
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(ConfigError, match=r"alerts\.runbook_url: expected an http"):
        from_mapping({"alerts": {"runbook_url": "docs/runbook.md"}})


def test_thresholds_are_rendered_exactly_as_the_job_uses_them(tmp_path):
    odd = from_mapping({"thresholds": {"warn": {"frac": 0.5555555, "z": -2.123456789}},
                        "alerts": {"data_lag_max_hours": 342.935}})
    text = rule_file_text(odd)
    assert "dmm_fraction_of_median_ratio{job=\"daily_metrics_monitor\",pipeline=\"daily_metrics\"} < 0.5555555 and" \
        in text
    assert "<= -2.123456789" in text
    assert "> 1234566\n" in text  # 342.935 h = 1,234,566 s, by hand


def rule_file_text(config) -> str:
    return render_all(config)[rules_path(config)]


def test_routing_groups_a_pipelines_day_and_renotifies_at_most_twice_a_day():
    """One notification per pipeline's day and receiver; a CRITICAL standing 24 h re-notifies at most twice."""
    routing = yaml.safe_load(render_all(from_mapping({}))[ALERTMANAGER])
    assert routing["route"]["group_by"] == ["job", "pipeline"]  # no alertname, metric or (future) segment
    repeat = routing["route"]["repeat_interval"]
    assert repeat.endswith("h") and 24 / int(repeat[:-1]) <= 2
    assert all(w["send_resolved"] for r in routing["receivers"] for w in r["webhook_configs"])
    assert routing["templates"] == ["alertmanager-templates/*.tmpl"]


@pytest.mark.binaries
def test_the_templates_render_a_warn_with_its_runbook_and_what_resolved(tmp_path):
    """amtool (Alertmanager's own template code) on a hand-written work-queue notification."""
    labels = {"job": "dmm", "pipeline": "shop", "severity": "warning"}
    payload = {"receiver": "shop-notify", "status": "firing", "externalURL": "http://am.invalid",
               "groupLabels": {"job": "dmm", "pipeline": "shop"}, "commonLabels": labels,
               "commonAnnotations": {"data_date": "2026-11-25"},
               "alerts": [{"status": "firing", "labels": {**labels, "alertname": "DailyMetricsDrop", "check": "drop",
                                                          "metric": "orders"},
                           "annotations": {"description": "orders = 50 vs 7-day median 100 (z=-4, frac=0.5).",
                                           "data_date": "2026-11-25",
                                           "runbook_url": "https://wiki.invalid/runbook#dailymetricsdrop"}},
                          {"status": "resolved", "labels": {**labels, "alertname": "DailyMetricsStaleData"},
                           "annotations": {"data_date": "2026-11-25"}}]}
    (tmp_path / "payload.json").write_text(json.dumps(payload))
    result = run(binary("amtool"), "template", "render", "--template.glob=deploy/alertmanager-templates/*.tmpl",
                 '--template.text={{ template "dmm.text" . }}', f"--template.data={tmp_path / 'payload.json'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[WARN] shop, data day 2026-11-25: 1 failing",
        "- drop orders: orders = 50 vs 7-day median 100 (z=-4, frac=0.5).",
        "  runbook: https://wiki.invalid/runbook#dailymetricsdrop",
        "- resolved: DailyMetricsStaleData"]


@pytest.mark.binaries
def test_a_config_without_fact_table_attribution_or_traffic_renders_rules_that_pass_their_tests(tmp_path):
    bare = from_mapping({"fct_orders": None, "metrics": {"attribution_models": {}, "traffic": None},
                         "push": {"pipeline": "bare"}})
    write(render_all(bare), tmp_path)
    text = (tmp_path / rules_path(bare)).read_text()
    assert "dmm_reconciliation_difference" not in text and "dmm_attribution_coverage_ratio" not in text
    for binary_args in (("check", "rules", "--lint=all", str(tmp_path / rules_path(bare))),
                        ("test", "rules", str(tmp_path / rule_tests_path(bare)))):
        result = run(binary("promtool"), *binary_args)
        assert result.returncode == 0, result.stdout + result.stderr
