"""render --kubernetes: the rules as a PrometheusRule whose spec promtool accepts and tests, the dashboard as a
ConfigMap for kube-prometheus-stack's Grafana sidecar; and the CronJob example is a valid Kubernetes object."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from exporter.cli import main
from exporter.cli.arguments import build_parser
from exporter.config import from_mapping, load
from tests.support.services import binary

ROOT = Path(__file__).resolve().parents[3]
SEGMENTED = ROOT / "examples" / "segmented.yaml"
PIPELINE = "shop_by_country"  # the example's push.pipeline


def run(*args, cwd=ROOT):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


def kubernetes_validate(path: Path):
    tool = Path(sys.executable).parent / "kubernetes-validate"
    return run(str(tool), "--kubernetes-version", "1.30.0", "--strict", str(path))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One render for the module (a render of the segmented example takes seconds); no test writes into it."""
    out = tmp_path_factory.mktemp("rendered")
    assert main(["render", "--config", str(SEGMENTED), "--kubernetes", "--out", str(out)]) == 0
    return out


def test_the_prometheus_rule_carries_the_rule_file_and_the_operators_labels(rendered):
    rule = yaml.safe_load((rendered / f"kubernetes/{PIPELINE}.prometheusrule.yaml").read_text())
    assert (rule["apiVersion"], rule["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")
    assert rule["metadata"]["name"] == "daily-metrics-monitor-shop-by-country-rules"  # DNS-1123: no '_'
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert rule["spec"] == yaml.safe_load((rendered / f"alert_rules/{PIPELINE}.rules.yml").read_text())


def test_promtool_checks_and_tests_the_rule_spec_extracted_back(rendered, tmp_path):
    """The spec, written out alone as a rule file, passes promtool's lint and the rendered promtool cases."""
    spec = yaml.safe_load((rendered / f"kubernetes/{PIPELINE}.prometheusrule.yaml").read_text())["spec"]
    extracted = tmp_path / "extracted"
    (extracted / "tests").mkdir(parents=True)
    (extracted / f"{PIPELINE}.rules.yml").write_text(yaml.safe_dump(spec, sort_keys=False, width=10_000))
    shutil.copy(rendered / f"alert_rules/tests/{PIPELINE}.test.yml", extracted / "tests")
    checked = run(binary("promtool"), "check", "rules", "--lint=all", f"{PIPELINE}.rules.yml", cwd=extracted)
    assert checked.returncode == 0 and "SUCCESS: 18 rules found" in checked.stdout, checked.stdout + checked.stderr
    tested = run(binary("promtool"), "test", "rules", f"tests/{PIPELINE}.test.yml", cwd=extracted)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_the_dashboard_configmap_is_for_the_sidecar_and_a_valid_object(rendered):
    path = rendered / f"kubernetes/{PIPELINE}.dashboard.configmap.yaml"
    configmap = yaml.safe_load(path.read_text())
    assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"  # a string: a label value is never a number
    dashboard = json.loads(configmap["data"][f"{PIPELINE}.json"])
    assert dashboard == json.loads((rendered / f"grafana/dashboards/{PIPELINE}.json").read_text())
    result = kubernetes_validate(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_render_check_covers_the_kubernetes_files(rendered, tmp_path, capsys):
    copy = shutil.copytree(rendered, tmp_path / "copy")
    path = copy / f"kubernetes/{PIPELINE}.prometheusrule.yaml"
    path.write_text(path.read_text().replace("kube-prometheus-stack", "prometheus"))
    assert main(["render", "--config", str(SEGMENTED), "--kubernetes", "--out", str(copy), "--check"]) == 4
    assert f"stale: {path}" in capsys.readouterr().err
    assert main(["render", "--config", str(SEGMENTED), "--out", str(copy), "--check"]) == 0  # not asked for


def test_the_cronjob_example_is_valid_and_runs_a_valid_command():
    path = ROOT / "deploy" / "kubernetes" / "cronjob.yaml"
    result = kubernetes_validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    configmap, _secret, cronjob = yaml.safe_load_all(path.read_text())
    from_mapping(yaml.safe_load(configmap["data"]["config.yaml"]))  # the config it mounts loads
    container = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    args = build_parser().parse_args(container["args"])
    assert args.command == "check" and args.config == ["/etc/dmm/config.yaml"]
    assert "--dsn" not in container["args"]  # the DSN comes from the secret's environment
    assert cronjob["spec"]["jobTemplate"]["spec"]["backoffLimit"] == 0  # a CRITICAL day is not retried
    assert load(SEGMENTED).pipeline == PIPELINE
