"""The shipped DAG in a real Airflow 3: each exit code of the gate becomes the task states a scheduler needs."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from exporter.warehouse.demo_data import build
from tests.conftest import SERVER_DSNS, _reachable, unavailable
from tests.support import db
from tests.support.services import free_port

pytestmark = [pytest.mark.airflow, pytest.mark.postgresql]
ROOT = Path(__file__).resolve().parents[3]
DAG_FILE = ROOT / "deploy" / "airflow" / "daily_metrics_monitor_dag.py"
RUN_AT_DAY = "2026-11-25"  # the run at 2026-11-26 00:00 judges the day that just closed


def _airflow_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DMM_"))}
    return {**env, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"), "PYTHONDONTWRITEBYTECODE": "1",
            "DMM_GATE_RETRY_DELAY_SECONDS": "0"}


@pytest.fixture(scope="module")
def metadata_db(tmp_path_factory):
    """One migrated metadata database, copied into each test's own AIRFLOW_HOME."""
    try:
        import airflow  # noqa: F401
    except ImportError:
        unavailable("Apache Airflow is not installed (pip install -e '.[test]')")
    home = tmp_path_factory.mktemp("airflow-template")
    (home / "dags").mkdir()
    result = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=_airflow_env(home),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return home / "airflow.db"


@pytest.fixture
def airflow_home(tmp_path, metadata_db):
    home = tmp_path / "airflow"
    (home / "dags").mkdir(parents=True)
    shutil.copy(metadata_db, home / "airflow.db")
    shutil.copy(DAG_FILE, home / "dags")  # the DAG file as shipped, byte for byte
    return home


def warehouse(tmp_path, scenario: str) -> str:
    """A SQLite demo warehouse whose last day is the day the run judges."""
    wh = build(scenario, last_day=date.fromisoformat(RUN_AT_DAY), days=30, scale=0.1)
    url = f"sqlite:///{tmp_path / (scenario + '.sqlite')}"
    db.write_warehouse(db.parse_dsn(url), list(wh.daily), list(wh.orders))
    return url


def run_dag(home: Path, run_conf: dict | None = None, **env) -> tuple[dict, str]:
    """(task states, the run's log) of one dag.test() run at 2026-11-26 00:00 UTC."""
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "support" / "airflow_runner.py"),
                             str(home / "dags" / DAG_FILE.name), json.dumps(run_conf or {})],
                            env={**_airflow_env(home), **env}, capture_output=True, text=True, timeout=300,
                            cwd=home)
    log = result.stdout + result.stderr
    line = next((x for x in result.stdout.splitlines() if x.startswith("TASK STATES ")), None)
    assert line, log[-3000:]
    states = json.loads(line.removeprefix("TASK STATES "))
    return {task: (s["state"], s["try_number"]) for task, s in states.items()}, log


def test_healthy_day_runs_everything_for_the_previous_day(airflow_home, tmp_path):
    states, log = run_dag(airflow_home, DMM_DSN=warehouse(tmp_path, "healthy"))
    assert states == {"transform": ("success", 1), "monitor_gate": ("success", 1),
                      "refresh_dashboards": ("success", 1)}
    assert f"running: -m exporter check --date {RUN_AT_DAY}" in log
    assert f"OK: daily_metrics for {RUN_AT_DAY}" in log


def test_critical_data_fails_the_gate_at_once_and_blocks_the_refresh(airflow_home, tmp_path):
    states, log = run_dag(airflow_home, DMM_DSN=warehouse(tmp_path, "orders_drop"))
    assert states["monitor_gate"] == ("failed", 1)  # never retried, although retries = 2
    assert states["refresh_dashboards"][0] == "upstream_failed"
    assert "is CRITICAL (exit 1, not retried)" in log
    assert "daily_metrics_monitor: monitor_gate failed for run" in log  # the on_failure_callback hook ran


def test_a_warn_lets_the_refresh_run_and_shows_in_the_log(airflow_home, tmp_path):
    states, log = run_dag(airflow_home, DMM_DSN=warehouse(tmp_path, "coverage_collapse"))
    assert states["monitor_gate"] == ("success", 1) and states["refresh_dashboards"] == ("success", 1)
    assert "[WARN] attribution_coverage attributed_orders_first_click" in log


def test_an_unreachable_database_is_retried_then_fails(airflow_home):
    states, log = run_dag(airflow_home, DMM_DSN="postgresql+psycopg://monitor:db-Secret@127.0.0.1:1/test")
    assert states["monitor_gate"] == ("failed", 3)  # the first try and 2 retries
    assert states["refresh_dashboards"][0] == "upstream_failed"
    assert "exit 2 for 2026-11-25 (retried)" in log and "db-Secret" not in log


@pytest.mark.parametrize("push_optional, expected", [(False, ("failed", 2)), (True, ("success", 1))])
def test_a_gateway_that_is_down(airflow_home, tmp_path, push_optional, expected):
    states, _log = run_dag(airflow_home, {"push_optional": push_optional}, DMM_DSN=warehouse(tmp_path, "healthy"),
                          DMM_PUSHGATEWAY_URL=f"http://127.0.0.1:{free_port()}", DMM_GATE_RETRIES="1")
    assert states["monitor_gate"] == expected
    assert states["refresh_dashboards"][0] == ("success" if push_optional else "upstream_failed")


def test_the_warehouse_comes_from_the_airflow_connection(airflow_home):
    """AIRFLOW_CONN_DMM_WAREHOUSE renders as postgres://, which the job accepts (and wins over DMM_DSN)."""
    dsn = SERVER_DSNS["postgresql"]
    problem = _reachable(dsn)
    if problem:
        unavailable(f"postgresql is not reachable: {problem}")
    suffix = uuid.uuid4().hex[:8]
    daily, fact = f"dm_{suffix}", f"fo_{suffix}"
    wh = build("healthy", last_day=date.fromisoformat(RUN_AT_DAY), days=30, scale=0.1)
    db.write_warehouse(db.parse_dsn(dsn), list(wh.daily), list(wh.orders), daily, fact)
    config = airflow_home / "dmm.yaml"
    config.write_text(f"daily_metrics: {{table: {daily}}}\nfct_orders: {{table: {fact}}}\n")
    try:
        states, log = run_dag(airflow_home, AIRFLOW_CONN_DMM_WAREHOUSE=dsn.replace("postgresql+psycopg://", "postgres://"),
                              DMM_CONFIG=str(config), DMM_DSN="sqlite:///nowhere.sqlite")
    finally:
        db.drop_tables(db.parse_dsn(dsn), daily, fact)
    assert states["monitor_gate"] == ("success", 1), log[-3000:]
    assert f"OK: daily_metrics for {RUN_AT_DAY}" in log


def test_the_dag_file_imports_cleanly(airflow_home):
    result = subprocess.run([sys.executable, "-m", "airflow", "dags", "list-import-errors", "--output", "json"],
                            env=_airflow_env(airflow_home), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1] or "[]") == []


@pytest.mark.parametrize("how", ["run conf", "DMM_FAIL_ON"])
def test_fail_on_warn_fails_the_gate_on_a_warn_and_blocks_the_refresh(airflow_home, tmp_path, how):
    conf, env = ({"fail_on": "warn"}, {}) if how == "run conf" else ({}, {"DMM_FAIL_ON": "warn"})
    states, log = run_dag(airflow_home, conf, DMM_DSN=warehouse(tmp_path, "coverage_collapse"), **env)
    assert states["monitor_gate"] == ("failed", 1), log[-3000:]  # never retried: the data is the problem
    assert states["refresh_dashboards"][0] == "upstream_failed"
    assert "--fail-on warn" in log and "is WARN or CRITICAL under fail_on warn (exit 1, not retried)" in log


def test_several_configs_in_one_gate_fail_on_the_worst(airflow_home, tmp_path):
    """DMM_CONFIG=a.yaml:b.yaml: one process judges both tables; one CRITICAL fails the gate."""
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    paths = []
    for scenario in ("healthy", "orders_drop"):
        wh = build(scenario, last_day=date.fromisoformat(RUN_AT_DAY), days=30, scale=0.1)
        db.write_warehouse(db.parse_dsn(url), list(wh.daily), list(wh.orders), f"dm_{scenario}", f"fo_{scenario}")
        path = tmp_path / f"{scenario}.yaml"
        path.write_text(f"daily_metrics: {{table: dm_{scenario}}}\nfct_orders: {{table: fo_{scenario}}}\n"
                        f"push: {{pipeline: {scenario}}}\n")
        paths.append(str(path))
    states, log = run_dag(airflow_home, DMM_DSN=url, DMM_CONFIG=os.pathsep.join(paths))
    assert states["monitor_gate"] == ("failed", 1) and states["refresh_dashboards"][0] == "upstream_failed"
    assert f"--config {paths[0]} --config {paths[1]}" in log
    assert f"config {paths[0]} (pipeline healthy):" in log and f"config {paths[1]} (pipeline orders_drop):" in log
