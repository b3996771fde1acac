"""The Grafana dashboard and the docker-compose stack, checked without a Docker engine."""

import json
from pathlib import Path

import yaml

from exporter.config import Config, from_mapping
from exporter.render import dashboard_path
from exporter.render.dashboard import DATASOURCE, dashboard

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def test_dashboard_structure():
    board = json.loads((ROOT / dashboard_path(Config())).read_text())
    assert board["schemaVersion"] >= 36 and board["uid"] == "dmm-daily_metrics"
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    occupied = set()
    for panel in board["panels"]:
        pos = panel["gridPos"]
        assert pos["w"] > 0 and pos["h"] > 0 and pos["x"] >= 0 and pos["y"] >= 0 and pos["x"] + pos["w"] <= 24
        cells = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
        assert not cells & occupied, f"panel {panel['title']} overlaps another"
        occupied |= cells
        if panel["type"] != "row":
            assert panel["datasource"] == DATASOURCE
            assert panel["targets"] and all(t["datasource"] == DATASOURCE for t in panel["targets"])
    for variable in board["templating"]["list"]:
        assert variable["datasource"] == DATASOURCE
    assert {v["name"] for v in board["templating"]["list"]} == {"pipeline", "metric"}


def test_datasource_uid_is_the_provisioned_one():
    provisioned = yaml.safe_load((ROOT / "grafana/provisioning/datasources/prometheus.yml").read_text())
    assert provisioned["datasources"][0]["uid"] == DATASOURCE["uid"]
    assert provisioned["datasources"][0]["url"] == "http://prometheus:9090"
    provider = yaml.safe_load((ROOT / "grafana/provisioning/dashboards/daily-metrics-monitor.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


def test_status_panels_map_0_1_2_to_ok_warn_critical():
    panels = {p["title"]: p for p in dashboard(Config())["panels"]}
    for title in ("Overall status", "Checks"):
        options = panels[title]["fieldConfig"]["defaults"]["mappings"][0]["options"]
        assert [(options[k]["text"], options[k]["color"]) for k in "012"] == \
               [("OK", "green"), ("WARN", "orange"), ("CRITICAL", "red")]


def test_a_metric_added_to_the_config_gets_its_panel():
    custom = from_mapping({"metrics": {"volume": ["events", "orders", "revenue", "refunds"]}})
    titles = [p["title"] for p in dashboard(custom)["panels"]]
    assert "refunds vs 7-day median" in titles and "users vs 7-day median" not in titles
    exprs = " ".join(t["expr"] for p in dashboard(custom)["panels"] for t in p.get("targets", []))
    assert 'dmm_metric_value{job="daily_metrics_monitor",pipeline=~"$pipeline",metric="refunds"}' in exprs


def test_compose_mounts_exist_and_are_the_tested_configs():
    mounts = {}
    for name, service in COMPOSE["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
                mounts[target] = source
    assert mounts["/etc/prometheus/prometheus.yml"] == "./deploy/prometheus.yml"
    assert mounts["/etc/alertmanager/alertmanager.yml"] == "./deploy/alertmanager.yml"
    # alertmanager.yml's `templates:` is relative to it
    assert mounts["/etc/alertmanager/alertmanager-templates"] == "./deploy/alertmanager-templates"
    assert mounts["/etc/alert_rules"] == "./alert_rules"  # prometheus.yml loads ../alert_rules/*.rules.yml
    assert mounts["/var/lib/grafana/dashboards"] == "./grafana/dashboards"
    assert mounts["/etc/grafana/provisioning"] == "./grafana/provisioning"


def test_compose_binds_loopback_and_keeps_secrets_out_of_the_file():
    for name, service in COMPOSE["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port}"
    grafana = COMPOSE["services"]["grafana"]["environment"]
    assert grafana["GF_SECURITY_ADMIN_PASSWORD"] == "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}"
    assert "POSTGRES_PASSWORD:?" in COMPOSE["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]


def test_compose_runs_the_stack_the_tests_run():
    services = COMPOSE["services"]
    assert services["prometheus"]["image"].endswith(":v2.42.0")
    assert services["alertmanager"]["image"].endswith(":v0.25.0")
    assert services["pushgateway"]["image"].endswith(":v1.5.1")
    assert any(arg.startswith("--persistence.file=") for arg in services["pushgateway"]["command"])
    monitor = services["monitor"]
    assert monitor["build"] == "." and monitor["restart"] == "no"
    assert monitor["environment"]["DMM_PUSHGATEWAY_URL"] == "http://pushgateway:9091"  # for `check`
    # the demo never reads DMM_PUSHGATEWAY_URL: the stack opts in to show it as the rendered pipeline
    assert monitor["command"] == ["demo", "--pushgateway", "http://pushgateway:9091", "--pipeline", "daily_metrics"]
    home = services["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home == "/var/lib/grafana/dashboards/" + Path(dashboard_path(Config())).name


def test_the_image_pins_exactly_the_packages_pyproject_asks_for():
    """deploy/image-requirements.txt: every dependency and the postgresql extra, each pin inside pyproject's range."""
    import tomllib
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"]
                                                        + project["optional-dependencies"]["postgresql"])}
    lines = (ROOT / "deploy" / "image-requirements.txt").read_text().splitlines()
    pinned = {canonicalize_name(r.name): r for r in map(Requirement, [x for x in lines if x and x[0] != "#"])}
    assert pinned.keys() == wanted.keys()
    for name, requirement in pinned.items():
        (spec,) = requirement.specifier
        assert spec.operator == "==" and wanted[name].specifier.contains(spec.version), name
        assert requirement.extras == wanted[name].extras, name


def test_the_build_context_holds_what_the_dockerfile_copies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = {word for line in dockerfile.splitlines() if line.startswith("COPY ")
              for word in line.split()[1:-1]}
    assert copied == {"deploy/image-requirements.txt", "pyproject.toml", "README.md", "LICENSE", "exporter"}
    allowed = {line[1:].rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")}
    assert allowed == copied
    assert 'ENTRYPOINT ["daily-metrics-monitor"]' in dockerfile and "USER 65534:65534" in dockerfile


def test_annotations_mark_firing_alerts_and_known_events_of_the_pipeline():
    board = dashboard(from_mapping({"push": {"job": "dmm", "pipeline": "shop_eu"}}))
    by_name = {a["name"]: a for a in board["annotations"]["list"]}
    assert set(by_name) == {"CRITICAL alerts", "WARN alerts", "Known events"}
    for name, severity in (("CRITICAL alerts", "critical"), ("WARN alerts", "warning")):
        expr = f'ALERTS{{alertstate="firing",severity="{severity}",job="dmm",pipeline=~"$pipeline"}}'
        assert by_name[name]["expr"] == expr
    assert by_name["Known events"]["expr"] == 'dmm_known_event{job="dmm",pipeline=~"$pipeline"} == 1'
    for a in by_name.values():
        assert a["datasource"] == DATASOURCE and a["enable"] and a["textFormat"]
    assert by_name["CRITICAL alerts"]["textFormat"].startswith("CRITICAL: {{check}} {{metric}}")
